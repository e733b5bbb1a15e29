// The service health chip: `GET /api/v1/health`, polled every 30 seconds.
import { Chip } from "@mui/material";
import { handleError } from "../../services/api/handleError";
import { useGetHealthQuery } from "../../services/api/healthApi";

const POLL_MS = 30_000;

export function HealthIndicator() {
  const { data, error, isLoading } = useGetHealthQuery(undefined, { pollingInterval: POLL_MS });
  if (isLoading) return <Chip size="small" label="Checking service…" role="status" />;
  if (error) {
    const { code, message } = handleError(error);
    const label = code === "unauthorized" ? "Service: token needed" : "Service unreachable";
    return <Chip size="small" color="error" label={label} title={message} role="status" />;
  }
  return (
    <Chip
      size="small"
      color={data?.status === "ok" ? "success" : "warning"}
      role="status"
      label={`Service ${data?.status ?? "unknown"} · v${data?.version} · ${data?.database}`}
    />
  );
}
