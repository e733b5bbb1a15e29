// The jobs list: file, status, live progress, provider, submission time, cancel and delete.
// Rows show the listed jobs; the page keeps them live (one event stream, or polling).
import CancelIcon from "@mui/icons-material/Cancel";
import DeleteIcon from "@mui/icons-material/Delete";
import {
  IconButton,
  Link,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Tooltip,
} from "@mui/material";
import { Link as RouterLink } from "react-router-dom";
import { isActive, type JobPublic } from "../../types/Job.types";
import { JobProgress } from "./JobProgress";
import { JobStatusChip } from "./JobStatusChip";

export interface JobsTableProps {
  jobs: JobPublic[];
  onCancel: (job: JobPublic) => void;
  onDelete: (job: JobPublic) => void;
}

function JobRow({ job, onCancel, onDelete }: { job: JobPublic } & Omit<JobsTableProps, "jobs">) {
  const name = job.file_info.name;
  return (
    <TableRow hover>
      <TableCell>
        <Link component={RouterLink} to={`/jobs/${job.id}`} sx={{ fontFamily: "monospace", whiteSpace: "nowrap" }}>
          {name}
        </Link>
      </TableCell>
      <TableCell>
        <JobStatusChip status={job.status} />
      </TableCell>
      <TableCell sx={{ minWidth: 180 }}>
        <JobProgress job={job} />
      </TableCell>
      <TableCell>{job.provider ? `${job.provider.name} (${job.provider.model ?? job.provider.provider_type})` : "decompile only"}</TableCell>
      <TableCell>
        <time dateTime={job.created_at}>{new Date(job.created_at).toLocaleString()}</time>
      </TableCell>
      <TableCell align="right" sx={{ whiteSpace: "nowrap" }}>
        {isActive(job.status) && (
          <Tooltip title="Cancel">
            <IconButton aria-label={`Cancel ${name}`} onClick={() => onCancel(job)}>
              <CancelIcon />
            </IconButton>
          </Tooltip>
        )}
        <Tooltip title="Delete">
          <IconButton aria-label={`Delete ${name}`} onClick={() => onDelete(job)}>
            <DeleteIcon />
          </IconButton>
        </Tooltip>
      </TableCell>
    </TableRow>
  );
}

export function JobsTable({ jobs, ...rest }: JobsTableProps) {
  return (
    <TableContainer sx={{ overflowX: "auto" }}>
      <Table size="small" aria-label="Jobs">
        <TableHead>
          <TableRow>
            <TableCell>File</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Progress</TableCell>
            <TableCell>Provider</TableCell>
            <TableCell>Submitted</TableCell>
            <TableCell align="right">Actions</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {jobs.map((job) => (
            <JobRow key={job.id} job={job} {...rest} />
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
