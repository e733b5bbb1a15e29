// The cross-references of one function by address: callers and called functions (links opening
// them; duplicate names stay apart), imports called and strings loaded (links to their rows in
// Imports and Strings, and the instruction address, which marks the line in the disassembly).
import { Box, Button, Stack, Typography } from "@mui/material";
import { Link as RouterLink } from "react-router-dom";
import type { FunctionDetail, FunctionRef } from "../../types/Result.types";
import { hex } from "./format";
import { targetSearch } from "./links";
import { displayName, NameText, SUGGESTED_SX, XrefLink } from "./NameText";

function Section({ title, empty, children }: { title: string; empty: boolean; children: React.ReactNode }) {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography variant="subtitle2" component="h3">{title}</Typography>
      {empty ? <Typography variant="body2" color="text.secondary">none</Typography> : children}
    </Box>
  );
}

function FunctionLinks({ refs, suggested }: { refs: FunctionRef[]; suggested: boolean }) {
  return (
    <Stack direction="row" sx={{ flexWrap: "wrap", gap: 1, ...SUGGESTED_SX }}>
      {refs.map((ref) => {
        const text = displayName({ name: ref.name, suggested: ref.suggested_name, applied: suggested }).text;
        return (
          <Button
            key={ref.address}
            component={RouterLink}
            to={{ search: targetSearch({ kind: "function", address: ref.address }) }}
            size="small"
            variant="outlined"
            sx={{ fontFamily: "monospace", textTransform: "none" }}
            aria-label={`Open function ${text} at ${hex(ref.address)}`}
          >
            <NameText name={ref.name} suggested={ref.suggested_name} applied={suggested} />
          </Button>
        );
      })}
    </Stack>
  );
}

/** Unique called functions in call order. */
function calledFunctions(fn: FunctionDetail): FunctionRef[] {
  const seen = new Map<number, FunctionRef>();
  for (const call of fn.calls) if (!seen.has(call.function.address)) seen.set(call.function.address, call.function);
  return [...seen.values()];
}

function SiteButton({ address, what, onMark }: { address: number; what: string; onMark: (address: number) => void }) {
  return (
    <Button size="small" onClick={() => onMark(address)} aria-label={`Show the ${what} at ${hex(address)}`}
      sx={{ fontFamily: "monospace", textTransform: "none", minWidth: 0, p: 0, mx: 1 }}>
      {hex(address)}
    </Button>
  );
}

export interface FunctionXrefsProps {
  fn: FunctionDetail;
  suggested: boolean;
  /** Mark the instruction at this address in the disassembly. */
  onMark: (address: number) => void;
}

export function FunctionXrefs({ fn, suggested, onMark }: FunctionXrefsProps) {
  return (
    <Box sx={{ mt: 2, display: "grid", gap: 3, gridTemplateColumns: { xs: "minmax(0, 1fr)", md: "repeat(2, minmax(0, 1fr))" } }}>
      <Section title="Called by" empty={fn.callers.length === 0}>
        <FunctionLinks refs={fn.callers} suggested={suggested} />
      </Section>
      <Section title="Calls" empty={fn.calls.length === 0}>
        <FunctionLinks refs={calledFunctions(fn)} suggested={suggested} />
      </Section>
      <Section title="Imports called" empty={fn.import_refs.length === 0}>
        <Stack spacing={0.5}>
          {fn.import_refs.map((ref) => (
            <Typography key={`${ref.address}-${ref.name}`} variant="body2" sx={{ fontFamily: "monospace" }}>
              <XrefLink target={{ kind: "import", name: ref.name }} text={ref.name} />
              <SiteButton address={ref.address} what={`call to ${ref.name}`} onMark={onMark} />
            </Typography>
          ))}
        </Stack>
      </Section>
      <Section title="Strings used" empty={fn.string_refs.length === 0}>
        <Stack spacing={0.5}>
          {fn.string_refs.map((ref) => (
            <Typography key={`${ref.address}-${ref.string_address}`} variant="body2" sx={{ fontFamily: "monospace", wordBreak: "break-all" }}>
              <XrefLink target={{ kind: "string", address: ref.string_address }} text={JSON.stringify(ref.value)} />
              <SiteButton address={ref.address} what="string load" onMark={onMark} />
            </Typography>
          ))}
        </Stack>
      </Section>
    </Box>
  );
}
