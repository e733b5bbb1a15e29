// The four provider types as `GET /api/v1/user-llm-providers/types` returns them (a copy of the
// backend registry, src/binscribe/llm/types.py, trimmed to what the UI reads).
import type { ProviderTypeInfo } from "../types/UserLLMProvider.types";

const common = { default_endpoint: "", api_key_help: "", endpoint_help: "" };

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
  },
];

export function typeInfo(type: string): ProviderTypeInfo {
  const info = PROVIDER_TYPES.find((t) => t.type === type);
  if (!info) throw new Error(`no type ${type}`);
  return info;
}
