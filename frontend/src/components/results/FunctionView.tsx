// One function: header facts, code (pseudocode and disassembly tabs) beside its explanation,
// and its callers and callees; recovered functions are links, imports are plain chips.
import { Box, Button, Chip, Paper, Stack, Tab, Tabs, Typography } from "@mui/material";
import { useState } from "react";
import type { AnalyzedFunction, FunctionResult } from "../../types/Job.types";
import { CodeBlock } from "./CodeBlock";
import { FunctionExplanationPanel } from "./FunctionExplanationPanel";
import { hex } from "./format";

export interface FunctionViewProps {
  fn: AnalyzedFunction;
  explained: FunctionResult | undefined;
  decompileOnly: boolean;
  /** Names of the recovered functions (callers/callees among them are navigable). */
  functionNames: Set<string>;
  onOpen: (name: string) => void;
}

function Neighbours({ title, names, functionNames, onOpen }: { title: string; names: string[] } & Pick<FunctionViewProps, "functionNames" | "onOpen">) {
  return (
    <Box>
      <Typography variant="subtitle2" component="h4">{title}</Typography>
      {names.length === 0 && <Typography variant="body2" color="text.secondary">none</Typography>}
      <Stack direction="row" sx={{ flexWrap: "wrap", gap: 1 }}>
        {names.map((name) =>
          functionNames.has(name) ? (
            <Button key={name} size="small" variant="outlined" onClick={() => onOpen(name)} sx={{ fontFamily: "monospace", textTransform: "none" }} aria-label={`Open function ${name}`}>
              {name}
            </Button>
          ) : (
            <Chip key={name} size="small" label={`${name} (import)`} sx={{ fontFamily: "monospace" }} />
          ),
        )}
      </Stack>
    </Box>
  );
}

export function FunctionView({ fn, explained, decompileOnly, functionNames, onOpen }: FunctionViewProps) {
  const [tab, setTab] = useState<"pseudocode" | "disassembly">(fn.pseudocode ? "pseudocode" : "disassembly");
  const [marked, setMarked] = useState<string | undefined>(undefined);
  const shown = tab === "pseudocode" && !fn.pseudocode ? "disassembly" : tab;

  return (
    <Paper variant="outlined" component="section" aria-label={`Function ${fn.name}`} sx={{ p: 2 }}>
      <Typography variant="h5" component="h3" sx={{ fontFamily: "monospace", wordBreak: "break-all" }}>
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
          <Typography variant="h6" component="h4" gutterBottom>Explanation</Typography>
          <FunctionExplanationPanel
            result={explained}
            decompileOnly={decompileOnly}
            onEvidenceAddress={(address) => {
              setTab("disassembly");
              setMarked(`${address.toLowerCase()}:`);
            }}
          />
        </Box>
      </Box>
      <Stack direction={{ xs: "column", md: "row" }} spacing={3} sx={{ mt: 2 }}>
        <Neighbours title="Called by" names={fn.callers ?? []} functionNames={functionNames} onOpen={onOpen} />
        <Neighbours title="Calls" names={fn.callees ?? []} functionNames={functionNames} onOpen={onOpen} />
      </Stack>
    </Paper>
  );
}
