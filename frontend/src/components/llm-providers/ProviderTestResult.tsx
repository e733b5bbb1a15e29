// The answer of the last connection test run from this page: success with its latency, or the
// precise error code; a request that failed before testing anything says so, with its HTTP
// status. Either way with the server's message.
import { Alert, AlertTitle } from "@mui/material";
import type { ProviderTestOutcome } from "../../store/slices/userLLMProvidersSlice";

interface Props {
  outcome: ProviderTestOutcome;
  onDismiss: () => void;
}

export function ProviderTestResult({ outcome, onDismiss }: Props) {
  if (outcome.success) {
    const latency = outcome.latencyMs === null ? "" : ` in ${outcome.latencyMs} ms`;
    return (
      <Alert severity="success" onClose={onDismiss} role="status">
        <AlertTitle>Connection works{latency}</AlertTitle>
        {outcome.message}
      </Alert>
    );
  }
  const status = outcome.httpStatus === null ? "" : ` · HTTP ${outcome.httpStatus}`;
  const title = outcome.testedAt === null ? "Could not test" : "Test failed";
  return (
    <Alert severity="error" onClose={onDismiss} role="status">
      <AlertTitle>
        {title}: {outcome.code ?? "unknown_error"}
        {status}
      </AlertTitle>
      {outcome.message}
    </Alert>
  );
}
