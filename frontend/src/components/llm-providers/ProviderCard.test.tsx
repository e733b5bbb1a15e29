import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeServer, makeProvider } from "../../test/fakeServer";
import { typeInfo } from "../../test/providerTypes";
import { renderWithStore } from "../../test/render";
import { useListProvidersQuery, userLLMProvidersApi } from "../../services/api/userLLMProvidersApi";
import type { UserLLMProvider } from "../../types/UserLLMProvider.types";
import { ProviderCard } from "./ProviderCard";

const user = userEvent.setup({ delay: null });
let server: FakeServer;

beforeEach(() => {
  server = new FakeServer().install();
});
afterEach(() => vi.unstubAllGlobals());

/** The card of the first provider in the list's cache, as the dashboard shows it. */
function CardFromList() {
  const provider = useListProvidersQuery().data?.data[0];
  return provider ? <ProviderCard provider={provider} typeInfo={typeInfo(provider.provider_type)} /> : null;
}

async function renderCard(provider: UserLLMProvider) {
  server.providers = [provider];
  const view = renderWithStore(<CardFromList />);
  return { ...view, card: await screen.findByRole("article", { name: provider.name }) };
}

describe("ProviderCard", () => {
  it("shows name, type, model, endpoint, key hint and an untested health", async () => {
    const { card } = await renderCard(makeProvider({ name: "Work", endpoint_url: null, api_key_hint: "x9Qz" }));
    expect(within(card).getByRole("heading", { name: "Work" })).toBeVisible();
    expect(within(card).getByText("OpenAI")).toBeVisible();
    expect(within(card).getByText(`${typeInfo("openai").default_model} (type default)`)).toBeVisible();
    expect(within(card).getByText("default (https://api.openai.com/v1)")).toBeVisible();
    expect(within(card).getByText("…x9Qz")).toBeVisible();
    expect(within(card).getByText("Not tested")).toBeVisible();
    expect(within(card).getByText("never checked")).toBeVisible();
    expect(within(card).queryByRole("status")).toBeNull();
  });

  it("shows a stored failure found by a job: code, message, and how long ago", async () => {
    const at = new Date(Date.now() - 3 * 60_000 - 5_000).toISOString();
    const { card } = await renderCard(
      makeProvider({
        last_test: {
          status: "failure",
          error_code: "auth_failed",
          message: "Every LLM call of analysis job 1a2b3c4d failed: Incorrect API key",
          latency_ms: null,
          tested_at: at,
          source: "job",
        },
      }),
    );
    expect(within(card).getByText("Failing: auth_failed")).toBeVisible();
    expect(within(card).getByText("checked 3 min ago by an analysis job")).toHaveAttribute("datetime", at);
    expect(within(card).getByText(/^Every LLM call of analysis job 1a2b3c4d failed/)).toBeVisible();
    expect(within(card).queryByText("Not tested")).toBeNull();
    expect(within(card).queryByText("never checked")).toBeNull();
  });

  it("shows stored health found by an automatic check", async () => {
    const at = new Date(Date.now() - 2 * 3600_000 - 60_000).toISOString();
    const { card } = await renderCard(
      makeProvider({
        last_test: { status: "success", error_code: null, message: "ok", latency_ms: 12, tested_at: at, source: "probe" },
      }),
    );
    expect(within(card).getByText("Healthy")).toBeVisible();
    expect(within(card).getByText("checked 2 h ago by an automatic check")).toBeVisible();
  });

  it("tests, then shows success, latency and the server's message", async () => {
    server.testAnswer = {
      status: 200,
      body: { success: true, message: "gpt-4.1-mini answered.", error_code: null, latency_ms: 42, models: ["a", "b", "c"] },
    };
    const { card } = await renderCard(makeProvider({ name: "Work" }));
    await user.click(within(card).getByRole("button", { name: "Test Work" }));
    expect(await within(card).findByText("Connection works in 42 ms")).toBeVisible();
    expect(within(card).getByText("gpt-4.1-mini answered.")).toBeVisible();
    expect(within(card).getByRole("button", { name: "Test Work" })).toBeEnabled();
  });

  it("never pairs a finished test's answer with the health it replaced", async () => {
    server.testAnswer = {
      status: 200,
      body: { success: true, message: "works", error_code: null, latency_ms: 42, models: [] },
    };
    const provider = makeProvider({ name: "Work" });
    const { store } = await renderCard(provider);
    const card = () => screen.getByRole("article", { name: "Work" });
    await user.click(within(card()).getByRole("button", { name: "Test Work" }));
    await within(card()).findByText("Connection works in 42 ms");
    expect(within(card()).queryByText("Not tested")).toBeNull();
    expect(within(card()).queryByText("never checked")).toBeNull();
    expect(within(card()).getByText("Healthy")).toBeVisible();
    expect(within(card()).getByText("checked just now by a connection test")).toBeVisible();

    // an edit that changed the connection forgets the health: the old answer goes too
    await store.dispatch(
      userLLMProvidersApi.endpoints.updateProvider.initiate({ id: provider.id, default_model: "gpt-4.1" }),
    );
    expect(await within(card()).findByText("Not tested")).toBeVisible();
    expect(within(card()).getByText("never checked")).toBeVisible();
    expect(within(card()).queryByText(/Connection works/)).toBeNull();
    expect(within(card()).queryByText("Healthy")).toBeNull();
    expect(store.getState().userLLMProviders.tests[provider.id]).toBeUndefined();
  });

  it("shows the precise error code and status of a refused test (409)", async () => {
    const { card } = await renderCard(makeProvider({ name: "Work" }));
    const button = within(card).getByRole("button", { name: "Test Work" });
    await user.click(button);
    expect(await within(card).findByText("Could not test: provider_key_unusable · HTTP 409")).toBeVisible();
    expect(within(card).getByText(/cannot be decrypted with the configured encryption keys/)).toBeVisible();
    expect(within(card).getByText("Not tested")).toBeVisible(); // nothing was stored
    await user.click(within(card).getByRole("button", { name: "Close" }));
    expect(within(card).queryByText(/Could not test/)).not.toBeInTheDocument();
  });

  it("shows a failure the provider answered (200, success false)", async () => {
    server.testAnswer = {
      status: 200,
      body: { success: false, message: "Incorrect API key provided.", error_code: "auth_failed", latency_ms: 30, models: [] },
    };
    const { card } = await renderCard(makeProvider({ name: "Work" }));
    await user.click(within(card).getByRole("button", { name: "Test Work" }));
    expect(await within(card).findByText("Test failed: auth_failed")).toBeVisible();
    expect(within(card).getByText("Incorrect API key provided.")).toBeVisible();
    expect(within(card).getByText("Failing: auth_failed")).toBeVisible();
    expect(within(card).queryByText("Not tested")).toBeNull();
  });

  it("shows only Testing… while the test runs: no old health, no old answer", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fetchMock = vi.mocked(fetch);
    const answer = fetchMock.getMockImplementation()!;
    fetchMock.mockImplementation(async (input) => {
      if (String((input as Request).url).endsWith("/test")) await gate;
      return answer(input);
    });
    const at = new Date(Date.now() - 10 * 60_000).toISOString();
    const { card } = await renderCard(
      makeProvider({
        name: "Work",
        last_test: { status: "success", error_code: null, message: "ok", latency_ms: 9, tested_at: at, source: "test" },
      }),
    );
    expect(within(card).getByText("Healthy")).toBeVisible();
    await user.click(within(card).getByRole("button", { name: "Test Work" }));
    expect(within(card).getByRole("button", { name: "Test Work" })).toBeDisabled();
    expect(within(card).getByRole("progressbar", { name: "Testing" })).toBeVisible();
    expect(within(card).getByText("Testing…", { selector: ".MuiChip-label" })).toBeVisible();
    expect(within(card).getByText("testing now…")).toBeVisible();
    expect(within(card).queryByText("Healthy")).toBeNull();
    expect(within(card).queryByText(/checked/)).toBeNull();
    expect(within(card).queryByRole("status")).toBeNull();
    release();
    await waitFor(() => expect(within(card).getByRole("button", { name: "Test Work" })).toBeEnabled());
  });

  it("deletes only after confirmation", async () => {
    const provider = makeProvider({ name: "Work" });
    const { card } = await renderCard(provider);
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
    const { card, store } = await renderCard(provider);
    expect(within(card).getByText(/can no longer be decrypted/)).toBeVisible();
    await user.click(within(card).getByRole("button", { name: "Re-enter key" }));
    expect(store.getState().userLLMProviders.modal).toEqual({ open: true, mode: "edit", providerId: provider.id });
  });
});
