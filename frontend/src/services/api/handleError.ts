// The one error helper: turns whatever a request or mutation failed with into `ApiError`.
//
// The backend answers every failure with `{code, message, details}`; an error about request fields
// has `details.fields: [{field, message, type}]` (`field` is the dotted request path, such as
// `config.timeout_s`), whose first field is the form field the message belongs on.
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function isErrorBody(value: unknown): value is { code: string; message: string; details?: unknown } {
  return isRecord(value) && typeof value.code === "string" && typeof value.message === "string";
}

function fieldOf(details: unknown): string | undefined {
  const fields = isRecord(details) ? details.fields : undefined;
  const first: unknown = Array.isArray(fields) ? fields[0] : undefined;
  return isRecord(first) && typeof first.field === "string" && first.field ? first.field : undefined;
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
        return { status, code, message, details, field: fieldOf(details) };
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
