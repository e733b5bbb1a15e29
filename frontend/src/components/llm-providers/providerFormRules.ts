// Pure rules of the provider form: initial values, validation as the user types, and the request
// arguments built from the values. The API key is handed off (see secretHandoff.ts), never put in
// the returned arguments.
import { handOffSecret } from "../../services/api/secretHandoff";
import type {
  CreateProviderArgs,
  UpdateProviderArgs,
} from "../../services/api/userLLMProvidersApi";
import type {
  ProviderFormErrors,
  ProviderFormField,
  ProviderFormValues,
  ProviderTypeInfo,
  UserLLMProvider,
} from "../../types/UserLLMProvider.types";
import {
  advancedChanged,
  advancedValuesFrom,
  configFromValues,
  validateAdvanced,
} from "./advancedOptions";

const MAX_NAME = 255;

export const EMPTY_VALUES: ProviderFormValues = {
  name: "",
  api_key: "",
  endpoint_url: "",
  default_model: "",
  max_concurrency: "",
  timeout_s: "",
  context_tokens: "",
  thinking_budget: "",
  input_usd_per_mtok: "",
  output_usd_per_mtok: "",
  reasoning_effort: "",
};

/**
 * The values an edit form starts from: the stored ones (the config options included), never the
 * key (which is not readable).
 */
export function valuesFromProvider(provider: UserLLMProvider): ProviderFormValues {
  return {
    name: provider.name,
    api_key: "",
    endpoint_url: provider.endpoint_url ?? "",
    default_model: provider.default_model ?? "",
    ...advancedValuesFrom(provider.config),
  };
}

/** The fields `/types` names for this type, in form order (`name` always first). */
export function fieldsFor(typeInfo: ProviderTypeInfo): ProviderFormField[] {
  const named = new Set([...typeInfo.required_fields, ...typeInfo.optional_fields]);
  const order: ProviderFormField[] = ["name", "api_key", "endpoint_url", "default_model"];
  return order.filter((f) => f === "name" || named.has(f));
}

/** True when the form must receive a new key (create, no stored key, or one that needs re-entry). */
export function apiKeyRequired(typeInfo: ProviderTypeInfo, provider: UserLLMProvider | null) {
  if (!typeInfo.requires_api_key) return false;
  return provider === null || !provider.has_api_key || provider.key_status === "needs_reentry";
}

function urlProblem(raw: string, example: string): string | undefined {
  try {
    const url = new URL(raw);
    if (url.protocol === "http:" || url.protocol === "https:") return undefined;
  } catch {
    // fall through to the message below
  }
  return `Enter a full http:// or https:// URL, for example ${example}.`;
}

interface ValidateOptions {
  typeInfo: ProviderTypeInfo;
  /** The provider being edited, or null when creating. */
  provider: UserLLMProvider | null;
  /** Names of the other providers (a name must be unique). */
  takenNames: string[];
}

/** Every problem with `values`, one message per field; empty when the form can be sent. */
export function validateProviderForm(
  values: ProviderFormValues,
  { typeInfo, provider, takenNames }: ValidateOptions,
): ProviderFormErrors {
  const errors: ProviderFormErrors = {};
  const name = values.name.trim();
  if (!name) errors.name = "Give the provider a name.";
  else if (name.length > MAX_NAME) errors.name = `At most ${MAX_NAME} characters.`;
  else if (takenNames.includes(name)) errors.name = `A provider named “${name}” already exists.`;

  if (apiKeyRequired(typeInfo, provider) && !values.api_key.trim()) {
    errors.api_key = `${typeInfo.label} needs an API key.`;
  }
  const endpoint = values.endpoint_url.trim();
  if (endpoint) {
    const problem = urlProblem(endpoint, typeInfo.default_endpoint);
    if (problem) errors.endpoint_url = problem;
  } else if (typeInfo.required_fields.includes("endpoint_url")) {
    errors.endpoint_url = `${typeInfo.label} needs an endpoint URL, for example ${typeInfo.default_endpoint}.`;
  }
  if (values.default_model.trim().length > MAX_NAME) {
    errors.default_model = `At most ${MAX_NAME} characters.`;
  }
  return { ...errors, ...validateAdvanced(values, typeInfo) };
}

/**
 * Create arguments from valid `values`; a typed key travels as a reference; `config` only when an
 * option is set.
 */
export function createArgs(typeInfo: ProviderTypeInfo, values: ProviderFormValues): CreateProviderArgs {
  const key = values.api_key.trim();
  const config = configFromValues(values, typeInfo);
  return {
    name: values.name.trim(),
    provider_type: typeInfo.type,
    endpoint_url: values.endpoint_url.trim() || null,
    default_model: values.default_model.trim() || null,
    ...(Object.keys(config).length ? { config } : {}),
    ...(key ? { apiKeyRef: handOffSecret(key) } : {}),
  };
}

/**
 * Update arguments holding only what changed; an empty key field keeps the stored key. The server
 * replaces the whole stored `config` when one is sent, so a changed option sends the full object,
 * with the stored keys the form does not edit kept as they are.
 */
export function updateArgs(
  typeInfo: ProviderTypeInfo,
  provider: UserLLMProvider,
  values: ProviderFormValues,
): UpdateProviderArgs {
  const args: UpdateProviderArgs = { id: provider.id };
  const name = values.name.trim();
  const endpoint = values.endpoint_url.trim() || null;
  const model = values.default_model.trim() || null;
  if (name !== provider.name) args.name = name;
  if (endpoint !== provider.endpoint_url) args.endpoint_url = endpoint;
  if (model !== provider.default_model) args.default_model = model;
  if (advancedChanged(values, typeInfo, provider.config)) {
    args.config = configFromValues(values, typeInfo, provider.config);
  }
  const key = values.api_key.trim();
  if (key) args.apiKeyRef = handOffSecret(key);
  return args;
}
