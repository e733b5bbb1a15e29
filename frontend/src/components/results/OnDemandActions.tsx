// Buttons for on-demand work on a finished job: "Decompile" / "Explain" for one function, and
// "Explain the rest" / "Retry failed" for the job. Each starts a small job, polled until it ends;
// then the job's cached views are invalidated so they show the merged result.
import { Alert, Button, Stack, Typography } from "@mui/material";
import { useEffect, useState } from "react";
import { useDispatch } from "react-redux";
import { api } from "../../services/api/baseApi";
import { handleError } from "../../services/api/handleError";
import {
  useDecompileFunctionMutation,
  useExplainFunctionsMutation,
  useGetSmallJobQuery,
} from "../../services/api/ondemandApi";
import { isActive } from "../../types/Job.types";

const POLL_MS = 1000;

function SmallJobStatus({ jobId, id, onDone }: { jobId: string; id: string; onDone?: () => void }) {
  const dispatch = useDispatch();
  const { data } = useGetSmallJobQuery(id, { pollingInterval: POLL_MS, skipPollingIfUnfocused: false });
  const finished = data !== undefined && !isActive(data.status);
  useEffect(() => {
    if (!finished) return;
    dispatch(api.util.invalidateTags([{ type: "Job" as never, id: jobId }]));
    onDone?.();
  }, [finished, dispatch, jobId, onDone]);
  if (!data) return null;
  const text = data.error ? `${data.kind} ${data.status}: ${data.error.message}` : `${data.kind} ${data.status}`;
  return (
    <Typography variant="body2" role="status" color={data.error ? "error" : "text.secondary"}>
      {text}
    </Typography>
  );
}

function useSmallJob() {
  const [smallId, setSmallId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const started = (answer: { data?: { id: string }; error?: unknown }) => {
    if (answer.data) {
      setSmallId(answer.data.id);
      setError(null);
    } else {
      const problem = handleError(answer.error);
      setError(`${problem.message} (${problem.code})`);
    }
  };
  return { smallId, error, started };
}

export interface FunctionActionsProps {
  jobId: string;
  /** Hex start address, `0x4011c1`. */
  address: string;
  decompiled: boolean;
  explained: boolean;
  /** Called once the small job has ended (refetch what shows the function). */
  onDone?: () => void;
}

/** "Decompile" (when the function has no pseudocode) and "Explain" for one function. */
export function FunctionActions({ jobId, address, decompiled, explained, onDone }: FunctionActionsProps) {
  const [decompile, decompiling] = useDecompileFunctionMutation();
  const [explain, explaining] = useExplainFunctionsMutation();
  const { smallId, error, started } = useSmallJob();
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: "center", flexWrap: "wrap" }}>
      {!decompiled && (
        <Button size="small" variant="outlined" disabled={decompiling.isLoading}
          onClick={async () => started(await decompile({ jobId, address }))}>
          Decompile
        </Button>
      )}
      <Button size="small" variant="outlined" disabled={explaining.isLoading}
        onClick={async () => started(await explain({ jobId, scope: "selection", addresses: [address] }))}>
        {explained ? "Explain again" : "Explain"}
      </Button>
      {smallId && <SmallJobStatus jobId={jobId} id={smallId} onDone={onDone} />}
      {error && <Alert severity="error">{error}</Alert>}
    </Stack>
  );
}

/** "Explain the rest" and "Retry failed" for a finished job. */
export function JobActions({ jobId }: { jobId: string }) {
  const [explain, explaining] = useExplainFunctionsMutation();
  const { smallId, error, started } = useSmallJob();
  const run = async (scope: "rest" | "failed") => started(await explain({ jobId, scope }));
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: "center", flexWrap: "wrap" }}>
      <Button size="small" variant="outlined" disabled={explaining.isLoading} onClick={() => run("rest")}>
        Explain the rest
      </Button>
      <Button size="small" variant="outlined" disabled={explaining.isLoading} onClick={() => run("failed")}>
        Retry failed
      </Button>
      {smallId && <SmallJobStatus jobId={jobId} id={smallId} />}
      {error && <Alert severity="error">{error}</Alert>}
    </Stack>
  );
}
