// The one error helper: turns whatever a request or mutation failed with into `ApiError`.
//
// The backend answers every failure with `{code, message, details}`; `details.field` (or the
// `loc` of a 422 `validation_error`, joined with dots: `config.timeout_s`) names the form field
// the message belongs on.
import type { FetchBaseQueryError } from "@reduxjs/toolkit/query";
import type { SerializedError } from "@reduxjs/toolkit";

/** A failure ready to show: `status` is the HTTP status, or null when no answer came back. */
export interface ApiError {
  status: number | null;
  code: string;
  message: string;
  details: unknown;
  /** The request field the error is about (`name`, `config.timeout_s`, ...), when known. */
  field?: string;
}

/** Codes whose `details` name no field but whose field is clear from the code itself. */
const CODE_FIELDS: Record<string, string> = {
  provider_name_taken: "name",
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function isErrorBody(value: unknown): value is { code: string; message: string; details?: unknown } {
  return isRecord(value) && typeof value.code === "string" && typeof value.message === "string";
}

function fieldOf(code: string, details: unknown): string | undefined {
  if (isRecord(details) && typeof details.field === "string") return details.field;
  if (Array.isArray(details)) {
    const loc = isRecord(details[0]) ? details[0].loc : undefined;
    if (Array.isArray(loc)) {
      const parts = loc.filter((p) => !["body", "path", "query"].includes(String(p)));
      if (parts.length) return parts.map(String).join(".");
    }
  }
  return CODE_FIELDS[code];
}

function isFetchError(error: unknown): error is FetchBaseQueryError {
  return isRecord(error) && "status" in error;
}

/**
 * Normalize an RTK Query error (`FetchBaseQueryError` or `SerializedError`) or a thrown value.
 * Never throws; unknown shapes become code `unexpected_error`.
 */
export function handleError(error: unknown): ApiError {
  if (isFetchError(error)) {
    const { status } = error;
    if (typeof status === "number") {
      if (isErrorBody(error.data)) {
        const { code, message, details = null } = error.data;
        return { status, code, message, details, field: fieldOf(code, details) };
      }
      return {
        status,
        code: "http_error",
        message: `The server answered HTTP ${status}.`,
        details: null,
      };
    }
    if (status === "FETCH_ERROR") {
      return {
        status: null,
        code: "network_error",
        message: "Cannot reach the binscribe server. Is it running?",
        details: null,
      };
    }
    if (status === "PARSING_ERROR") {
      return {
        status: error.originalStatus,
        code: "bad_response",
        message: `The server answered HTTP ${error.originalStatus} with a body that is not JSON.`,
        details: null,
      };
    }
    if (status === "TIMEOUT_ERROR") {
      return { status: null, code: "timeout", message: "The server did not answer in time.", details: null };
    }
    return { status: null, code: "client_error", message: String(error.error), details: null };
  }
  const serialized = error as SerializedError | undefined;
  return {
    status: null,
    code: serialized?.code ?? "unexpected_error",
    message: serialized?.message ?? "Something went wrong.",
    details: null,
  };
}
