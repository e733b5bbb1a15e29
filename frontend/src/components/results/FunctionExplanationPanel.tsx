// The explanation of one function: summary, details, parameters, side effects, security notes,
// evidence (addresses are buttons that mark the line in the code), its grounding chip, or why
// there is none. Functions, imports and strings it mentions are links (`LinkedText`, through the
// function's cross-references).
import { Alert, Box, Chip, List, ListItem, Stack, Typography } from "@mui/material";
import type { FunctionResult } from "../../types/Job.types";
import { EvidenceList } from "./EvidenceList";
import { GroundingChip } from "./GroundingChip";
import { LinkedText } from "./LinkedText";
import type { Xrefs } from "./xrefs";

export interface FunctionExplanationPanelProps {
  result: FunctionResult | undefined;
  /** True when the job ran without a provider. */
  decompileOnly: boolean;
  onEvidenceAddress: (address: string) => void;
  /** The function's cross-references, to link the names the text mentions. */
  xrefs?: Xrefs;
}

function Bullets({ title, items, xrefs }: { title: string; items: string[]; xrefs?: Xrefs }) {
  if (items.length === 0) return null;
  return (
    <Box>
      <Typography variant="subtitle2" component="h4">{title}</Typography>
      <List dense disablePadding sx={{ listStyle: "disc", pl: 3 }}>
        {items.map((item, i) => (
          <ListItem key={i} sx={{ display: "list-item", py: 0 }}><LinkedText text={item} xrefs={xrefs} /></ListItem>
        ))}
      </List>
    </Box>
  );
}

export function FunctionExplanationPanel({ result, decompileOnly, onEvidenceAddress, xrefs }: FunctionExplanationPanelProps) {
  if (decompileOnly) return <Alert severity="info">This job ran without an LLM provider: no explanations.</Alert>;
  if (!result) return <Alert severity="info">This function was not explained (library or runtime code, or beyond the limits).</Alert>;
  if (!result.explanation) {
    return (
      <Alert severity={result.status === "cancelled" ? "warning" : "error"}>
        Not explained ({result.status}){result.error ? `: ${result.error.code}: ${result.error.message}` : "."}
      </Alert>
    );
  }
  const e = result.explanation;
  const parameters = e.parameters ?? [];
  const evidence = e.evidence ?? [];
  const coverage = result.coverage ?? 1;
  return (
    <Stack spacing={1.5} aria-label="Explanation">
      {result.suspect_injection && (
        <Alert severity="error">
          Suspect: this explanation may have obeyed text the binary addressed to AI analysis (prompt injection)
          {(result.injection_reasons ?? []).length > 0 ? `: ${(result.injection_reasons ?? []).join("; ")}.` : "."}
        </Alert>
      )}
      <Typography sx={{ fontWeight: 600 }}><LinkedText text={e.summary} xrefs={xrefs} /></Typography>
      <Stack direction="row" spacing={1} sx={{ flexWrap: "wrap", rowGap: 1 }}>
        <Chip size="small" label={e.category} />
        <Chip size="small" variant="outlined" label={`self-rated confidence ${Math.round(e.confidence * 100)}%`} />
        {result.cached && <Chip size="small" variant="outlined" label="from cache" />}
        {coverage < 1 && (
          <Chip
            size="small"
            color="warning"
            label={`covers ${Math.round(coverage * 100)}% of the code${result.coverage_reason ? ` (${result.coverage_reason.replace("_", " ")})` : ""}`}
          />
        )}
        {e.suggested_name && <Chip size="small" variant="outlined" label={`suggested name: ${e.suggested_name}`} />}
        {result.grounding && <GroundingChip grounding={result.grounding} />}
      </Stack>
      <Typography sx={{ whiteSpace: "pre-wrap" }}><LinkedText text={e.explanation} xrefs={xrefs} /></Typography>
      {parameters.length > 0 && (
        <Box>
          <Typography variant="subtitle2" component="h4">Parameters</Typography>
          <List dense disablePadding>
            {parameters.map((p) => (
              <ListItem key={p.name} sx={{ py: 0 }}>
                <Box component="code" sx={{ mr: 1 }}>{p.type ? `${p.type} ${p.name}` : p.name}</Box>
                <LinkedText text={p.description ?? ""} xrefs={xrefs} />
              </ListItem>
            ))}
          </List>
        </Box>
      )}
      {e.return_value && <Typography><strong>Returns:</strong> <LinkedText text={e.return_value} xrefs={xrefs} /></Typography>}
      <Bullets title="Side effects" items={e.side_effects ?? []} xrefs={xrefs} />
      <Bullets title="Security notes" items={e.security_notes ?? []} xrefs={xrefs} />
      <EvidenceList evidence={evidence} xrefs={xrefs} onEvidenceAddress={onEvidenceAddress} />
    </Stack>
  );
}
