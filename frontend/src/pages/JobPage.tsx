// One job: live progress while it runs (server-sent events, polling as fallback), then its
// result in tabs (overview, functions with the function view, imports, strings) and downloads.
// The page loads the small job document (`/jobs/{id}`); each table fetches its own pages and a
// function its detail when opened. The tab and the open function live in the URL
// (`?tab=functions&fn=0x401175`), so back and forward move between them.
import { Alert, Box, Button, CircularProgress, Stack, Tab, Tabs, Typography } from "@mui/material";
import { useParams, useSearchParams } from "react-router-dom";
import { JobCounts, JobProgress, JobStatusChip } from "../components/jobs";
import {
  FunctionPanel,
  FunctionsTable,
  ImportsView,
  InjectionWarning,
  JobActions,
  ReportDownloads,
  ResultOverview,
  StringsView,
  hex,
} from "../components/results";
import { handleError } from "../services/api/handleError";
import { useCanStream, useJobEvents } from "../services/api/jobEvents";
import { useCancelJobMutation } from "../services/api/jobsApi";
import { useGetJobOverviewQuery } from "../services/api/resultsApi";
import { isActive } from "../types/Job.types";
import type { JobOverview, ResultOverview as ResultSummary } from "../types/Result.types";

const TABS = ["overview", "functions", "imports", "strings"] as const;
type TabName = (typeof TABS)[number];
const POLL_MS = 2000;

function Result({ job, result }: { job: JobOverview; result: ResultSummary }) {
  const [params, setParams] = useSearchParams();
  const tab: TabName = TABS.find((t) => t === params.get("tab")) ?? "overview";
  const fn = params.get("fn");
  const open = fn && /^0x[0-9a-f]+$/i.test(fn) ? Number.parseInt(fn, 16) : null;
  const go = (next: Record<string, string>) => setParams(next);
  const openFunction = (address: number) => go({ tab: "functions", fn: hex(address) });

  return (
    <>
      <InjectionWarning result={result} />
      <Tabs value={tab} onChange={(_e, value: TabName) => go({ tab: value })} aria-label="Result" variant="scrollable" sx={{ mb: 2 }}>
        <Tab value="overview" label="Overview" />
        <Tab value="functions" label={`Functions (${result.counts.functions})`} />
        <Tab value="imports" label={`Imports (${result.counts.imports})`} />
        <Tab value="strings" label={`Strings (${result.counts.strings})`} />
      </Tabs>
      {tab === "overview" && <JobActions jobId={job.id} />}
      {tab === "overview" && <ResultOverview job={job} result={result} />}
      {tab === "functions" && (
        <Stack spacing={2}>
          <FunctionsTable jobId={job.id} selected={open} onSelect={openFunction} height={open === null ? 560 : 320} />
          {open !== null && (
            <FunctionPanel key={open} jobId={job.id} address={open} decompileOnly={!result.explanation} onOpen={openFunction} />
          )}
        </Stack>
      )}
      {tab === "imports" && <ImportsView jobId={job.id} result={result} onOpenFunction={openFunction} />}
      {tab === "strings" && <StringsView jobId={job.id} result={result} onOpenFunction={openFunction} />}
    </>
  );
}

export function JobPage() {
  const { id = "" } = useParams();
  const canStream = useCanStream();
  const first = useGetJobOverviewQuery(id);
  const active = first.data ? isActive(first.data.status) : false;
  const live = useJobEvents(id, canStream && active);
  const polling = active && (!canStream || live.failed);
  const query = useGetJobOverviewQuery(id, { pollingInterval: polling ? POLL_MS : 0 });
  const [cancel, cancelState] = useCancelJobMutation();

  if (query.isLoading) return <CircularProgress aria-label="Loading the job" />;
  if (query.error || !query.data) {
    const error = handleError(query.error);
    return (
      <>
        <Typography variant="h4" component="h1" gutterBottom>Job not available</Typography>
        <Alert severity="error">{error.message}</Alert>
      </>
    );
  }
  const detail = query.data;
  const job = active && live.job ? { ...detail, ...live.job } : detail;

  return (
    <>
      <Stack direction="row" sx={{ alignItems: "center", gap: 2, flexWrap: "wrap", mb: 2 }}>
        <Typography variant="h4" component="h1" sx={{ wordBreak: "break-all" }}>
          {job.file_info.name}
        </Typography>
        <JobStatusChip status={job.status} />
        <Box sx={{ flexGrow: 1 }} />
        {isActive(job.status) && (
          <Button color="warning" variant="outlined" onClick={() => void cancel(job.id)} disabled={cancelState.isLoading}>
            Cancel job
          </Button>
        )}
        {detail.result && <ReportDownloads jobId={job.id} baseName={job.file_info.name} />}
      </Stack>
      {cancelState.error && <Alert severity="error" sx={{ mb: 2 }}>{handleError(cancelState.error).message}</Alert>}
      {isActive(job.status) && (
        <Box sx={{ mb: 2 }} aria-live="polite">
          <JobProgress job={job} />
          <JobCounts counts={job.counts} />
        </Box>
      )}
      {job.error && (
        <Alert severity={job.status === "cancelled" ? "warning" : "error"} sx={{ mb: 2 }}>
          {job.error.code}: {job.error.message}
        </Alert>
      )}
      {detail.result && <Result job={detail} result={detail.result} />}
      {job.status === "completed" && !detail.result && (
        <Alert severity="warning">The job completed but its result is no longer stored.</Alert>
      )}
    </>
  );
}
