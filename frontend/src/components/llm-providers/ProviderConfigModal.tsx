// Create or edit a provider in a dialog. Which one comes from the slice's `modal` state.
// The form is validated as the user types; server errors land on their field; the API key is
// cleared from component state after every submit.
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack } from "@mui/material";
import { useState, type FormEvent } from "react";
import { handleError } from "../../services/api/handleError";
import {
  useCreateProviderMutation,
  useListProviderTypesQuery,
  useListProvidersQuery,
  useUpdateProviderMutation,
} from "../../services/api/userLLMProvidersApi";
import { useAppDispatch, useAppSelector } from "../../store/hooks";
import { modalClosed } from "../../store/slices/userLLMProvidersSlice";
import type {
  ProviderFormErrors,
  ProviderFormField,
  ProviderType,
  UserLLMProvider,
} from "../../types/UserLLMProvider.types";
import { ProviderConfigForm } from "./ProviderConfigForm";
import {
  EMPTY_VALUES,
  createArgs,
  updateArgs,
  validateProviderForm,
  valuesFromProvider,
} from "./providerFormRules";
import { ProviderTypeSelector } from "./ProviderTypeSelector";

interface Props {
  /** Called with the server's answer after a successful create or update (it carries `notices`). */
  onSaved: (provider: UserLLMProvider) => void;
}

export function ProviderConfigModal({ onSaved }: Props) {
  const dispatch = useAppDispatch();
  const { open, mode, providerId } = useAppSelector((s) => s.userLLMProviders.modal);
  const close = () => dispatch(modalClosed());
  return (
    <Dialog open={open} onClose={close} aria-labelledby="provider-config-title" fullWidth maxWidth="sm">
      {open && (
        <ProviderConfigBody
          key={`${mode}:${providerId ?? ""}`}
          providerId={mode === "edit" ? providerId : null}
          onClose={close}
          onSaved={onSaved}
        />
      )}
    </Dialog>
  );
}

interface BodyProps {
  providerId: string | null;
  onClose: () => void;
  onSaved: (provider: UserLLMProvider) => void;
}

function ProviderConfigBody({ providerId, onClose, onSaved }: BodyProps) {
  const { data: types } = useListProviderTypesQuery();
  const { data: list } = useListProvidersQuery();
  const provider = list?.data.find((p) => p.id === providerId) ?? null;
  const models = useAppSelector((s) =>
    providerId ? s.userLLMProviders.tests[providerId]?.outcome?.models : undefined,
  );
  const [createProvider, createState] = useCreateProviderMutation();
  const [updateProvider, updateState] = useUpdateProviderMutation();

  const [type, setType] = useState<ProviderType | null>(provider?.provider_type ?? null);
  const [values, setValues] = useState(provider ? valuesFromProvider(provider) : EMPTY_VALUES);
  const [touched, setTouched] = useState<Partial<Record<ProviderFormField, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<ProviderFormErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [keyCleared, setKeyCleared] = useState(false);

  const typeInfo = types?.data.find((t) => t.type === type) ?? null;
  const takenNames = (list?.data ?? []).filter((p) => p.id !== providerId).map((p) => p.name);
  const errors = typeInfo ? validateProviderForm(values, { typeInfo, provider, takenNames }) : {};
  const shown: ProviderFormErrors = {};
  for (const f of Object.keys(errors) as ProviderFormField[]) {
    if (touched[f] || submitted) shown[f] = errors[f];
  }
  const visibleErrors = { ...shown, ...serverErrors };
  const busy = createState.isLoading || updateState.isLoading;

  const change = (field: ProviderFormField, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setTouched((t) => (value ? { ...t, [field]: true } : t));
    setServerErrors(({ [field]: _dropped, ...rest }) => rest);
    if (field === "api_key") setKeyCleared(false);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setFormError(null);
    if (!typeInfo || Object.keys(errors).length) return;
    const request = provider
      ? updateProvider(updateArgs(provider, values))
      : createProvider(createArgs(typeInfo, values));
    if (values.api_key) {
      setValues((v) => ({ ...v, api_key: "" }));
      setKeyCleared(true);
    }
    const result = await request;
    if ("data" in result && result.data) {
      onSaved(result.data);
      onClose();
      return;
    }
    const error = handleError(result.error);
    if (error.field && error.field in EMPTY_VALUES) {
      setServerErrors({ [error.field]: error.message });
    } else {
      setFormError(`${error.message} (${error.code})`);
    }
  };

  const editing = provider !== null;
  return (
    <form onSubmit={submit} noValidate>
      <DialogTitle id="provider-config-title">
        {editing ? `Edit “${provider.name}”` : "Add a provider"}
      </DialogTitle>
      <DialogContent>
        <Stack spacing={3} sx={{ pt: 1 }}>
          {providerId && !provider && <Alert severity="warning">This provider no longer exists.</Alert>}
          {!editing && (
            <ProviderTypeSelector types={types?.data ?? []} value={type} onChange={setType} />
          )}
          {formError && <Alert severity="error">{formError}</Alert>}
          {keyCleared && (
            <Alert severity="info">For safety the API key was cleared after sending: type it again.</Alert>
          )}
          {typeInfo && (
            <ProviderConfigForm
              typeInfo={typeInfo}
              values={values}
              errors={visibleErrors}
              onChange={change}
              onBlur={(f) => setTouched((t) => ({ ...t, [f]: true }))}
              provider={provider}
              modelSuggestions={models ?? []}
            />
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="contained" disabled={!typeInfo || busy}>
          {editing ? "Save changes" : "Add provider"}
        </Button>
      </DialogActions>
    </form>
  );
}
