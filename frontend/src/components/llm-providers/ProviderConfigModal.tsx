// Create or edit a provider in a dialog; which one comes from the slice's `modal` state. Waits
// for the provider types and the list, then hands them to ProviderConfigBody. Below the `sm`
// breakpoint (phones) the dialog fills the screen; at every size its title and actions stay in
// view while the content between them scrolls.
import {
  Alert,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  useMediaQuery,
  type Theme,
} from "@mui/material";
import { handleError } from "../../services/api/handleError";
import {
  useListProviderTypesQuery,
  useListProvidersQuery,
} from "../../services/api/userLLMProvidersApi";
import { useAppDispatch, useAppSelector } from "../../store/hooks";
import { modalClosed } from "../../store/slices/userLLMProvidersSlice";
import type { UserLLMProvider } from "../../types/UserLLMProvider.types";
import { ProviderConfigBody } from "./ProviderConfigBody";

interface Props {
  /** Called with the server's answer after a successful create or update (it carries `notices`). */
  onSaved: (provider: UserLLMProvider) => void;
}

export function ProviderConfigModal({ onSaved }: Props) {
  const dispatch = useAppDispatch();
  const { open, mode, providerId } = useAppSelector((s) => s.userLLMProviders.modal);
  const small = useMediaQuery((theme: Theme) => theme.breakpoints.down("sm"));
  const close = () => dispatch(modalClosed());
  return (
    <Dialog
      open={open}
      onClose={close}
      aria-labelledby="provider-config-title"
      fullWidth
      fullScreen={small}
      maxWidth="sm"
    >
      {open && (
        <Loader
          key={`${mode}:${providerId ?? ""}`}
          providerId={mode === "edit" ? providerId : null}
          onClose={close}
          onSaved={onSaved}
        />
      )}
    </Dialog>
  );
}

interface LoaderProps extends Props {
  providerId: string | null;
  onClose: () => void;
}

function Loader({ providerId, onClose, onSaved }: LoaderProps) {
  const types = useListProviderTypesQuery();
  const list = useListProvidersQuery();
  const provider = list.data?.data.find((p) => p.id === providerId) ?? null;
  if (types.data && list.data && (provider || !providerId)) {
    return (
      <ProviderConfigBody
        types={types.data.data}
        providers={list.data.data}
        provider={provider}
        onClose={onClose}
        onSaved={onSaved}
      />
    );
  }
  const error = types.error ?? list.error;
  let content = <CircularProgress aria-label="Loading the form" />;
  if (error) content = <Alert severity="error">{handleError(error).message}</Alert>;
  else if (list.data) content = <Alert severity="warning">This provider no longer exists.</Alert>;
  return (
    <>
      <DialogTitle id="provider-config-title">{providerId ? "Edit provider" : "Add a provider"}</DialogTitle>
      <DialogContent>{content}</DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
      </DialogActions>
    </>
  );
}
