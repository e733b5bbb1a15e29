// Pure rules of the form's "Advanced" section: the provider's `config` options (parallel requests,
// request timeout, context window, thinking budget, own prices; reasoning effort for OpenAI),
// their ranges or choices, validation as typed, and the `config` object a request sends. Form
// values are strings as typed or picked; an empty one is not sent (the server's default).
import type {
  NumericConfigKey,
  ProviderConfigJson,
  ProviderConfigKey,
  ProviderFormErrors,
  ProviderFormValues,
  ProviderType,
  ReasoningEffort,
} from "../../types/UserLLMProvider.types";

/**
 * One option: its `config` key, field label, inclusive range, helper text; `decimal` allows a
 * fraction (prices), else whole numbers; `types` limits it to those provider types.
 */
export interface AdvancedOption {
  key: NumericConfigKey;
  label: string;
  min: number;
  max: number;
  help: (type: ProviderType) => string;
  decimal?: boolean;
  types?: ProviderType[];
}

// Ranges as the server checks them: max_concurrency 1-64; timeout_s whole seconds 1-3600 (the API
// schema; ProviderConfig also needs > 0); context_tokens 2048-10000000; thinking_budget 0-128000;
// the two prices 0-10000 USD per million tokens, set together (ProviderConfig).
export const ADVANCED_OPTIONS: AdvancedOption[] = [
  {
    key: "max_concurrency",
    label: "Parallel requests",
    min: 1,
    max: 64,
    help: () => "Requests sent at once during one analysis, 1 to 64. Empty uses 4.",
  },
  {
    key: "timeout_s",
    label: "Request timeout (s)",
    min: 1,
    max: 3600,
    help: (type) =>
      `Seconds to wait for each answer, 1 to 3600. Empty uses ${type === "ollama" ? 300 : 120}.`,
  },
  {
    key: "context_tokens",
    label: "Context window (tokens)",
    min: 2048,
    max: 10_000_000,
    help: () =>
      "The model's context window; prompts are split to fit it. 2048 to 10000000. Empty assumes 16384.",
  },
  {
    key: "thinking_budget",
    label: "Thinking budget (tokens)",
    min: 0,
    max: 128_000,
    types: ["anthropic", "gemini", "ollama"],
    help: (type) =>
      type === "ollama"
        ? "0 turns thinking off on thinking models; any other number turns it on and leaves that many tokens for it. Empty: on, with 4096 tokens of room."
        : type === "anthropic"
          ? "Tokens each answer may spend thinking, 0 to 128000. Empty or 0: thinking off where the model allows it."
          : "Tokens each answer may spend thinking, 0 to 128000. Empty: a small default (1024, or level low on Gemini 3); 0: off where the model allows it.",
  },
  {
    key: "input_usd_per_mtok",
    label: "Input price (USD per million tokens)",
    min: 0,
    max: 10_000,
    decimal: true,
    help: () => "Your price, for a model binscribe has no price for. Set both prices or neither.",
  },
  {
    key: "output_usd_per_mtok",
    label: "Output price (USD per million tokens)",
    min: 0,
    max: 10_000,
    decimal: true,
    help: () => "Thinking tokens are billed as output. Empty: the price table's, or unknown.",
  },
];

/** The options that apply to provider `type`. */
export function advancedOptionsFor(type: ProviderType): AdvancedOption[] {
  return ADVANCED_OPTIONS.filter((o) => !o.types || o.types.includes(type));
}

/** One option picked from a list, shown only for the provider types it applies to. */
export interface ChoiceOption {
  key: Exclude<ProviderConfigKey, NumericConfigKey>;
  label: string;
  types: readonly ProviderType[];
  /** Each value the server accepts (the generated enum: a missing one fails the typecheck). */
  choices: Record<ReasoningEffort, string>;
  help: string;
}

export const CHOICE_OPTIONS: ChoiceOption[] = [
  {
    key: "reasoning_effort",
    label: "Reasoning effort",
    types: ["openai"],
    choices: {
      none: "none",
      minimal: "minimal",
      low: "low",
      medium: "medium",
      high: "high",
      xhigh: "xhigh",
    },
    help:
      "How much OpenAI reasoning models (gpt-5, o-series) think before answering. Empty uses low " +
      "for them and sends nothing to other models.",
  },
];

/** The choice options that apply to `type`. */
export function choiceOptionsFor(type: ProviderType): ChoiceOption[] {
  return CHOICE_OPTIONS.filter((o) => o.types.includes(type));
}

const KEYS: readonly string[] = [...ADVANCED_OPTIONS, ...CHOICE_OPTIONS].map((o) => o.key);

export function isAdvancedKey(key: string): key is ProviderConfigKey {
  return KEYS.includes(key);
}

/** The option a server error's field names (`config_json.timeout_s`, `config.timeout_s`), if any. */
export function advancedFieldOf(field: string | undefined): ProviderConfigKey | undefined {
  const key = field?.match(/^config(?:_json)?\.([a-z_]+)$/)?.[1];
  return key && isAdvancedKey(key) ? key : undefined;
}

/** The stored options as form text: a number as written, absent or null as "". */
export function advancedValuesFrom(config: ProviderConfigJson): Record<ProviderConfigKey, string> {
  const text = (value: unknown) => (value === null || value === undefined ? "" : String(value));
  const keys = [...ADVANCED_OPTIONS, ...CHOICE_OPTIONS].map(({ key }) => key);
  return Object.fromEntries(keys.map((key) => [key, text(config[key])])) as Record<
    ProviderConfigKey,
    string
  >;
}

/**
 * One message per option whose text is not a number of its kind in its range (empty text is
 * fine), and on the empty price when only one of the two is set.
 */
export function validateAdvanced(values: ProviderFormValues): ProviderFormErrors {
  const errors: ProviderFormErrors = {};
  for (const { key, min, max, decimal } of ADVANCED_OPTIONS) {
    const text = values[key].trim();
    if (!text) continue;
    const n = Number(text);
    const pattern = decimal ? /^\d+(\.\d+)?$/ : /^\d+$/;
    if (!pattern.test(text) || n < min || n > max) {
      errors[key] = `Enter ${decimal ? "a number" : "a whole number"} from ${min} to ${max}, or leave it empty for the default.`;
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
 * The `config` to send for valid `values`: every key of `stored` other than the form's options
 * kept as it is, then each number option that has text, as a number, and each picked choice.
 * Empty options are left out.
 */
export function configFromValues(
  values: ProviderFormValues,
  stored: ProviderConfigJson = {},
): ProviderConfigJson {
  const config: ProviderConfigJson = {};
  for (const [key, value] of Object.entries(stored)) {
    if (!isAdvancedKey(key)) config[key] = value;
  }
  for (const { key } of ADVANCED_OPTIONS) {
    const text = values[key].trim();
    if (text) config[key] = Number(text);
  }
  for (const { key } of CHOICE_OPTIONS) {
    if (values[key]) config[key] = values[key];
  }
  return config;
}

/** True when some option's text differs from the stored value (`030` equals a stored 30). */
export function advancedChanged(values: ProviderFormValues, stored: ProviderConfigJson): boolean {
  const before = advancedValuesFrom(stored);
  return (
    ADVANCED_OPTIONS.some(({ key }) => {
      const text = values[key].trim();
      return (text ? String(Number(text)) : "") !== before[key];
    }) || CHOICE_OPTIONS.some(({ key }) => values[key] !== before[key])
  );
}
