// The four provider types exactly as `GET /api/v1/user-llm-providers/types` returns them: read
// from the backend's own answer (src/test/generated/apiSamples.json, written by `npm run gen:api`
// and checked by `npm run check:api`), never copied by hand.
import type { ProviderTypeInfo } from "../types/UserLLMProvider.types";
import samples from "./generated/apiSamples.json";

export const PROVIDER_TYPES: ProviderTypeInfo[] = samples.types.data as ProviderTypeInfo[];

export function typeInfo(type: string): ProviderTypeInfo {
  const info = PROVIDER_TYPES.find((t) => t.type === type);
  if (!info) throw new Error(`no type ${type}`);
  return info;
}
