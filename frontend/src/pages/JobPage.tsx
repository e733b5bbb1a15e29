// One job: live progress while it runs (server-sent events, polling as fallback), then its
// result in tabs (overview, functions with the function view, imports, strings) and downloads.
// The page loads the small job document (`/jobs/{id}`); each table fetches its own pages and a
// function its detail when opened. The tab, the open function and a searched/selected string or
// import live in the URL (`?tab=functions&fn=0x401175`, `?tab=strings&q=0x4020a0&sel=0x4020a0`),
// so every cross-reference is a link and back and forward move between them.
import { Alert, Box, Button, CircularProgress, FormControlLabel, Stack, Switch, Tab, Tabs, Typography } from "@mui/material";
import { useParams, useSearchParams } from "react-router-dom";
import { JobCounts, JobProgress, JobStatusChip } from "../components/jobs";
import {
  FunctionsWorkspace,
  ImportsView,
  InjectionWarning,
  JobActions,
  ReportDownloads,
  ResultOverview,
  StringsView,
  useSuggestedNames,
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
const ADDRESS = /^0x[0-9a-f]+$/i;

const address = (value: string | null) => (value && ADDRESS.test(value) ? Number.parseInt(value, 16) : null);

function SuggestedNamesSwitch() {
  const [on, setOn] = useSuggestedNames();
  return <FormControlLabel control={<Switch checked={on} onChange={(e) => setOn(e.target.checked)} />} label="Suggested names" />;
}

function Result({ job, result }: { job: JobOverview; result: ResultSummary }) {
  const [params, setParams] = useSearchParams();
  const tab: TabName = TABS.find((t) => t === params.get("tab")) ?? "overview";
  const open = address(params.get("fn"));
  const q = params.get("q") ?? "";
  const sel = params.get("sel");

  return (
    <>
      <InjectionWarning result={result} />
      <Stack direction="row" sx={{ alignItems: "center", flexWrap: "wrap", columnGap: 2, mb: 2 }}>
        <Tabs value={tab} onChange={(_e, value: TabName) => setParams({ tab: value })} aria-label="Result" variant="scrollable" sx={{ flexGrow: 1, minWidth: 0 }}>
          <Tab value="overview" label="Overview" />
          <Tab value="functions" label={`Functions (${result.counts.functions})`} />
          <Tab value="imports" label={`Imports (${result.counts.imports})`} />
          <Tab value="strings" label={`Strings (${result.counts.strings})`} />
        </Tabs>
        {result.counts.explained > 0 && <SuggestedNamesSwitch />}
      </Stack>
      {tab === "overview" && <JobActions jobId={job.id} />}
      {tab === "overview" && <ResultOverview job={job} result={result} />}
      {tab === "functions" && <FunctionsWorkspace jobId={job.id} open={open} decompileOnly={!result.explanation} />}
      {tab === "imports" && <ImportsView key={q} jobId={job.id} result={result} initialSearch={q} selected={sel} />}
      {tab === "strings" && <StringsView key={q} jobId={job.id} result={result} initialSearch={q} selected={address(sel)} />}
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
