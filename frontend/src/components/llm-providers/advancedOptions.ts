// Rules of the form's "Advanced" section: the provider's `config` options. Kind, range, choices,
// default and which types use an option come from the type's `options` in `GET .../types` (the
// server's ProviderOptions model), never from a copy here; this module adds only the words (label,
// help) and turns form text into the `config` a request sends. Form values are strings as typed or
// picked; an empty one is not sent (the type's default applies).
import type {
  OptionSpec,
  ProviderConfigJson,
  ProviderConfigKey,
  ProviderFormErrors,
  ProviderFormValues,
  ProviderType,
  ProviderTypeInfo,
} from "../../types/UserLLMProvider.types";

interface OptionCopy {
  label: string;
  help: (spec: OptionSpec, type: ProviderType) => string;
}

const range = (spec: OptionSpec) => `${spec.minimum} to ${spec.maximum}`;

/** Label and help text of every option the server schema has (a new one fails the typecheck). */
const OPTION_COPY: Record<ProviderConfigKey, OptionCopy> = {
  max_concurrency: {
    label: "Parallel requests",
    help: (s) => `Requests sent at once during one analysis, ${range(s)}. Empty uses ${s.default}.`,
  },
  timeout_s: {
    label: "Request timeout (s)",
    help: (s) => `Seconds to wait for each answer, ${range(s)}. Empty uses ${s.default}.`,
  },
  context_tokens: {
    label: "Context window (tokens)",
    help: (s) =>
      `The model's context window; prompts are split to fit it. ${range(s)}. Empty assumes ${s.default}.`,
  },
  thinking_budget: {
    label: "Thinking budget (tokens)",
    help: (s, type) =>
      type === "ollama"
        ? "0 turns thinking off on thinking models; any other number turns it on and leaves that many tokens for it. Empty: on, with 4096 tokens of room."
        : type === "anthropic"
          ? `Tokens each answer may spend thinking, ${range(s)}. Empty or 0: thinking off where the model allows it.`
          : `Tokens each answer may spend thinking, ${range(s)}. Empty: a small default (1024, or level low on Gemini 3); 0: off where the model allows it.`,
  },
  input_usd_per_mtok: {
    label: "Input price (USD per million tokens)",
    help: () => "Your price, for a model binscribe has no price for. Set both prices or neither.",
  },
  output_usd_per_mtok: {
    label: "Output price (USD per million tokens)",
    help: () => "Thinking tokens are billed as output. Empty: the price table's, or unknown.",
  },
  reasoning_effort: {
    label: "Reasoning effort",
    help: () =>
      "How much OpenAI reasoning models (gpt-5, o-series) think before answering. Empty uses low " +
      "for them and sends nothing to other models.",
  },
};

const KEYS = Object.keys(OPTION_COPY) as ProviderConfigKey[];

export function isAdvancedKey(key: string): key is ProviderConfigKey {
  return (KEYS as string[]).includes(key);
}

/** One option of a provider type, ready to render. */
export interface AdvancedOption {
  key: ProviderConfigKey;
  spec: OptionSpec;
  label: string;
  help: string;
}

/** The options `typeInfo` uses, in the server's order. */
export function advancedOptionsFor(typeInfo: ProviderTypeInfo): AdvancedOption[] {
  return typeInfo.options.flatMap((spec) => {
    if (!isAdvancedKey(spec.key)) return [];
    const copy = OPTION_COPY[spec.key];
    return [{ key: spec.key, spec, label: copy.label, help: copy.help(spec, typeInfo.type) }];
  });
}

/** The option a server error's field names (`config.timeout_s`), if any. */
export function advancedFieldOf(field: string | undefined): ProviderConfigKey | undefined {
  const key = field?.match(/^config\.([a-z_]+)$/)?.[1];
  return key && isAdvancedKey(key) ? key : undefined;
}

/** The stored options as form text: a number as written, absent or null as "". */
export function advancedValuesFrom(config: ProviderConfigJson): Record<ProviderConfigKey, string> {
  const text = (value: unknown) => (value === null || value === undefined ? "" : String(value));
  return Object.fromEntries(KEYS.map((key) => [key, text(config[key])])) as Record<
    ProviderConfigKey,
    string
  >;
}

/**
 * One message per option of `typeInfo` whose text is not a number of its kind in its range (empty
 * text is fine), and on the empty price when only one of the two is set.
 */
export function validateAdvanced(values: ProviderFormValues, typeInfo: ProviderTypeInfo): ProviderFormErrors {
  const errors: ProviderFormErrors = {};
  for (const { key, spec } of advancedOptionsFor(typeInfo)) {
    const text = values[key].trim();
    if (!text || spec.kind === "choice") continue;
    const n = Number(text);
    const decimal = spec.kind === "number";
    const pattern = decimal ? /^\d+(\.\d+)?$/ : /^\d+$/;
    const low = spec.minimum ?? -Infinity;
    const high = spec.maximum ?? Infinity;
    if (!pattern.test(text) || n < low || n > high) {
      errors[key] = `Enter ${decimal ? "a number" : "a whole number"} from ${range(spec)}, or leave it empty for the default.`;
    }
  }
  const input = values.input_usd_per_mtok.trim();
  const output = values.output_usd_per_mtok.trim();
  if (Boolean(input) !== Boolean(output)) {
    errors[input ? "output_usd_per_mtok" : "input_usd_per_mtok"] = "Set both prices, or neither.";
  }
  return errors;
}

/**
 * The `config` to send for valid `values`: every set key of `stored` the form does not show kept
 * as it is, then each shown option that has text (numbers as numbers, choices as picked). Empty
 * options are left out.
 */
export function configFromValues(
  values: ProviderFormValues,
  typeInfo: ProviderTypeInfo,
  stored: ProviderConfigJson = {},
): ProviderConfigJson {
  const options = advancedOptionsFor(typeInfo);
  const shown = new Set<string>(options.map((o) => o.key));
  const config: ProviderConfigJson = {};
  for (const [key, value] of Object.entries(stored)) {
    if (!shown.has(key) && value !== null && value !== undefined) config[key] = value;
  }
  for (const { key, spec } of options) {
    const text = values[key].trim();
    if (text) config[key] = spec.kind === "choice" ? text : Number(text);
  }
  return config;
}

/** True when some shown option's text differs from the stored value (`030` equals a stored 30). */
export function advancedChanged(
  values: ProviderFormValues,
  typeInfo: ProviderTypeInfo,
  stored: ProviderConfigJson,
): boolean {
  const before = advancedValuesFrom(stored);
  return advancedOptionsFor(typeInfo).some(({ key, spec }) => {
    const text = values[key].trim();
    const now = spec.kind === "choice" || !text ? text : String(Number(text));
    return now !== before[key];
  });
}
