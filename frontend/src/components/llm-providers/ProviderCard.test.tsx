import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeServer, makeProvider } from "../../test/fakeServer";
import { typeInfo } from "../../test/providerTypes";
import { renderWithStore } from "../../test/render";
import type { UserLLMProvider } from "../../types/UserLLMProvider.types";
import { ProviderCard } from "./ProviderCard";

const user = userEvent.setup({ delay: null });
let server: FakeServer;

beforeEach(() => {
  server = new FakeServer().install();
});
afterEach(() => vi.unstubAllGlobals());

function renderCard(provider: UserLLMProvider) {
  server.providers = [provider];
  const view = renderWithStore(<ProviderCard provider={provider} typeInfo={typeInfo(provider.provider_type)} />);
  return { ...view, card: screen.getByRole("article", { name: provider.name }) };
}

describe("ProviderCard", () => {
  it("shows name, type, model, endpoint, key hint and an untested health", () => {
    const { card } = renderCard(makeProvider({ name: "Work", endpoint_url: null, api_key_hint: "x9Qz" }));
    expect(within(card).getByRole("heading", { name: "Work" })).toBeVisible();
    expect(within(card).getByText("OpenAI")).toBeVisible();
    expect(within(card).getByText(`${typeInfo("openai").default_model} (type default)`)).toBeVisible();
    expect(within(card).getByText("default (https://api.openai.com/v1)")).toBeVisible();
    expect(within(card).getByText("…x9Qz")).toBeVisible();
    expect(within(card).getByText("Not tested")).toBeVisible();
    expect(within(card).getByText("never")).toBeVisible();
  });

  it("shows the stored last test as health and time", () => {
    const { card } = renderCard(
      makeProvider({
        last_test: {
          status: "failure",
          error_code: "auth_failed",
          message: "Incorrect API key",
          latency_ms: 120,
          tested_at: "2026-03-04T09:30:00Z",
        },
      }),
    );
    expect(within(card).getByText("Failing: auth_failed")).toBeVisible();
    expect(card.querySelector("time")).toHaveAttribute("datetime", "2026-03-04T09:30:00Z");
  });

  it("tests, then shows success, latency and the server's message", async () => {
    server.testAnswer = {
      status: 200,
      body: { success: true, message: "gpt-4.1-mini answered.", error_code: null, latency_ms: 42, models: ["a", "b", "c"] },
    };
    const { card } = renderCard(makeProvider({ name: "Work" }));
    await user.click(within(card).getByRole("button", { name: "Test Work" }));
    expect(await within(card).findByText("Connection works in 42 ms")).toBeVisible();
    expect(within(card).getByText("gpt-4.1-mini answered.")).toBeVisible();
    expect(within(card).getByRole("button", { name: "Test Work" })).toBeEnabled();
  });

  it("shows the precise error code and status of a failed test, including 501", async () => {
    const { card } = renderCard(makeProvider({ name: "Work" }));
    const button = within(card).getByRole("button", { name: "Test Work" });
    await user.click(button);
    expect(await within(card).findByText("Test failed: not_implemented · HTTP 501")).toBeVisible();
    expect(within(card).getByText(/nothing was sent to the provider/)).toBeVisible();
    await user.click(within(card).getByRole("button", { name: "Close" }));
    expect(within(card).queryByText(/Test failed/)).not.toBeInTheDocument();
  });

  it("shows a failure the provider answered (200, success false)", async () => {
    server.testAnswer = {
      status: 200,
      body: { success: false, message: "Incorrect API key provided.", error_code: "auth_failed", latency_ms: 30, models: [] },
    };
    const { card } = renderCard(makeProvider({ name: "Work" }));
    await user.click(within(card).getByRole("button", { name: "Test Work" }));
    expect(await within(card).findByText("Test failed: auth_failed")).toBeVisible();
    expect(within(card).getByText("Incorrect API key provided.")).toBeVisible();
  });

  it("shows Testing… while the test runs", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fetchMock = vi.mocked(fetch);
    const answer = fetchMock.getMockImplementation()!;
    fetchMock.mockImplementation(async (input) => {
      if (String((input as Request).url).endsWith("/test")) await gate;
      return answer(input);
    });
    const { card } = renderCard(makeProvider({ name: "Work" }));
    await user.click(within(card).getByRole("button", { name: "Test Work" }));
    expect(within(card).getByRole("button", { name: "Test Work" })).toBeDisabled();
    expect(within(card).getByRole("progressbar", { name: "Testing" })).toBeVisible();
    release();
    await waitFor(() => expect(within(card).getByRole("button", { name: "Test Work" })).toBeEnabled());
  });

  it("deletes only after confirmation", async () => {
    const provider = makeProvider({ name: "Work" });
    const { card } = renderCard(provider);
    await user.click(within(card).getByRole("button", { name: "Delete Work" }));
    let dialog = screen.getByRole("dialog", { name: "Delete “Work”?" });
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(server.requests.some((r) => r.method === "DELETE")).toBe(false);

    await user.click(within(card).getByRole("button", { name: "Delete Work" }));
    dialog = screen.getByRole("dialog", { name: "Delete “Work”?" });
    await user.click(within(dialog).getByRole("button", { name: "Delete" }));
    await waitFor(() =>
      expect(server.requests.filter((r) => r.method === "DELETE").map((r) => r.path)).toEqual([
        `/api/v1/user-llm-providers/${provider.id}`,
      ]),
    );
    expect(server.providers).toEqual([]);
  });

  it("asks to re-enter a key the server cannot decrypt and opens the edit form", async () => {
    const provider = makeProvider({ name: "Work", key_status: "needs_reentry" });
    const { card, store } = renderCard(provider);
    expect(within(card).getByText(/can no longer be decrypted/)).toBeVisible();
    await user.click(within(card).getByRole("button", { name: "Re-enter key" }));
    expect(store.getState().userLLMProviders.modal).toEqual({ open: true, mode: "edit", providerId: provider.id });
  });
});
