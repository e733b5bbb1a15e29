// The provider dialog's form state: the typed values (the API key only until it is sent), which
// errors to show (a field's once touched or after a submit; advanced options' at once; server
// errors on their field), and the create/update request with its outcome.
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
import {
  EMPTY_VALUES,
  createArgs,
  updateArgs,
  validateProviderForm,
  valuesFromProvider,
} from "./providerFormRules";

export interface ProviderFormOptions {
  types: ProviderTypeInfo[];
  providers: UserLLMProvider[];
  /** The provider being edited, or null to create one. */
  provider: UserLLMProvider | null;
  onClose: () => void;
  onSaved: (provider: UserLLMProvider) => void;
}

/** State and handlers of the provider create/edit form (see the file comment). */
export function useProviderForm({ types, providers, provider, onClose, onSaved }: ProviderFormOptions) {
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

  return {
    type, setType, typeInfo, values, visibleErrors, advancedInvalid, busy, formError, keyCleared, models,
    change, submit, touch: (f: ProviderFormField) => setTouched((t) => ({ ...t, [f]: true })),
  };
}
