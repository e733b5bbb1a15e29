// The four provider types as `GET /api/v1/user-llm-providers/types` returns them (a copy of the
// backend registry, src/binscribe/llm/types.py, trimmed to what the UI reads).
import type { OptionSpec, ProviderTypeInfo } from "../types/UserLLMProvider.types";

const common = { default_endpoint: "", api_key_help: "", endpoint_help: "" };

const whole = (key: string, minimum: number, maximum: number, value: number | null = null): OptionSpec => ({
  key, kind: "integer", minimum, maximum, choices: [], default: value, description: "",
});
const price = (key: string): OptionSpec => ({ ...whole(key, 0, 10000), kind: "number" });

/** A type's `options` as the server's ProviderOptions describes them (llm/options.py). */
function options(timeout: number, extra: "thinking" | "effort"): OptionSpec[] {
  return [
    whole("max_concurrency", 1, 64, 4),
    whole("timeout_s", 1, 3600, timeout),
    whole("context_tokens", 2048, 10_000_000, 16_384),
    ...(extra === "thinking" ? [whole("thinking_budget", 0, 128_000)] : []),
    price("input_usd_per_mtok"),
    price("output_usd_per_mtok"),
    ...(extra === "effort"
      ? [{ key: "reasoning_effort", kind: "choice", choices: ["none", "minimal", "low", "medium", "high", "xhigh"], default: null, description: "" } as OptionSpec]
      : []),
  ];
}

export const PROVIDER_TYPES: ProviderTypeInfo[] = [
  {
    ...common,
    type: "openai",
    label: "OpenAI",
    description: "OpenAI's API, or any OpenAI-compatible server.",
    required_fields: ["name", "api_key"],
    optional_fields: ["endpoint_url", "default_model"],
    requires_api_key: true,
    default_endpoint: "https://api.openai.com/v1",
    default_model: "gpt-4.1-mini",
    api_key_help: "Create a key at platform.openai.com/api-keys.",
    endpoint_help: "Leave empty for OpenAI.",
    options: options(120, "effort"),
  },
  {
    ...common,
    type: "anthropic",
    label: "Anthropic",
    description: "Claude models through Anthropic's Messages API.",
    required_fields: ["name", "api_key"],
    optional_fields: ["endpoint_url", "default_model"],
    requires_api_key: true,
    default_endpoint: "https://api.anthropic.com",
    default_model: "claude-sonnet-5-5",
    options: options(120, "thinking"),
  },
  {
    ...common,
    type: "gemini",
    label: "Google Gemini",
    description: "Gemini models through the Gemini Developer API.",
    required_fields: ["name", "api_key"],
    optional_fields: ["endpoint_url", "default_model"],
    requires_api_key: true,
    default_endpoint: "https://generativelanguage.googleapis.com",
    default_model: "gemini-3.5-flash",
    options: options(120, "thinking"),
  },
  {
    ...common,
    type: "ollama",
    label: "Ollama",
    description: "Models you run yourself with Ollama.",
    required_fields: ["name", "endpoint_url"],
    optional_fields: ["api_key", "default_model"],
    requires_api_key: false,
    default_endpoint: "http://127.0.0.1:11434",
    default_model: "qwen3:8b",
    endpoint_help: "The Ollama server, for example http://127.0.0.1:11434.",
    options: options(300, "thinking"),
  },
];

export function typeInfo(type: string): ProviderTypeInfo {
  const info = PROVIDER_TYPES.find((t) => t.type === type);
  if (!info) throw new Error(`no type ${type}`);
  return info;
}
