// Download the job's report as Markdown or its result as JSON. Fetched with the access token
// (a plain link could not send it) and saved through a temporary object URL.
import DownloadIcon from "@mui/icons-material/Download";
import { Alert, Button, Stack } from "@mui/material";
import { useState } from "react";
import { reportUrl, type ReportFormat } from "../../services/api/jobsApi";
import { useAppSelector } from "../../store/hooks";

const FILES: { format: ReportFormat; label: string; ext: string }[] = [
  { format: "markdown", label: "Download Markdown report", ext: "md" },
  { format: "json", label: "Download JSON result", ext: "json" },
];

export function ReportDownloads({ jobId, baseName }: { jobId: string; baseName: string }) {
  const token = useAppSelector((state) => state.auth.token);
  const [error, setError] = useState<string | null>(null);

  async function download(format: ReportFormat, ext: string) {
    setError(null);
    const response = await fetch(reportUrl(jobId, format), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    }).catch(() => null);
    if (!response?.ok) {
      setError(`The report could not be downloaded (${response ? `HTTP ${response.status}` : "no answer"}).`);
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement("a");
    link.href = url;
    link.download = `${baseName}.binscribe.${ext}`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  return (
    <Stack direction="row" spacing={1} sx={{ flexWrap: "wrap", rowGap: 1 }}>
      {FILES.map(({ format, label, ext }) => (
        <Button key={format} variant="outlined" startIcon={<DownloadIcon />} onClick={() => void download(format, ext)}>
          {label}
        </Button>
      ))}
      {error && <Alert severity="error">{error}</Alert>}
    </Stack>
  );
}
