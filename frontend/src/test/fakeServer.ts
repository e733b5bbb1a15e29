// An in-memory stand-in for the binscribe HTTP API, installed as `fetch` for component tests.
// It answers like the real server (status codes, `{code, message, details}` errors, `notices`;
// a sent `config` replaces the stored one) and records every request so tests can check what was
// sent.
import { vi } from "vitest";
import type { Health } from "../types/Health.types";
import type { ProviderTestResponse, UserLLMProvider } from "../types/UserLLMProvider.types";
import samples from "./generated/apiSamples.json";
import { PROVIDER_TYPES, typeInfo } from "./providerTypes";

export interface RecordedRequest {
  method: string;
  path: string;
  body: string;
  authorization: string | null;
}

export interface FakeTestAnswer {
  status: number;
  body: ProviderTestResponse | { code: string; message: string; details: unknown };
}

const json = (status: number, body: unknown) =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
const error = (status: number, code: string, message: string, details: unknown = null) =>
  json(status, { code, message, details });

/** What a default server answers on `GET /api/v1/health` (the backend's own answer). */
export const HEALTH: Health = samples.health as Health;

export function makeProvider(overrides: Partial<UserLLMProvider> = {}): UserLLMProvider {
  return {
    id: crypto.randomUUID(),
    name: "OpenAI (work)",
    provider_type: "openai",
    endpoint_url: null,
    default_model: null,
    effective_model: typeInfo("openai").default_model,
    config: {},
    is_active: true,
    has_api_key: true,
    api_key_hint: "x9Qz",
    key_status: "ok",
    last_test: null,
    created_at: "2026-01-02T10:00:00Z",
    updated_at: "2026-01-02T10:00:00Z",
    notices: [],
    ...overrides,
  };
}

/** An error answer: `{code, message, details}` with its HTTP status. */
export interface FakeErrorAnswer {
  status: number;
  code: string;
  message: string;
  details: unknown;
}

export class FakeServer {
  providers: UserLLMProvider[] = [];
  requests: RecordedRequest[] = [];
  token: string | null = null;
  /** When set, the next create or update answers this error (once) instead of saving. */
  refuseNextWrite: FakeErrorAnswer | null = null;
  /** The server's refusal when the stored key cannot be decrypted (crypto.KeyUnusable). */
  testAnswer: FakeTestAnswer = {
    status: 409,
    body: {
      code: "provider_key_unusable",
      message: "the stored API key cannot be decrypted with the configured encryption keys",
      details: null,
    },
  };

  install() {
    vi.stubGlobal("fetch", vi.fn((input: Request) => this.handle(input)));
    return this;
  }

  private async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const body = request.method === "GET" || request.method === "DELETE" ? "" : await request.text();
    const authorization = request.headers.get("authorization");
    this.requests.push({ method: request.method, path: url.pathname, body, authorization });
    if (this.token && authorization !== `Bearer ${this.token}`) {
      return error(401, "unauthorized", "This server requires an access token.");
    }
    return this.route(request.method, url.pathname.replace(/^\/api\/v1/, ""), body);
  }

  private route(method: string, path: string, body: string): Response {
    const base = "/user-llm-providers";
    if (path === "/health") return json(200, HEALTH);
    if (path === `${base}/types`) return json(200, { data: PROVIDER_TYPES, count: PROVIDER_TYPES.length });
    if (path === base && method === "GET") return json(200, { data: this.providers, count: this.providers.length });
    if (path === base && method === "POST") return this.create(JSON.parse(body));
    const match = path.match(/^\/user-llm-providers\/([^/]+)(\/test)?$/);
    const provider = this.providers.find((p) => p.id === match?.[1]);
    if (!match) return error(404, "not_found", `No route ${method} ${path}.`);
    if (!provider) return error(404, "provider_not_found", `no provider with id ${match[1]}`);
    if (match[2]) return this.test(provider);
    if (method === "GET") return json(200, provider);
    if (method === "DELETE") {
      this.providers = this.providers.filter((p) => p !== provider);
      return json(204, null);
    }
    return this.update(provider, JSON.parse(body));
  }

  private checks(fields: Record<string, unknown>, selfId: string | null): Response | string[] {
    const refusal = this.refuseNextWrite;
    if (refusal) {
      this.refuseNextWrite = null;
      return error(refusal.status, refusal.code, refusal.message, refusal.details);
    }
    if (this.providers.some((p) => p.name === fields.name && p.id !== selfId)) {
      return error(409, "provider_name_taken", `A provider named '${fields.name}' already exists; choose another name.`, {
        fields: [{ field: "name", message: "taken", type: "provider_name_taken" }],
        name: fields.name,
      });
    }
    const endpoint = fields.endpoint_url;
    if (typeof endpoint === "string" && endpoint.includes("bad-host")) {
      const message = "endpoint_url: the host does not resolve.";
      return error(422, "invalid_endpoint_url", message, {
        fields: [{ field: "endpoint_url", message, type: "invalid_endpoint_url" }],
      });
    }
    if (typeof endpoint === "string" && endpoint.endsWith("/")) {
      fields.endpoint_url = endpoint.slice(0, -1);
      return ["endpoint_url: removed the trailing slash", `endpoint_url stored as ${fields.endpoint_url}`];
    }
    return [];
  }

  private create(fields: Record<string, unknown>): Response {
    const checked = this.checks(fields, null);
    if (checked instanceof Response) return checked;
    const info = typeInfo(String(fields.provider_type));
    const key = fields.api_key as string | undefined;
    if (info.requires_api_key && !key) {
      const message = `${info.label} providers need an API key.`;
      return error(422, "missing_api_key", message, {
        fields: [{ field: "api_key", message, type: "missing_api_key" }],
      });
    }
    const provider = makeProvider({
      name: String(fields.name),
      provider_type: info.type,
      endpoint_url: (fields.endpoint_url as string | null) ?? null,
      default_model: (fields.default_model as string | null) ?? null,
      effective_model: (fields.default_model as string | null) ?? info.default_model,
      config: (fields.config as UserLLMProvider["config"] | undefined) ?? {},
      has_api_key: Boolean(key),
      api_key_hint: key ? key.slice(-4) : null,
    });
    this.providers.push(provider);
    return json(201, { ...provider, notices: checked });
  }

  /** Like the server: a test the provider answered (200) is stored as `last_test`. */
  private test(provider: UserLLMProvider): Response {
    const { status, body } = this.testAnswer;
    if (status !== 200 || !("success" in body)) return json(status, body);
    const testedAt = new Date().toISOString();
    provider.last_test = {
      status: body.success ? "success" : "failure",
      error_code: body.error_code,
      message: body.message,
      latency_ms: body.latency_ms,
      tested_at: testedAt,
      source: "test",
    };
    return json(200, { ...body, tested_at: testedAt });
  }

  private update(provider: UserLLMProvider, fields: Record<string, unknown>): Response {
    const checked = this.checks({ name: provider.name, ...fields }, provider.id);
    if (checked instanceof Response) return checked;
    const key = fields.api_key as string | undefined;
    const { api_key: _key, ...rest } = fields;
    // Like the server: a new endpoint, model or key forgets the stored health.
    const connection = ["endpoint_url", "default_model", "provider_type"].some(
      (f) => f in fields && fields[f] !== provider[f as keyof UserLLMProvider],
    );
    if (connection || key) provider.last_test = null;
    Object.assign(provider, rest, key ? { has_api_key: true, api_key_hint: key.slice(-4), key_status: "ok" } : {});
    return json(200, { ...provider, notices: checked });
  }
}
