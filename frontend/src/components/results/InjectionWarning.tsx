// The prompt-injection warning of a result: text in the binary addressed to an AI model or
// analysis tool (analysis facts, shown whatever the model answered), with addresses, and the
// explained items whose answer looks like it obeyed that text (`suspect_injection`).
import { Alert, AlertTitle, Box, List, ListItem, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import type { InjectionFinding, JobResult } from "../../types/Job.types";
import { hex } from "./format";

/** The capability a binary with findings has (the backend's `TARGETS_AI_ANALYSIS`). */
export const TARGETS_AI_ANALYSIS = "targets AI analysis";

function where(finding: InjectionFinding): string {
  if (finding.address === null) return ".NET metadata";
  const addresses = finding.addresses?.length ? finding.addresses : [finding.address];
  return addresses.map(hex).join(", ");
}

function place(finding: InjectionFinding): string {
  return finding.function ? `${finding.kind} ${finding.function}` : finding.kind;
}

function suspectReasons(result: JobResult): [string, string[]][] {
  const report = result.explanation;
  if (!report) return [];
  const items = [
    ...(report.functions ?? []).map((f) => [`function ${f.name} (${hex(f.address)})`, f] as const),
    ["imports", report.imports] as const,
    ["strings", report.strings] as const,
    ["program", report.program] as const,
  ];
  return items
    .filter(([, item]) => item?.suspect_injection)
    .map(([label, item]) => [label, item?.injection_reasons ?? []]);
}

export function InjectionWarning({ result }: { result: JobResult }) {
  const findings = result.analysis.injection_findings ?? [];
  if (findings.length === 0) return null;
  const suspects = suspectReasons(result);
  return (
    <Alert severity="error" variant="outlined" role="alert" aria-label="Prompt injection warning" sx={{ mb: 2 }}>
      <AlertTitle>This binary addresses AI analysis (prompt injection)</AlertTitle>
      <Typography variant="body2" gutterBottom>
        The analysis found {findings.length} text{findings.length === 1 ? "" : "s"} in this binary written for an AI model or
        analysis tool. Capability: <strong>{TARGETS_AI_ANALYSIS}</strong>. Every prompt framed this text as data, but treat any
        model verdict on this binary with suspicion.
      </Typography>
      <Table size="small" aria-label="Prompt injection findings">
        <TableHead>
          <TableRow>
            <TableCell>Address</TableCell>
            <TableCell>Where</TableCell>
            <TableCell>Rule</TableCell>
            <TableCell>Text</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {findings.map((finding, i) => (
            <TableRow key={i}>
              <TableCell sx={{ fontFamily: "monospace", whiteSpace: "nowrap" }}>{where(finding)}</TableCell>
              <TableCell>{place(finding)}{finding.encoding && finding.encoding !== "plain" ? ` (${finding.encoding})` : ""}</TableCell>
              <TableCell sx={{ fontFamily: "monospace" }}>{finding.rule}</TableCell>
              <TableCell sx={{ fontFamily: "monospace", wordBreak: "break-word" }}>{finding.excerpt}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {suspects.length > 0 && (
        <Box sx={{ mt: 1 }}>
          <Typography variant="subtitle2" component="h3">Explanations that may have obeyed it (suspect_injection)</Typography>
          <List dense disablePadding aria-label="Suspect explanations" sx={{ listStyle: "disc", pl: 3 }}>
            {suspects.map(([label, reasons]) => (
              <ListItem key={label} sx={{ display: "list-item", py: 0 }}>
                <strong>{label}</strong>{reasons.length > 0 ? `: ${reasons.join("; ")}` : ""}
              </ListItem>
            ))}
          </List>
        </Box>
      )}
    </Alert>
  );
}
