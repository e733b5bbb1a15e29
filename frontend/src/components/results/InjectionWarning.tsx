// The prompt-injection warning of a result overview: text in the binary addressed to an AI model
// or analysis tool (analysis facts, shown whatever the model answered), with addresses (the job
// document carries the first few, `injection_findings_total` counts them all), and the explained items whose
// answer looks like it obeyed that text (`suspect_items`; the program, imports and strings items
// with their reasons, a function's reasons are in its detail).
import { Alert, AlertTitle, Box, List, ListItem, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import type { InjectionFinding } from "../../types/Job.types";
import type { ResultOverview } from "../../types/Result.types";
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

function suspectReasons(result: ResultOverview): [string, string[]][] {
  const report = result.explanation;
  if (!report) return [];
  const reasons: Record<string, string[] | undefined> = {
    imports: report.imports?.injection_reasons,
    strings: report.strings?.injection_reasons,
    program: report.program?.injection_reasons,
  };
  return report.suspect_items.map((label) => [label, reasons[label] ?? []]);
}

export function InjectionWarning({ result }: { result: ResultOverview }) {
  const findings = result.injection_findings;
  const total = result.injection_findings_total;
  if (total === 0) return null;
  const suspects = suspectReasons(result);
  return (
    <Alert severity="error" variant="outlined" role="alert" aria-label="Prompt injection warning" sx={{ mb: 2 }}>
      <AlertTitle>This binary addresses AI analysis (prompt injection)</AlertTitle>
      <Typography variant="body2" gutterBottom>
        The analysis found {total} text{total === 1 ? "" : "s"} in this binary written for an AI model or
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
      {total > findings.length && (
        <Typography variant="body2" sx={{ mt: 1 }}>
          Showing the first {findings.length} of {total}; the JSON download has every finding.
        </Typography>
      )}
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
