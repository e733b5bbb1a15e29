// A job's status as a coloured chip.
import { Chip } from "@mui/material";
import type { JobStatus } from "../../types/Job.types";

const COLORS = {
  queued: "default",
  running: "info",
  completed: "success",
  failed: "error",
  cancelled: "warning",
} as const;

export function JobStatusChip({ status }: { status: JobStatus }) {
  return <Chip size="small" color={COLORS[status]} label={status} variant={status === "queued" ? "outlined" : "filled"} />;
}
