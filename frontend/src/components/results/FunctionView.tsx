// One function: header facts, code (pseudocode and disassembly tabs) beside its explanation, and
// its cross-references by address: callers and called functions are links (opening them by
// address, so duplicate names stay apart), imports and strings it references are listed with the
// instruction that references them. `FunctionPanel` fetches the detail when a function is opened.
import { Alert, Box, Button, Chip, CircularProgress, Paper, Stack, Tab, Tabs, Typography } from "@mui/material";
import { useState } from "react";
import { handleError } from "../../services/api/handleError";
import { useGetFunctionQuery } from "../../services/api/resultsApi";
import type { FunctionDetail, FunctionRef } from "../../types/Result.types";
import { CodeBlock } from "./CodeBlock";
import { FunctionExplanationPanel } from "./FunctionExplanationPanel";
import { hex } from "./format";
import { FunctionActions } from "./OnDemandActions";

export interface FunctionViewProps {
  fn: FunctionDetail;
  decompileOnly: boolean;
  onOpen: (address: number) => void;
}

function Section({ title, empty, children }: { title: string; empty: boolean; children: React.ReactNode }) {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography variant="subtitle2" component="h3">{title}</Typography>
      {empty ? <Typography variant="body2" color="text.secondary">none</Typography> : children}
    </Box>
  );
}

function FunctionLinks({ refs, onOpen }: { refs: FunctionRef[]; onOpen: (address: number) => void }) {
  return (
    <Stack direction="row" sx={{ flexWrap: "wrap", gap: 1 }}>
      {refs.map((ref) => (
        <Button
          key={ref.address}
          size="small"
          variant="outlined"
          onClick={() => onOpen(ref.address)}
          sx={{ fontFamily: "monospace", textTransform: "none" }}
          aria-label={`Open function ${ref.name} at ${hex(ref.address)}`}
        >
          {ref.name}
        </Button>
      ))}
    </Stack>
  );
}

/** Unique called functions in call order, each with the addresses of its call sites. */
function calledFunctions(fn: FunctionDetail): FunctionRef[] {
  const seen = new Map<number, FunctionRef>();
  for (const call of fn.calls) if (!seen.has(call.function.address)) seen.set(call.function.address, call.function);
  return [...seen.values()];
}

export function FunctionView({ fn, decompileOnly, onOpen }: FunctionViewProps) {
  const [tab, setTab] = useState<"pseudocode" | "disassembly">(fn.pseudocode ? "pseudocode" : "disassembly");
  const [marked, setMarked] = useState<string | undefined>(undefined);
  const shown = tab === "pseudocode" && !fn.pseudocode ? "disassembly" : tab;
  const mark = (address: number | string) => {
    setTab("disassembly");
    setMarked(`${(typeof address === "number" ? hex(address) : address).toLowerCase()}:`);
  };
  const imports = [...new Set(fn.import_refs.map((r) => r.name))];

  return (
    <Paper variant="outlined" component="section" aria-label={`Function ${fn.name}`} sx={{ p: 2 }}>
      <Typography variant="h5" component="h2" sx={{ fontFamily: "monospace", wordBreak: "break-all" }}>
        {fn.name}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {hex(fn.address)} · {fn.size} bytes · {fn.blocks} blocks · {fn.instructions} instructions
        {fn.is_library ? " · library code" : ""}
        {fn.mangled_name ? ` · ${fn.mangled_name}` : ""}
      </Typography>
      <Box sx={{ display: "grid", gridTemplateColumns: { xs: "minmax(0, 1fr)", lg: "minmax(0, 1fr) minmax(0, 1fr)" }, gap: 2 }}>
        <Box>
          <Tabs value={shown} onChange={(_e, value) => setTab(value)} aria-label="Code of the function">
            <Tab value="pseudocode" label="Pseudocode" disabled={!fn.pseudocode} />
            <Tab value="disassembly" label="Disassembly" />
          </Tabs>
          {!fn.pseudocode && (
            <Typography variant="body2" color="text.secondary" sx={{ my: 1 }}>
              {fn.decompile_error ? `Decompilation failed: ${fn.decompile_error}` : "Not decompiled at this analysis depth."}
            </Typography>
          )}
          {shown === "pseudocode" && fn.pseudocode ? (
            <CodeBlock code={fn.pseudocode} language="c" label={`Pseudocode of ${fn.name}`} highlight={marked} />
          ) : (
            <CodeBlock code={fn.disassembly} language="asm" label={`Disassembly of ${fn.name}`} highlight={marked} />
          )}
        </Box>
        <Box>
          <Typography variant="h6" component="h3" gutterBottom>Explanation</Typography>
          <FunctionExplanationPanel result={fn.explanation ?? undefined} decompileOnly={decompileOnly} onEvidenceAddress={mark} />
        </Box>
      </Box>
      <Box sx={{ mt: 2, display: "grid", gap: 3, gridTemplateColumns: { xs: "minmax(0, 1fr)", md: "repeat(2, minmax(0, 1fr))" } }}>
        <Section title="Called by" empty={fn.callers.length === 0}>
          <FunctionLinks refs={fn.callers} onOpen={onOpen} />
        </Section>
        <Section title="Calls" empty={fn.calls.length === 0}>
          <FunctionLinks refs={calledFunctions(fn)} onOpen={onOpen} />
        </Section>
        <Section title="Imports called" empty={imports.length === 0}>
          <Stack direction="row" sx={{ flexWrap: "wrap", gap: 1 }}>
            {fn.import_refs.map((ref) => (
              <Chip
                key={`${ref.address}-${ref.name}`}
                size="small"
                label={`${ref.name} at ${hex(ref.address)}`}
                onClick={() => mark(ref.address)}
                sx={{ fontFamily: "monospace" }}
                aria-label={`Show the call to ${ref.name} at ${hex(ref.address)}`}
              />
            ))}
          </Stack>
        </Section>
        <Section title="Strings used" empty={fn.string_refs.length === 0}>
          <Stack spacing={0.5}>
            {fn.string_refs.map((ref) => (
              <Typography key={`${ref.address}-${ref.string_address}`} variant="body2" sx={{ fontFamily: "monospace", wordBreak: "break-all" }}>
                <Button size="small" onClick={() => mark(ref.address)} sx={{ fontFamily: "monospace", textTransform: "none", minWidth: 0, p: 0, mr: 1 }}>
                  {hex(ref.address)}
                </Button>
                {JSON.stringify(ref.value)}
              </Typography>
            ))}
          </Stack>
        </Section>
      </Box>
    </Paper>
  );
}

export interface FunctionPanelProps {
  jobId: string;
  address: number;
  decompileOnly: boolean;
  onOpen: (address: number) => void;
}

/** Fetches the function at `address` (when opened) and shows it. */
export function FunctionPanel({ jobId, address, decompileOnly, onOpen }: FunctionPanelProps) {
  const detail = useGetFunctionQuery({ jobId, address: hex(address) });
  if (detail.isLoading) return <CircularProgress aria-label={`Loading the function at ${hex(address)}`} />;
  if (detail.error || !detail.data) return <Alert severity="error">{handleError(detail.error).message}</Alert>;
  const fn = detail.data;
  return (
    <Stack spacing={1}>
      <FunctionActions jobId={jobId} address={hex(address)} decompiled={fn.decompiled}
        explained={fn.explanation_status === "explained"} onDone={detail.refetch} />
      <FunctionView key={address} fn={fn} decompileOnly={decompileOnly} onOpen={onOpen} />
    </Stack>
  );
}
