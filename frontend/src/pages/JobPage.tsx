// One job: live progress while it runs (server-sent events, polling as fallback), then its
// result in tabs (overview, functions with the function view, imports, strings) and downloads.
// The tab and the open function live in the URL (`?tab=functions&fn=0x401175`).
import { Alert, Box, Button, CircularProgress, Stack, Tab, Tabs, Typography } from "@mui/material";
import { useMemo } from "react";
import { useParams, useSearchParams } from "react-router-dom";
import { JobProgress, JobStatusChip } from "../components/jobs";
import {
  FunctionView,
  FunctionsTable,
  ImportsView,
  InjectionWarning,
  ReportDownloads,
  ResultOverview,
  StringsView,
  explanationsByAddress,
  hex,
} from "../components/results";
import { handleError } from "../services/api/handleError";
import { useCanStream, useJobEvents } from "../services/api/jobEvents";
import { useCancelJobMutation, useGetJobQuery } from "../services/api/jobsApi";
import { isActive, type JobDetail, type JobResult } from "../types/Job.types";

const TABS = ["overview", "functions", "imports", "strings"] as const;
type TabName = (typeof TABS)[number];
const POLL_MS = 2000;

function Result({ job, result }: { job: JobDetail; result: JobResult }) {
  const [params, setParams] = useSearchParams();
  const tab: TabName = TABS.find((t) => t === params.get("tab")) ?? "overview";
  const functions = result.analysis.functions ?? [];
  const explanations = useMemo(() => explanationsByAddress(result), [result]);
  const names = useMemo(() => new Set(functions.map((f) => f.name)), [functions]);
  const open = functions.find((f) => hex(f.address) === params.get("fn")) ?? null;
  const go = (next: Record<string, string>) => setParams(next);

  return (
    <>
      <InjectionWarning result={result} />
      <Tabs value={tab} onChange={(_e, value: TabName) => go({ tab: value })} aria-label="Result" variant="scrollable" sx={{ mb: 2 }}>
        <Tab value="overview" label="Overview" />
        <Tab value="functions" label={`Functions (${functions.length})`} />
        <Tab value="imports" label={`Imports (${result.analysis.imports?.length ?? 0})`} />
        <Tab value="strings" label={`Strings (${result.analysis.strings?.length ?? 0})`} />
      </Tabs>
      {tab === "overview" && <ResultOverview job={job} result={result} />}
      {tab === "functions" && (
        <Stack spacing={2}>
          <FunctionsTable
            functions={functions}
            explanations={explanations}
            selected={open?.address ?? null}
            onSelect={(fn) => go({ tab: "functions", fn: hex(fn.address) })}
          />
          {open && (
            <FunctionView
              key={open.address}
              fn={open}
              explained={explanations.get(open.address)}
              decompileOnly={!result.explanation}
              functionNames={names}
              onOpen={(name) => {
                const target = functions.find((f) => f.name === name);
                if (target) go({ tab: "functions", fn: hex(target.address) });
              }}
            />
          )}
        </Stack>
      )}
      {tab === "imports" && <ImportsView result={result} />}
      {tab === "strings" && <StringsView result={result} />}
    </>
  );
}

export function JobPage() {
  const { id = "" } = useParams();
  const canStream = useCanStream();
  const first = useGetJobQuery(id);
  const active = first.data ? isActive(first.data.status) : false;
  const live = useJobEvents(id, canStream && active);
  const polling = active && (!canStream || live.failed);
  const query = useGetJobQuery(id, { pollingInterval: polling ? POLL_MS : 0 });
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
          <Typography variant="body2" color="text.secondary">
            {job.counts.functions_decompiled} of {job.counts.functions_total} functions decompiled ·{" "}
            {job.counts.items_done} of {job.counts.items_total} explanations done
            {job.counts.items_failed ? `, ${job.counts.items_failed} failed` : ""}
          </Typography>
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
