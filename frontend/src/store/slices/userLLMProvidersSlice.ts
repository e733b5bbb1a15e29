// UI state of provider management only: the config modal, and connection tests in progress and
// their outcomes per provider id. Provider data itself lives in RTK Query; API keys live nowhere
// in Redux (forms hand them to requests through services/api/secretHandoff.ts).
import { createSlice, type PayloadAction } from "@reduxjs/toolkit";
import { handleError } from "../../services/api/handleError";
import { userLLMProvidersApi } from "../../services/api/userLLMProvidersApi";

/** What the last connection test of a provider answered, as shown on its card. */
export interface ProviderTestOutcome {
  success: boolean;
  message: string;
  /** Error code (`auth_failed`, `provider_key_unusable`, ...) when the test failed. */
  code: string | null;
  /** HTTP status when the request itself failed (e.g. 409 when the stored key is unusable). */
  httpStatus: number | null;
  latencyMs: number | null;
  /** Model names the provider listed; they feed the default-model suggestions. */
  models: string[];
  /** ISO 8601 time the answer arrived. */
  finishedAt: string;
  /** The server's time of the stored result (the provider's `last_test.tested_at`); null when
   * the request failed and nothing was stored. */
  testedAt: string | null;
}

export interface ProviderTestState {
  running: boolean;
  outcome: ProviderTestOutcome | null;
}

export type ConfigModalMode = "create" | "edit";

export interface UserLLMProvidersState {
  modal: { open: boolean; mode: ConfigModalMode; providerId: string | null };
  tests: Record<string, ProviderTestState>;
}

export const initialState: UserLLMProvidersState = {
  modal: { open: false, mode: "create", providerId: null },
  tests: {},
};

const { testProvider, deleteProvider, updateProvider } = userLLMProvidersApi.endpoints;

const userLLMProvidersSlice = createSlice({
  name: "userLLMProviders",
  initialState,
  reducers: {
    createModalOpened(state) {
      state.modal = { open: true, mode: "create", providerId: null };
    },
    editModalOpened(state, action: PayloadAction<string>) {
      state.modal = { open: true, mode: "edit", providerId: action.payload };
    },
    modalClosed(state) {
      state.modal = { ...state.modal, open: false };
    },
    testDismissed(state, action: PayloadAction<string>) {
      delete state.tests[action.payload];
    },
  },
  extraReducers: (builder) => {
    builder
      .addMatcher(testProvider.matchPending, (state, action) => {
        const id = action.meta.arg.originalArgs;
        state.tests[id] = { running: true, outcome: state.tests[id]?.outcome ?? null };
      })
      .addMatcher(testProvider.matchFulfilled, (state, action) => {
        const r = action.payload;
        state.tests[action.meta.arg.originalArgs] = {
          running: false,
          outcome: {
            success: r.success,
            message: r.message,
            code: r.error_code,
            httpStatus: null,
            latencyMs: r.latency_ms,
            models: r.models,
            finishedAt: new Date().toISOString(),
            testedAt: r.tested_at ?? null,
          },
        };
      })
      .addMatcher(testProvider.matchRejected, (state, action) => {
        const error = handleError(action.payload ?? action.error);
        state.tests[action.meta.arg.originalArgs] = {
          running: false,
          outcome: {
            success: false,
            message: error.message,
            code: error.code,
            httpStatus: error.status,
            latencyMs: null,
            models: [],
            finishedAt: new Date().toISOString(),
            testedAt: null,
          },
        };
      })
      .addMatcher(updateProvider.matchFulfilled, (state, action) => {
        // A saved change may have reset the stored health: an earlier answer no longer applies.
        delete state.tests[action.meta.arg.originalArgs.id];
      })
      .addMatcher(deleteProvider.matchFulfilled, (state, action) => {
        const id = action.meta.arg.originalArgs;
        delete state.tests[id];
        if (state.modal.providerId === id) state.modal = initialState.modal;
      });
  },
});

export const { createModalOpened, editModalOpened, modalClosed, testDismissed } =
  userLLMProvidersSlice.actions;
export default userLLMProvidersSlice.reducer;
