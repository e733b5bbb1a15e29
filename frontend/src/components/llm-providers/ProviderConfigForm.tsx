// The fields `/types` names for one provider type, controlled by the parent (the modal).
// Shows the errors it is given; in edit mode explains that an empty key keeps the stored one.
import { Autocomplete, Stack, TextField } from "@mui/material";
import type {
  ProviderFormErrors,
  ProviderFormField,
  ProviderFormValues,
  ProviderTypeInfo,
  UserLLMProvider,
} from "../../types/UserLLMProvider.types";
import { ApiKeyField } from "./ApiKeyField";
import { apiKeyRequired, fieldsFor } from "./providerFormRules";

interface Props {
  typeInfo: ProviderTypeInfo;
  values: ProviderFormValues;
  /** Errors to show now (the parent decides which fields have been touched). */
  errors: ProviderFormErrors;
  onChange: (field: ProviderFormField, value: string) => void;
  onBlur: (field: ProviderFormField) => void;
  /** The provider being edited, or null when creating. */
  provider: UserLLMProvider | null;
  /** Model names from the provider's last connection test. */
  modelSuggestions: string[];
}

function keyHelp(typeInfo: ProviderTypeInfo, provider: UserLLMProvider | null): string {
  if (provider?.key_status === "needs_reentry") {
    return "The stored key can no longer be decrypted on the server: enter it again.";
  }
  if (provider?.has_api_key) {
    const hint = provider.api_key_hint ? ` (ends in …${provider.api_key_hint})` : "";
    return `A key is stored${hint}. Leave empty to keep it, or type a new one to replace it.`;
  }
  return typeInfo.api_key_help;
}

export function ProviderConfigForm(props: Props) {
  const { typeInfo, values, errors, onChange, onBlur, provider, modelSuggestions } = props;
  const fields = fieldsFor(typeInfo);
  const endpointRequired = typeInfo.required_fields.includes("endpoint_url");
  return (
    <Stack spacing={2}>
      <TextField
        label="Name"
        name="name"
        value={values.name}
        onChange={(e) => onChange("name", e.target.value)}
        onBlur={() => onBlur("name")}
        required
        error={Boolean(errors.name)}
        helperText={errors.name ?? "How this provider appears in binscribe, e.g. “OpenAI (work)”."}
        autoComplete="off"
        fullWidth
      />
      {fields.includes("api_key") && (
        <ApiKeyField
          value={values.api_key}
          onChange={(v) => onChange("api_key", v)}
          onBlur={() => onBlur("api_key")}
          required={apiKeyRequired(typeInfo, provider)}
          error={errors.api_key}
          helperText={keyHelp(typeInfo, provider)}
        />
      )}
      {fields.includes("endpoint_url") && (
        <TextField
          label="Endpoint URL"
          name="endpoint_url"
          type="url"
          value={values.endpoint_url}
          onChange={(e) => onChange("endpoint_url", e.target.value)}
          onBlur={() => onBlur("endpoint_url")}
          required={endpointRequired}
          error={Boolean(errors.endpoint_url)}
          helperText={errors.endpoint_url ?? typeInfo.endpoint_help}
          placeholder={typeInfo.default_endpoint}
          autoComplete="off"
          fullWidth
          slotProps={{ htmlInput: { spellCheck: false } }}
        />
      )}
      {fields.includes("default_model") && (
        <Autocomplete
          freeSolo
          options={modelSuggestions}
          inputValue={values.default_model}
          onInputChange={(_, v) => onChange("default_model", v)}
          renderInput={(params) => (
            <TextField
              {...params}
              label="Default model"
              name="default_model"
              onBlur={() => onBlur("default_model")}
              error={Boolean(errors.default_model)}
              placeholder={typeInfo.default_model}
              helperText={
                errors.default_model ??
                (modelSuggestions.length
                  ? `Empty uses ${typeInfo.default_model}. Suggestions come from the last test.`
                  : `Empty uses ${typeInfo.default_model}. Test the provider to list its models.`)
              }
            />
          )}
        />
      )}
    </Stack>
  );
}
