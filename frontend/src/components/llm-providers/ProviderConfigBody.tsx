// The create/edit form inside the config dialog: holds the typed values (the API key only until
// it is sent), validates as the user types, and puts server errors on their field. Errors of the
// advanced options show at once and block sending until fixed.
import { Alert, Box, Button, DialogActions, DialogContent, DialogTitle, Stack } from "@mui/material";
import { useState, type FormEvent } from "react";
import { handleError } from "../../services/api/handleError";
import {
  useCreateProviderMutation,
  useUpdateProviderMutation,
} from "../../services/api/userLLMProvidersApi";
import { useAppSelector } from "../../store/hooks";
import type {
  ProviderFormErrors,
  ProviderFormField,
  ProviderType,
  ProviderTypeInfo,
  UserLLMProvider,
} from "../../types/UserLLMProvider.types";
import { advancedFieldOf, isAdvancedKey } from "./advancedOptions";
import { AdvancedOptionsSection } from "./AdvancedOptionsSection";
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
  types: ProviderTypeInfo[];
  providers: UserLLMProvider[];
  /** The provider being edited, or null to create one. */
  provider: UserLLMProvider | null;
  onClose: () => void;
  onSaved: (provider: UserLLMProvider) => void;
}

export function ProviderConfigBody({ types, providers, provider, onClose, onSaved }: Props) {
  const providerId = provider?.id ?? null;
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

  const typeInfo = types.find((t) => t.type === type) ?? null;
  const takenNames = providers.filter((p) => p.id !== providerId).map((p) => p.name);
  const errors = typeInfo ? validateProviderForm(values, { typeInfo, provider, takenNames }) : {};
  const shown: ProviderFormErrors = {};
  for (const f of Object.keys(errors) as ProviderFormField[]) {
    if (touched[f] || submitted || isAdvancedKey(f)) shown[f] = errors[f];
  }
  const advancedInvalid = Object.keys(errors).some(isAdvancedKey);
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
      ? updateProvider(updateArgs(typeInfo, provider, values))
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
    const field = advancedFieldOf(error.field) ?? error.field;
    if (field && field in EMPTY_VALUES) {
      setServerErrors({ [field]: error.message });
    } else {
      setFormError(`${error.message} (${error.code})`);
    }
  };

  const editing = provider !== null;
  return (
    // The form is the dialog paper's flex child: a column that may shrink, so DialogContent (not
    // the whole paper) scrolls and the title and actions stay in view.
    <Box
      component="form"
      onSubmit={submit}
      noValidate
      sx={{ display: "flex", flexDirection: "column", flex: "1 1 auto", minHeight: 0 }}
    >
      <DialogTitle id="provider-config-title">
        {editing ? `Edit “${provider.name}”` : "Add a provider"}
      </DialogTitle>
      <DialogContent dividers>
        <Stack spacing={3} sx={{ pt: 1 }}>
          {!editing && (
            <ProviderTypeSelector types={types} value={type} onChange={setType} />
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
          {typeInfo && (
            <AdvancedOptionsSection
              typeInfo={typeInfo}
              values={values}
              errors={visibleErrors}
              onChange={change}
            />
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="contained" disabled={!typeInfo || busy || advancedInvalid}>
          {editing ? "Save changes" : "Add provider"}
        </Button>
      </DialogActions>
    </Box>
  );
}
