// The overview of a finished job: what the analysis left out (CFG recovery cut by its time
// budget), file facts, warnings and notes, the program summary, the capabilities, tokens and cost
// (thinking tokens apart), the grounding score and the parts whose explanations failed.
import { Alert, AlertTitle, Box, List, ListItem, Paper, Stack, Table, TableBody, TableCell, TableRow, Typography } from "@mui/material";
import type { JobOverview, ResultOverview as Result } from "../../types/Result.types";
import { FailedPartsAlert, jobGroundingText } from "./ExplanationChecks";
import { hex, usd } from "./format";

function Facts({ rows, label }: { rows: [string, string][]; label: string }) {
  return (
    <Table size="small" aria-label={label}>
      <TableBody>
        {rows.map(([name, value]) => (
          <TableRow key={name}>
            <TableCell component="th" scope="row" sx={{ width: 180, fontWeight: 600 }}>{name}</TableCell>
            <TableCell sx={{ fontFamily: "monospace", wordBreak: "break-all" }}>{value}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Bullets({ items }: { items: string[] }) {
  return (
    <List dense disablePadding sx={{ listStyle: "disc", pl: 3 }}>
      {items.map((item, i) => (
        <ListItem key={i} sx={{ display: "list-item", py: 0 }}>{item}</ListItem>
      ))}
    </List>
  );
}

export function ResultOverview({ job, result }: { job: JobOverview; result: Result }) {
  const { binary, stats, warnings, notes, cfg_cut: cut } = result;
  const explanation = result.explanation;
  const program = explanation?.program;
  const summary = program?.result;
  const capabilities = explanation?.imports?.result?.capabilities ?? [];
  const file: [string, string][] = [
    ["Name", job.file_info.name],
    ["Size", `${binary.size} bytes`],
    ["SHA-256", binary.sha256],
    ["Format", `${binary.format} ${binary.kind}, ${binary.arch} (${binary.bits}-bit, ${binary.endianness} endian)`],
    ["Entry point", binary.entry_point === null ? "none" : hex(binary.entry_point)],
    ["Language", binary.language ?? "native"],
    ["Stripped", binary.stripped ? "yes" : "no"],
    ["Statically linked", binary.static ? "yes" : "no"],
    ["Packer", binary.packer ?? "none found"],
    ["Functions", `${stats.functions_total} found, ${stats.functions_decompiled} decompiled, ${stats.decompile_failures} failed`],
    ["Analysis", `angr ${result.engine_version}, depth ${result.depth}`],
    ["CFG recovery", cut ? `cut at its ${cut.budget_s} s budget, ${Math.round(cut.scanned_percent)}% of the code scanned` : "complete"],
  ];
  const usage: [string, string][] = [
    ["Provider", job.provider ? `${job.provider.name} (${job.provider.provider_type}, ${job.provider.model ?? "default model"})` : "none (decompile only)"],
    ["Input tokens", String(job.usage.input_tokens)],
    ["Output tokens", String(job.usage.output_tokens)],
    ["Thinking tokens", `${job.usage.reasoning_tokens} (part of the output tokens, billed as output)`],
    ["Estimated cost", usd(job.usage.estimated_cost_usd)],
  ];
  if (explanation) {
    usage.push(["Explained", `${explanation.explained ?? 0} explained, ${explanation.failed ?? 0} failed, ${explanation.cached ?? 0} from cache, ${explanation.functions_skipped ?? 0} skipped`]);
    usage.push(["Grounding", jobGroundingText(explanation)]);
  }

  return (
    <Stack spacing={2}>
      {cut && (
        <Alert severity="warning" aria-label="Partial result">
          <AlertTitle>Partial result: CFG recovery was cut by its time budget</AlertTitle>
          It stopped after {cut.budget_s} s with {cut.functions_found} functions found and {Math.round(cut.scanned_percent)}% of
          the code scanned; functions in the rest of the code are missing from every list.
        </Alert>
      )}
      {explanation && <FailedPartsAlert explanation={explanation} />}
      {warnings.map((w) => <Alert key={w} severity="warning">{w}</Alert>)}
      {notes.map((n) => <Alert key={n} severity="info">{n}</Alert>)}
      <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-labelledby="program-summary">
        <Typography variant="h6" component="h2" id="program-summary" gutterBottom>What the program does</Typography>
        {!explanation && <Typography color="text.secondary">No explanation: this job ran without an LLM provider.</Typography>}
        {explanation && !summary && (
          <Alert severity="error">
            No program summary{program?.error ? `: ${program.error.code}: ${program.error.message}` : "."}
          </Alert>
        )}
        {summary && (
          <Stack spacing={1}>
            <Typography>{summary.purpose}</Typography>
            {(summary.key_behaviours ?? []).length > 0 && <Box><Typography variant="subtitle2" component="h3">Key behaviours</Typography><Bullets items={summary.key_behaviours ?? []} /></Box>}
            {(summary.security_considerations ?? []).length > 0 && <Box><Typography variant="subtitle2" component="h3">Security considerations</Typography><Bullets items={summary.security_considerations ?? []} /></Box>}
            <Typography variant="body2" color="text.secondary">Self-rated confidence {Math.round(summary.confidence * 100)}%</Typography>
          </Stack>
        )}
      </Paper>
      {(capabilities.length > 0 || (summary?.capabilities ?? []).length > 0) && (
        <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-labelledby="capabilities">
          <Typography variant="h6" component="h2" id="capabilities" gutterBottom>Capabilities</Typography>
          <Bullets items={[...(summary?.capabilities ?? []), ...capabilities.map((c) => `${c.kind}: ${c.purpose}`)]} />
        </Paper>
      )}
      <Box sx={{ display: "grid", gridTemplateColumns: { xs: "minmax(0, 1fr)", lg: "3fr 2fr" }, gap: 2 }}>
        <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-labelledby="file-facts">
          <Typography variant="h6" component="h2" id="file-facts" gutterBottom>File</Typography>
          <Facts rows={file} label="File facts" />
        </Paper>
        <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-labelledby="usage-facts">
          <Typography variant="h6" component="h2" id="usage-facts" gutterBottom>Tokens and cost</Typography>
          <Facts rows={usage} label="Tokens and cost" />
        </Paper>
      </Box>
    </Stack>
  );
}
