// The explanation of one function: summary, details, parameters, side effects, security notes,
// evidence (addresses are buttons that mark the line in the code), its grounding chip, or why
// there is none.
import { Alert, Box, Chip, Link, List, ListItem, Stack, Typography } from "@mui/material";
import type { FunctionResult } from "../../types/Job.types";
import { GroundingChip } from "./GroundingChip";

export interface FunctionExplanationPanelProps {
  result: FunctionResult | undefined;
  /** True when the job ran without a provider. */
  decompileOnly: boolean;
  onEvidenceAddress: (address: string) => void;
}

function Bullets({ title, items }: { title: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <Box>
      <Typography variant="subtitle2" component="h4">{title}</Typography>
      <List dense disablePadding sx={{ listStyle: "disc", pl: 3 }}>
        {items.map((item, i) => (
          <ListItem key={i} sx={{ display: "list-item", py: 0 }}>{item}</ListItem>
        ))}
      </List>
    </Box>
  );
}

export function FunctionExplanationPanel({ result, decompileOnly, onEvidenceAddress }: FunctionExplanationPanelProps) {
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
      <Typography sx={{ fontWeight: 600 }}>{e.summary}</Typography>
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
      <Typography sx={{ whiteSpace: "pre-wrap" }}>{e.explanation}</Typography>
      {parameters.length > 0 && (
        <Box>
          <Typography variant="subtitle2" component="h4">Parameters</Typography>
          <List dense disablePadding>
            {parameters.map((p) => (
              <ListItem key={p.name} sx={{ py: 0 }}>
                <Box component="code" sx={{ mr: 1 }}>{p.type ? `${p.type} ${p.name}` : p.name}</Box>
                {p.description}
              </ListItem>
            ))}
          </List>
        </Box>
      )}
      {e.return_value && <Typography><strong>Returns:</strong> {e.return_value}</Typography>}
      <Bullets title="Side effects" items={e.side_effects ?? []} />
      <Bullets title="Security notes" items={e.security_notes ?? []} />
      {evidence.length > 0 && (
        <Box>
          <Typography variant="subtitle2" component="h4">Evidence</Typography>
          <List dense disablePadding>
            {evidence.map((ev, i) => (
              <ListItem key={i} sx={{ py: 0, gap: 1 }}>
                <Chip size="small" variant="outlined" label={ev.kind} />
                {ev.kind === "address" ? (
                  <Link component="button" type="button" onClick={() => onEvidenceAddress(ev.value)} sx={{ fontFamily: "monospace" }}>
                    {ev.value}
                  </Link>
                ) : (
                  <Box component="code">{ev.value}</Box>
                )}
                {ev.supports && <Typography variant="body2" color="text.secondary">{ev.supports}</Typography>}
              </ListItem>
            ))}
          </List>
        </Box>
      )}
    </Stack>
  );
}
