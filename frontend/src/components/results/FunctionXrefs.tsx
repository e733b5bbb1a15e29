// The cross-references of one function by address: callers and called functions (links opening
// them; duplicate names stay apart), imports called and strings loaded (links to their rows in
// Imports and Strings, and the instruction address, which marks the line in the disassembly).
// Plain links and buttons styled by one class on the container (a large function has hundreds
// of references); a long list shows its first LIST_FIRST entries until "Show all" is chosen.
import { Box, Button, Typography } from "@mui/material";
import { useState, type ReactNode } from "react";
import { Link as RouterLink } from "react-router-dom";
import type { FunctionDetail, FunctionRef } from "../../types/Result.types";
import { hex } from "./format";
import { targetSearch } from "./links";
import { displayName, NameText, SUGGESTED_SX } from "./NameText";

export const LIST_FIRST = 40;

const LIST_SX = {
  listStyle: "none",
  m: 0,
  p: 0,
  display: "flex",
  flexWrap: "wrap",
  gap: 1,
  fontFamily: "monospace",
  fontSize: 14,
  "&.rows": { flexDirection: "column", gap: 0.5, wordBreak: "break-all" },
  "& a.xref": { color: "primary.main", textUnderlineOffset: "3px" },
  "&.pills a.xref": { display: "inline-block", px: 1, py: 0.25, border: 1, borderColor: "divider", borderRadius: 1, textDecoration: "none" },
  "& button.site": {
    font: "inherit", color: "primary.main", bgcolor: "transparent", border: 0, cursor: "pointer", ml: 1, p: 0,
    textDecoration: "underline dotted", textUnderlineOffset: "3px",
  },
  ...SUGGESTED_SX,
} as const;

function Section({ title, items, pills }: { title: string; items: ReactNode[]; pills?: boolean }) {
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, LIST_FIRST);
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography variant="subtitle2" component="h3">{title}</Typography>
      {items.length === 0 ? (
        <Typography variant="body2" color="text.secondary">none</Typography>
      ) : (
        <Box component="ul" className={pills ? "pills" : "rows"} sx={LIST_SX}>{shown}</Box>
      )}
      {shown.length < items.length && (
        <Button size="small" onClick={() => setAll(true)} sx={{ mt: 0.5 }}>Show all {items.length}</Button>
      )}
    </Box>
  );
}

function functionItems(refs: FunctionRef[], suggested: boolean): ReactNode[] {
  return refs.map((ref) => {
    const text = displayName({ name: ref.name, suggested: ref.suggested_name, applied: suggested }).text;
    return (
      <li key={ref.address}>
        <RouterLink className="xref" to={{ search: targetSearch({ kind: "function", address: ref.address }) }}
          aria-label={`Open function ${text} at ${hex(ref.address)}`}>
          <NameText name={ref.name} suggested={ref.suggested_name} applied={suggested} />
        </RouterLink>
      </li>
    );
  });
}

/** Unique called functions in call order. */
function calledFunctions(fn: FunctionDetail): FunctionRef[] {
  const seen = new Map<number, FunctionRef>();
  for (const call of fn.calls) if (!seen.has(call.function.address)) seen.set(call.function.address, call.function);
  return [...seen.values()];
}

export interface FunctionXrefsProps {
  fn: FunctionDetail;
  suggested: boolean;
  /** Mark the instruction at this address in the disassembly. */
  onMark: (address: number) => void;
}

export function FunctionXrefs({ fn, suggested, onMark }: FunctionXrefsProps) {
  const site = (address: number, what: string) => (
    <button type="button" className="site" onClick={() => onMark(address)} aria-label={`Show the ${what} at ${hex(address)}`}>
      {hex(address)}
    </button>
  );
  const imports = fn.import_refs.map((ref) => (
    <li key={`${ref.address}-${ref.name}`}>
      <RouterLink className="xref" to={{ search: targetSearch({ kind: "import", name: ref.name }) }} aria-label={`Open import ${ref.name}`}>
        {ref.name}
      </RouterLink>
      {site(ref.address, `call to ${ref.name}`)}
    </li>
  ));
  const strings = fn.string_refs.map((ref) => (
    <li key={`${ref.address}-${ref.string_address}`}>
      <RouterLink className="xref" to={{ search: targetSearch({ kind: "string", address: ref.string_address }) }}
        aria-label={`Open string at ${hex(ref.string_address)}`}>
        {JSON.stringify(ref.value)}
      </RouterLink>
      {site(ref.address, "string load")}
    </li>
  ));
  return (
    <Box sx={{ mt: 2, display: "grid", gap: 3, gridTemplateColumns: { xs: "minmax(0, 1fr)", md: "repeat(2, minmax(0, 1fr))" } }}>
      <Section title="Called by" items={functionItems(fn.callers, suggested)} pills />
      <Section title="Calls" items={functionItems(calledFunctions(fn), suggested)} pills />
      <Section title="Imports called" items={imports} />
      <Section title="Strings used" items={strings} />
    </Box>
  );
}
