import { describe, expect, it } from "vitest";
import { handleError } from "./handleError";

describe("handleError", () => {
  it("reads the backend's {code, message, details} and the first field in details.fields", () => {
    const details = {
      fields: [{ field: "endpoint_url", message: "bad URL", type: "invalid_endpoint_url" }],
    };
    const error = { status: 422, data: { code: "invalid_endpoint_url", message: "bad URL", details } };
    expect(handleError(error)).toEqual({
      status: 422,
      code: "invalid_endpoint_url",
      message: "bad URL",
      details,
      field: "endpoint_url",
    });
  });

  it("takes a nested field of a validation_error as its dotted path", () => {
    const error = {
      status: 422,
      data: {
        code: "validation_error",
        message: "Invalid config.timeout_s: Input should be greater than or equal to 1",
        details: {
          fields: [
            { field: "config.timeout_s", message: "too small", type: "greater_than_equal" },
            { field: "name", message: "too long", type: "string_too_long" },
          ],
        },
      },
    };
    expect(handleError(error).field).toBe("config.timeout_s");
  });

  it("names no field when details carry none", () => {
    const error = { status: 409, data: { code: "job_not_finished", message: "busy", details: { status: "queued" } } };
    expect(handleError(error).field).toBeUndefined();
    const empty = { status: 422, data: { code: "validation_error", message: "x", details: { fields: [] } } };
    expect(handleError(empty).field).toBeUndefined();
  });

  it("names a network failure and a non-JSON answer", () => {
    expect(handleError({ status: "FETCH_ERROR", error: "TypeError: fetch failed" })).toEqual({
      status: null,
      code: "network_error",
      message: "Cannot reach the binscribe server. Is it running?",
      details: null,
    });
    expect(
      handleError({ status: "PARSING_ERROR", originalStatus: 502, data: "<html>", error: "x" }),
    ).toMatchObject({ status: 502, code: "bad_response" });
  });

  it("keeps an HTTP status without a JSON error body", () => {
    expect(handleError({ status: 500, data: "oops" })).toEqual({
      status: 500,
      code: "http_error",
      message: "The server answered HTTP 500.",
      details: null,
    });
  });
});
