// Confirmation before deleting a job: its result and uploaded file go with it.
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from "@mui/material";

export interface ConfirmDeleteJobProps {
  open: boolean;
  /** Kept while the dialog closes, so its title does not change during the transition. */
  fileName: string;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}

export function ConfirmDeleteJob({ open, fileName, busy, onCancel, onConfirm }: ConfirmDeleteJobProps) {
  return (
    <Dialog open={open} onClose={onCancel} aria-labelledby="delete-job-title">
      <DialogTitle id="delete-job-title">Delete the job for “{fileName}”?</DialogTitle>
      <DialogContent>
        <DialogContentText>
          Its result and the uploaded file are deleted with it; a running job is cancelled first.
          This cannot be undone.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Keep</Button>
        <Button color="error" variant="contained" onClick={onConfirm} disabled={busy}>
          Delete
        </Button>
      </DialogActions>
    </Dialog>
  );
}
