// A job's progress: bar (0-100), stage and the current step's message; the error once failed;
// once completed, the message saying what a time budget cut from a partial result.
import { Box, LinearProgress, Typography } from "@mui/material";
import { isActive, type JobPublic } from "../../types/Job.types";

export function JobProgress({ job }: { job: JobPublic }) {
  const label = `Progress of ${job.file_info.name}`;
  if (job.error) {
    return (
      <Typography variant="body2" color="error">
        {job.error.code}: {job.error.message}
      </Typography>
    );
  }
  return (
    <Box sx={{ minWidth: 160 }}>
      <LinearProgress
        variant="determinate"
        value={job.progress}
        aria-label={label}
        color={job.status === "completed" ? "success" : "primary"}
      />
      <Typography variant="caption" color="text.secondary">
        {job.progress}% · {isActive(job.status) ? `${job.stage}${job.message ? `: ${job.message}` : ""}` : `${job.status}${job.message ? `: ${job.message}` : ""}`}
      </Typography>
    </Box>
  );
}
