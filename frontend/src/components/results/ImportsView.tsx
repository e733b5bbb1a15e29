// Imports grouped by the capability the model gave them; imports in no group are listed apart.
import { Alert, Box, Chip, Paper, Stack, Typography } from "@mui/material";
import type { JobResult } from "../../types/Job.types";

export function ImportsView({ result }: { result: JobResult }) {
  const imports = result.analysis.imports ?? [];
  const explained = result.explanation?.imports;
  const capabilities = explained?.result?.capabilities ?? [];
  const grouped = new Set(capabilities.flatMap((c) => c.imports));
  const rest = imports.filter((i) => !grouped.has(i.name));
  const chip = (name: string) => {
    const lib = imports.find((i) => i.name === name)?.library;
    return <Chip key={name} size="small" label={lib ? `${name} (${lib})` : name} sx={{ fontFamily: "monospace" }} />;
  };

  return (
    <Stack spacing={2}>
      {imports.length === 0 && <Alert severity="info">No imports: the binary is static or imports nothing.</Alert>}
      {explained?.result?.summary && <Typography>{explained.result.summary}</Typography>}
      {explained?.error && <Alert severity="error">Imports not explained: {explained.error.code}: {explained.error.message}</Alert>}
      {capabilities.map((c, i) => (
        <Paper key={i} variant="outlined" sx={{ p: 2 }} component="section" aria-label={`Capability ${c.kind}`}>
          <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600 }}>{c.kind.replaceAll("_", " ")}</Typography>
          <Typography variant="body2" sx={{ mb: 1 }}>{c.purpose}</Typography>
          <Stack direction="row" sx={{ flexWrap: "wrap", gap: 1 }}>{c.imports.map(chip)}</Stack>
        </Paper>
      ))}
      {rest.length > 0 && (
        <Box component="section" aria-label={capabilities.length ? "Other imports" : "Imports"}>
          <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600, mb: 1 }}>
            {capabilities.length ? "Other imports" : "Imports"}
          </Typography>
          <Stack direction="row" sx={{ flexWrap: "wrap", gap: 1 }}>{rest.map((i) => chip(i.name))}</Stack>
        </Box>
      )}
    </Stack>
  );
}
