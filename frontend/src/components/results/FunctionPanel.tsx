// Fetches the function at `address` (when opened) and shows it with its on-demand actions.
import { Alert, CircularProgress, Stack } from "@mui/material";
import { handleError } from "../../services/api/handleError";
import { useGetFunctionQuery } from "../../services/api/resultsApi";
import { hex } from "./format";
import { FunctionView } from "./FunctionView";
import { FunctionActions } from "./OnDemandActions";

export interface FunctionPanelProps {
  jobId: string;
  address: number;
  decompileOnly: boolean;
}

export function FunctionPanel({ jobId, address, decompileOnly }: FunctionPanelProps) {
  const detail = useGetFunctionQuery({ jobId, address: hex(address) });
  if (detail.isLoading) return <CircularProgress aria-label={`Loading the function at ${hex(address)}`} />;
  if (detail.error || !detail.data) return <Alert severity="error">{handleError(detail.error).message}</Alert>;
  const fn = detail.data;
  return (
    <Stack spacing={1} sx={{ minWidth: 0 }}>
      <FunctionActions jobId={jobId} address={hex(address)} decompiled={fn.decompiled}
        explained={fn.explanation_status === "explained"} onDone={detail.refetch} />
      <FunctionView key={address} fn={fn} decompileOnly={decompileOnly} />
    </Stack>
  );
}
