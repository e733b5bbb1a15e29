// One function: header facts, code (pseudocode and disassembly tabs) beside its explanation, and
// its cross-references by address (`FunctionXrefs`). Names in the code and the explanation are
// links through the same cross-references (`xrefs.ts`); with "Suggested names" on, function
// names show the model's suggestions, marked, the original in the tooltip.
import { Box, Paper, Tab, Tabs, Typography } from "@mui/material";
import { useMemo, useState } from "react";
import type { FunctionDetail } from "../../types/Result.types";
import { CodeBlock } from "./CodeBlock";
import { FunctionExplanationPanel } from "./FunctionExplanationPanel";
import { FunctionXrefs } from "./FunctionXrefs";
import { hex } from "./format";
import { NameText, SUGGESTED_SX } from "./NameText";
import { useSuggestedNames } from "./suggestedNames";
import { buildXrefs } from "./xrefs";

export interface FunctionViewProps {
  fn: FunctionDetail;
  decompileOnly: boolean;
}

export function FunctionView({ fn, decompileOnly }: FunctionViewProps) {
  const [tab, setTab] = useState<"pseudocode" | "disassembly">(fn.pseudocode ? "pseudocode" : "disassembly");
  const [marked, setMarked] = useState<string | undefined>(undefined);
  const [suggested] = useSuggestedNames();
  const xrefs = useMemo(() => buildXrefs(fn), [fn]);
  const shown = tab === "pseudocode" && !fn.pseudocode ? "disassembly" : tab;
  const mark = (address: number | string) => {
    setTab("disassembly");
    setMarked(`${(typeof address === "number" ? hex(address) : address).toLowerCase()}:`);
  };
  const code = { highlight: marked, xrefs, suggested };

  return (
    <Paper variant="outlined" component="section" aria-label={`Function ${fn.name}`} sx={{ p: 2, minWidth: 0 }}>
      <Typography variant="h5" component="h2" sx={{ fontFamily: "monospace", wordBreak: "break-all", ...SUGGESTED_SX }}>
        <NameText name={fn.name} suggested={fn.suggested_name} applied={suggested} />
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {hex(fn.address)} · {fn.size} bytes · {fn.blocks} blocks · {fn.instructions} instructions
        {fn.is_library ? " · library code" : ""}
        {fn.mangled_name ? ` · ${fn.mangled_name}` : ""}
      </Typography>
      <Box sx={{ display: "grid", gridTemplateColumns: { xs: "minmax(0, 1fr)", xl: "minmax(0, 3fr) minmax(0, 2fr)" }, gap: 2 }}>
        <Box sx={{ minWidth: 0 }}>
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
            <CodeBlock code={fn.pseudocode} language="c" label={`Pseudocode of ${fn.name}`} {...code} />
          ) : (
            <CodeBlock code={fn.disassembly} language="asm" label={`Disassembly of ${fn.name}`} {...code} />
          )}
        </Box>
        <Box sx={{ minWidth: 0 }}>
          <Typography variant="h6" component="h3" gutterBottom>Explanation</Typography>
          <FunctionExplanationPanel result={fn.explanation ?? undefined} decompileOnly={decompileOnly} onEvidenceAddress={mark} xrefs={xrefs} />
        </Box>
      </Box>
      <FunctionXrefs fn={fn} suggested={suggested} onMark={mark} />
    </Paper>
  );
}
