export { ConfirmDeleteJob } from "./ConfirmDeleteJob";
export { JobCounts } from "./JobCounts";
export { JobProgress } from "./JobProgress";
export { JobStatusChip } from "./JobStatusChip";
export { JobsTable } from "./JobsTable";
