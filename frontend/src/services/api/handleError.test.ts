import { describe, expect, it } from "vitest";
import { handleError } from "./handleError";

describe("handleError", () => {
  it("reads the backend's {code, message, details} and the field in details", () => {
    const error = {
      status: 422,
      data: { code: "invalid_endpoint_url", message: "bad URL", details: { field: "endpoint_url" } },
    };
    expect(handleError(error)).toEqual({
      status: 422,
      code: "invalid_endpoint_url",
      message: "bad URL",
      details: { field: "endpoint_url" },
      field: "endpoint_url",
    });
  });

  it("puts provider_name_taken on the name field", () => {
    const error = {
      status: 409,
      data: { code: "provider_name_taken", message: "taken", details: { name: "A" } },
    };
    expect(handleError(error).field).toBe("name");
  });

  it("takes the field of a validation_error from the first loc", () => {
    const error = {
      status: 422,
      data: {
        code: "validation_error",
        message: "Invalid name: String should have at most 255 characters",
        details: [{ loc: ["body", "name"], msg: "too long", type: "string_too_long" }],
      },
    };
    expect(handleError(error)).toMatchObject({ code: "validation_error", field: "name" });
  });

  it("joins a nested loc into a dotted field", () => {
    const error = {
      status: 422,
      data: {
        code: "validation_error",
        message: "Invalid config.timeout_s: Input should be greater than or equal to 1",
        details: [{ loc: ["body", "config", "timeout_s"], msg: "too small", type: "greater_than_equal" }],
      },
    };
    expect(handleError(error).field).toBe("config.timeout_s");
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
