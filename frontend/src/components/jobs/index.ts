export { ConfirmDeleteJob } from "./ConfirmDeleteJob";
export { JobProgress } from "./JobProgress";
export { JobStatusChip } from "./JobStatusChip";
export { JobsTable } from "./JobsTable";
