// Job data for component tests, taken from a real run of crackme-x86_64.elf (depth standard)
// and trimmed; the explanation is hand-written to exercise every field.
import type { FunctionResult, JobPublic, ProviderHealth } from "../types/Job.types";
import type { FunctionDetail, FunctionRow, JobOverview, ResultOverview } from "../types/Result.types";

export const MAIN_ADDRESS = 0x4011c1;
export const STRIP_NEWLINE_ADDRESS = 0x401156;

const CHECK_PASSWORD_CODE = {
  name: "check_password",
  mangled_name: null,
  address: 0x401175,
  size: 76,
  blocks: 11,
  instructions: 26,
  is_library: false,
  bytes_sha256: "8d78ba2cd5dd0198fe49e780b9cfc823d889a0f0c24dc9ba58dc44db4c3973e2",
  disassembly: [
    "0x401175: push rbx",
    "0x401176: mov rbx, rdi",
    "0x401179: call 0x401040",
    "0x401186: cmp rdx, 8",
    "0x40118a: jne 0x4011bf",
    "0x4011bf: pop rbx",
    "0x4011c0: ret",
  ].join("\n"),
  pseudocode:
    "unsigned int check_password(char *a0)\n{\n    if (strlen(a0) != 8)\n    {\n        return 0;\n    }\n    return a0[7] == 33;\n}\n",
  decompile_error: null,
};

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

/** check_password as `GET /jobs/{id}/functions/0x401175` answers it (called by main, calls strlen). */
export const CHECK_PASSWORD: FunctionDetail = {
  ...CHECK_PASSWORD_CODE,
  decompiled: true,
  explanation_status: "explained",
  grounding_score: null,
  category: "authentication",
  summary: "Accepts the password r3v3rs3! and nothing else.",
  suggested_name: "is_secret_password",
  suspect_injection: false,
  injection_reasons: [],
  caller_count: 1,
  callee_count: 0,
  string_count: 0,
  import_count: 1,
  explanation: CHECK_PASSWORD_EXPLAINED,
  callers: [{ address: MAIN_ADDRESS, name: "main" }],
  calls: [],
  string_refs: [],
  import_refs: [{ address: 0x401179, name: "strlen", library: "libc.so.6" }],
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

export function makeJob(overrides: Partial<JobPublic> = {}): JobPublic {
  const id = overrides.id ?? crypto.randomUUID();
  return {
    id,
    status: "completed",
    stage: "store",
    progress: 100,
    message: null,
    counts: { functions_total: 12, functions_decompiled: 4, functions_selected: 4, items_total: 7, items_done: 7, items_failed: 0 },
    file_info: { name: "crackme-x86_64.elf", size: 16104, sha256: "f0".repeat(32), format: "elf", arch: "x86_64" },
    options: { analysis_depth: "standard", translation_detail: "standard", function_limit: 6 },
    provider: { id: crypto.randomUUID(), name: "Local OpenAI", provider_type: "openai", model: "gpt-4.1-mini" },
    error: null,
    usage: { input_tokens: 2752, output_tokens: 265, reasoning_tokens: 120, estimated_cost_usd: 0.0015 },
    analysis_reused: false,
    attempts: 1,
    created_at: "2026-11-29T13:28:15Z",
    started_at: "2026-11-29T13:28:15Z",
    finished_at: "2026-11-29T13:28:36Z",
    updated_at: "2026-11-29T13:28:36Z",
    status_url: `/api/v1/decompile/${id}`,
    events_url: `/api/v1/jobs/${id}/events`,
    report_url: `/api/v1/jobs/${id}/report`,
    ...overrides,
  };
}

/** A decompile-only result overview of crackme-x86_64.elf (as `GET /jobs/{id}` has it). */
export const CRACKME_OVERVIEW: ResultOverview = {
  depth: "standard",
  engine_version: "9.2.154+r3",
  binary: {
    file_name: "crackme-x86_64.elf", size: 16104, sha256: "f0".repeat(32), format: "elf", arch: "x86_64",
    bits: 64, endianness: "little", kind: "executable", entry_point: 0x401070, stripped: false, static: false,
  },
  counts: {
    functions: 12, library_functions: 9, decompiled: 3, decompile_failures: 0, explained: 0, explain_failures: 0,
    strings: 3, imports: 5, exports: 0, sections: 27,
  },
  sections: [],
  warnings: [],
  notes: [],
  stats: { functions_total: 12, functions_decompiled: 3, decompile_failures: 0 },
  cfg_cut: null,
  injection_findings: [],
  injection_findings_total: 0,
  explanation: null,
};

export function makeJobOverview(overrides: Partial<JobOverview> = {}): JobOverview {
  return { ...makeJob({ provider: null }), result: CRACKME_OVERVIEW, ...overrides };
}
