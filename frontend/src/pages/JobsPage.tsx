// The jobs list, newest first, with a status filter and pages (`limit`/`offset`, total from the
// answer's `count`); the running jobs of the page update live on one server-sent event stream
// (polling without EventSource, with a token, or once the stream broke); cancel, and delete after confirming. The poll interval follows the page it polls,
// and a page left empty by deletions moves back to the last one; both are kept in state and
// updated while rendering.
import {
  Alert,
  Box,
  Button,
  CircularProgress,
  MenuItem,
  Stack,
  TablePagination,
  TextField,
  Typography,
} from "@mui/material";
import { useState } from "react";
import { Link as RouterLink } from "react-router-dom";
import { ConfirmDeleteJob, JobsTable } from "../components/jobs";
import { handleError } from "../services/api/handleError";
import { useCanStream, useWatchedJobs } from "../services/api/jobEvents";
import { useCancelJobMutation, useDeleteJobMutation, useListJobsQuery } from "../services/api/jobsApi";
import { isActive, JOB_STATUSES, type JobPublic, type JobStatus } from "../types/Job.types";

const POLL_MS = 2000;
/** While streaming, a slow poll still catches a stream that broke. */
const SAFETY_POLL_MS = 10_000;
/** Rows-per-page choices; the API answers at most 200 jobs per request. */
export const PAGE_SIZES = [25, 50, 100];
const DEFAULT_PAGE_SIZE = 50;

export function JobsPage() {
  const [status, setStatus] = useState<JobStatus | "">("");
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [pollMs, setPollMs] = useState(0);
  const jobs = useListJobsQuery(
    { status: status || undefined, limit: pageSize, offset: page * pageSize },
    { pollingInterval: pollMs },
  );
  const [cancel, cancelState] = useCancelJobMutation();
  const [remove, removeState] = useDeleteJobMutation();
  const [toDelete, setToDelete] = useState<JobPublic | null>(null);
  const [confirming, setConfirming] = useState(false);
  const canStream = useCanStream();

  const list = jobs.data?.data ?? [];
  const total = jobs.data?.count ?? 0;
  const lastPage = Math.max(0, Math.ceil(total / pageSize) - 1);
  if (jobs.currentData && page > lastPage) setPage(lastPage);
  const active = list.filter((job) => isActive(job.status)).map((job) => job.id);
  const watched = useWatchedJobs(active, canStream);
  const stream = canStream && !watched.failed;
  const wantedPoll = active.length === 0 ? 0 : stream ? SAFETY_POLL_MS : POLL_MS;
  if (wantedPoll !== pollMs) setPollMs(wantedPoll);
  const actionError = cancelState.error ?? removeState.error;

  return (
    <>
      <Stack direction="row" sx={{ alignItems: "center", justifyContent: "space-between", flexWrap: "wrap", gap: 2, mb: 2 }}>
        <Typography variant="h4" component="h1">
          Jobs
        </Typography>
        <Stack direction="row" spacing={2} sx={{ alignItems: "center" }}>
          <TextField
            select
            size="small"
            label="Status"
            value={status}
            onChange={(event) => {
              setStatus(event.target.value as JobStatus | "");
              setPage(0);
            }}
            slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
            sx={{ minWidth: 150 }}
          >
            <MenuItem value="">All</MenuItem>
            {JOB_STATUSES.map((s) => (
              <MenuItem key={s} value={s}>
                {s}
              </MenuItem>
            ))}
          </TextField>
          <Button variant="contained" component={RouterLink} to="/analyze">
            Analyze a binary
          </Button>
        </Stack>
      </Stack>
      {jobs.isLoading && <CircularProgress aria-label="Loading jobs" />}
      {jobs.error && <Alert severity="error">{handleError(jobs.error).message}</Alert>}
      {actionError && <Alert severity="error" sx={{ mb: 2 }}>{handleError(actionError).message}</Alert>}
      {jobs.data && total === 0 && (
        <Alert severity="info">
          {status ? `No ${status} jobs.` : "No jobs yet. Upload a binary on the Analyze page to start one."}
        </Alert>
      )}
      {list.length > 0 && (
        <Box>
          <JobsTable
            jobs={list}
            onCancel={(job) => void cancel(job.id)}
            onDelete={(job) => {
              setToDelete(job);
              setConfirming(true);
            }}
          />
          <TablePagination
            component="div"
            count={total}
            page={Math.min(page, lastPage)}
            onPageChange={(_event, next) => setPage(next)}
            rowsPerPage={pageSize}
            rowsPerPageOptions={PAGE_SIZES}
            onRowsPerPageChange={(event) => {
              setPageSize(Number(event.target.value));
              setPage(0);
            }}
            labelRowsPerPage="Jobs per page:"
          />
        </Box>
      )}
      <ConfirmDeleteJob
        open={confirming}
        fileName={toDelete?.file_info.name ?? ""}
        busy={removeState.isLoading}
        onCancel={() => setConfirming(false)}
        onConfirm={async () => {
          if (toDelete) await remove(toDelete.id);
          setConfirming(false);
        }}
      />
    </>
  );
}
