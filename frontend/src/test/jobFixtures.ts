// Job data for component tests, read from a real run of crackme-x86_64.elf (depth standard,
// explained by the backend tests' canned model) that `npm run gen:api` dumps into
// src/test/generated/apiSamples.json (`job`; checked by `npm run check:api`). Only
// CHECK_PASSWORD_EXPLAINED is hand-written: the canned model leaves most explanation fields empty,
// and the function view's tests need every field filled.
import type { FunctionResult, JobPublic, ProviderHealth } from "../types/Job.types";
import type { FunctionDetail, FunctionRow, JobOverview, ResultOverview } from "../types/Result.types";
import samples from "./generated/apiSamples.json";

const SAMPLE_OVERVIEW = samples.job.job_overview as JobOverview;
const SAMPLE_DETAIL = samples.job.function_detail as FunctionDetail;
/** The crackme's non-library functions as `GET /jobs/{id}/functions` lists them. */
export const CRACKME_FUNCTIONS = samples.job.functions as FunctionRow[];

function sampleAddress(name: string): number {
  const row = CRACKME_FUNCTIONS.find((f) => f.name === name);
  if (!row) throw new Error(`no function ${name} in the job sample`);
  return row.address;
}

export const MAIN_ADDRESS = sampleAddress("main");
export const STRIP_NEWLINE_ADDRESS = sampleAddress("strip_newline");

export const CHECK_PASSWORD_EXPLAINED: FunctionResult = {
  status: "explained",
  error: null,
  unverified_evidence: 0,
  usage: { requests: 1, input_tokens: 420, output_tokens: 90, reasoning_tokens: 30, cost_usd: 0.0002 },
  name: "check_password",
  address: 0x401175,
  source: "pseudocode",
  explanation: {
    summary: "Accepts the password r3v3rs3! and nothing else.",
    explanation: "Compares the input's length with 8, then each byte with a constant.",
    category: "authentication",
    parameters: [{ name: "a0", type: "char *", description: "the typed password" }],
    return_value: "1 when the password matches, else 0",
    side_effects: [],
    security_notes: ["The password is stored in the code as constants."],
    suggested_name: "is_secret_password",
    evidence: [{ kind: "address", value: "0x401186", supports: "length check against 8" }],
    confidence: 0.9,
  },
  coverage: 1,
  parts: 1,
  cached: false,
};

/** check_password as `GET /jobs/{id}/functions/0x401175` answers it (called by main, calls strlen),
 * with the hand-written explanation above. */
export const CHECK_PASSWORD: FunctionDetail = {
  ...SAMPLE_DETAIL,
  grounding_score: null,
  category: CHECK_PASSWORD_EXPLAINED.explanation!.category,
  summary: CHECK_PASSWORD_EXPLAINED.explanation!.summary,
  suggested_name: CHECK_PASSWORD_EXPLAINED.explanation!.suggested_name ?? null,
  explanation: CHECK_PASSWORD_EXPLAINED,
};

/** A function row as the functions list answers it. */
export function makeFunctionRow(overrides: Partial<FunctionRow> = {}): FunctionRow {
  return {
    address: 0x401000,
    name: "sub_401000",
    mangled_name: null,
    size: 16,
    blocks: 1,
    instructions: 4,
    is_library: false,
    decompiled: false,
    decompile_error: null,
    explanation_status: null,
    grounding_score: null,
    category: null,
    summary: null,
    suggested_name: null,
    suspect_injection: false,
    injection_reasons: [],
    caller_count: 0,
    callee_count: 0,
    string_count: 0,
    import_count: 0,
    ...overrides,
  };
}

export function makeProviderHealth(overrides: Partial<ProviderHealth> = {}): ProviderHealth {
  return {
    id: crypto.randomUUID(),
    name: "Local OpenAI",
    provider_type: "openai",
    model: "gpt-4.1-mini",
    health: "healthy",
    key_status: "ok",
    last_checked_at: "2026-11-29T13:28:15Z",
    checked_by: "test",
    stale: false,
    probing: false,
    message: "Connected in 41 ms.",
    error_code: null,
    latency_ms: 41,
    ...overrides,
  };
}

const { result: SAMPLE_RESULT, ...SAMPLE_JOB } = SAMPLE_OVERVIEW;

/** The sample job (a fresh id unless given), as `GET /decompile/{id}` answers it. */
export function makeJob(overrides: Partial<JobPublic> = {}): JobPublic {
  const id = overrides.id ?? crypto.randomUUID();
  return {
    ...structuredClone(SAMPLE_JOB),
    id,
    status_url: `/api/v1/decompile/${id}`,
    events_url: `/api/v1/jobs/${id}/events`,
    report_url: `/api/v1/jobs/${id}/report`,
    ...overrides,
  };
}

/** The sample job's result overview (as `GET /jobs/{id}` has it; sections left out). */
export const CRACKME_OVERVIEW: ResultOverview = SAMPLE_RESULT!;

export function makeJobOverview(overrides: Partial<JobOverview> = {}): JobOverview {
  return { ...makeJob({ provider: null }), result: CRACKME_OVERVIEW, ...overrides };
}
