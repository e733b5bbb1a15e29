// Asks before deleting a provider; shows the server's error if the delete fails.
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
} from "@mui/material";
import { handleError } from "../../services/api/handleError";
import { useDeleteProviderMutation } from "../../services/api/userLLMProvidersApi";
import type { UserLLMProvider } from "../../types/UserLLMProvider.types";

interface Props {
  provider: UserLLMProvider;
  open: boolean;
  onClose: () => void;
}

export function DeleteProviderDialog({ provider, open, onClose }: Props) {
  const [deleteProvider, { isLoading, error, reset }] = useDeleteProviderMutation();
  const close = () => {
    reset();
    onClose();
  };
  const confirm = async () => {
    const result = await deleteProvider(provider.id);
    if (!("error" in result)) onClose();
  };
  const titleId = `delete-provider-title-${provider.id}`;
  return (
    <Dialog open={open} onClose={close} aria-labelledby={titleId}>
      <DialogTitle id={titleId}>Delete “{provider.name}”?</DialogTitle>
      <DialogContent>
        <DialogContentText>
          Its encrypted API key is deleted too. Jobs that used it keep their results.
        </DialogContentText>
        {error && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {handleError(error).message}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} autoFocus>
          Cancel
        </Button>
        <Button color="error" variant="contained" onClick={confirm} disabled={isLoading}>
          Delete
        </Button>
      </DialogActions>
    </Dialog>
  );
}
