import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { userLLMProvidersApi } from "../../services/api/userLLMProvidersApi";
import { FakeServer, makeProvider } from "../../test/fakeServer";
import { makeStore } from "../index";
import reducer, {
  createModalOpened,
  editModalOpened,
  initialState,
  modalClosed,
  testDismissed,
} from "./userLLMProvidersSlice";

describe("userLLMProvidersSlice reducers", () => {
  it("opens the modal to create, to edit one provider, and closes it", () => {
    let state = reducer(initialState, createModalOpened());
    expect(state.modal).toEqual({ open: true, mode: "create", providerId: null });
    state = reducer(state, editModalOpened("p-1"));
    expect(state.modal).toEqual({ open: true, mode: "edit", providerId: "p-1" });
    state = reducer(state, modalClosed());
    expect(state.modal).toEqual({ open: false, mode: "edit", providerId: "p-1" });
  });

  it("forgets a dismissed test result", () => {
    const state = reducer(
      { ...initialState, tests: { "p-1": { running: false, outcome: null } } },
      testDismissed("p-1"),
    );
    expect(state.tests).toEqual({});
  });
});

describe("userLLMProvidersSlice connection tests", () => {
  let server: FakeServer;
  const provider = makeProvider({ id: "11111111-1111-4111-8111-111111111111" });

  beforeEach(() => {
    server = new FakeServer().install();
    server.providers = [provider];
  });
  afterEach(() => vi.unstubAllGlobals());

  it("tracks a running test and keeps a successful answer with its models", async () => {
    server.testAnswer = {
      status: 200,
      body: { success: true, message: "gpt-4.1-mini answered", error_code: null, latency_ms: 87, models: ["gpt-4.1-mini", "gpt-4o"] },
    };
    const store = makeStore();
    const request = store.dispatch(userLLMProvidersApi.endpoints.testProvider.initiate(provider.id));
    expect(store.getState().userLLMProviders.tests[provider.id]).toEqual({ running: true, outcome: null });
    await request;
    const test = store.getState().userLLMProviders.tests[provider.id];
    expect(test.running).toBe(false);
    expect(test.outcome).toMatchObject({
      success: true,
      message: "gpt-4.1-mini answered",
      code: null,
      httpStatus: null,
      latencyMs: 87,
      models: ["gpt-4.1-mini", "gpt-4o"],
    });
  });

  it("keeps the precise code and HTTP status of a refused test (409 provider_key_unusable)", async () => {
    const store = makeStore();
    await store.dispatch(userLLMProvidersApi.endpoints.testProvider.initiate(provider.id));
    expect(store.getState().userLLMProviders.tests[provider.id].outcome).toMatchObject({
      success: false,
      code: "provider_key_unusable",
      httpStatus: 409,
      message: "the stored API key cannot be decrypted with the configured encryption keys",
      models: [],
    });
  });

  it("drops the test and closes the edit modal when the provider is deleted", async () => {
    const store = makeStore();
    store.dispatch(editModalOpened(provider.id));
    await store.dispatch(userLLMProvidersApi.endpoints.testProvider.initiate(provider.id));
    await store.dispatch(userLLMProvidersApi.endpoints.deleteProvider.initiate(provider.id));
    expect(store.getState().userLLMProviders).toEqual(initialState);
  });
});
