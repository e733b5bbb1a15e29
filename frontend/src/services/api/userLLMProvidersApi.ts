// RTK Query endpoints for `/api/v1/user-llm-providers`: list, get, create, update, delete, test,
// and the provider types. Mutations invalidate the list. API keys go in as opaque references
// (see secretHandoff.ts) so they never sit in the Redux store.
import type {
  ProviderConfigJson,
  ProviderTestInfo,
  ProviderTestResponse,
  ProviderTypeList,
  UserLLMProvider,
  UserLLMProviderCreate,
  UserLLMProviderList,
  UserLLMProviderUpdate,
} from "../../types/UserLLMProvider.types";
import { api } from "./baseApi";
import { claimSecret } from "./secretHandoff";

const PATH = "/user-llm-providers";
const LIST = { type: "UserLLMProvider" as const, id: "LIST" };

/**
 * Create arguments: the body without `api_key`, plus a reference from `handOffSecret`; `config`
 * may carry keys the generated schema does not name (see ProviderConfigJson).
 */
export type CreateProviderArgs = Omit<UserLLMProviderCreate, "api_key" | "config"> & {
  apiKeyRef?: string;
  config?: ProviderConfigJson;
};
/** Update arguments: the id, a partial body without `api_key`, and an optional key reference. */
export type UpdateProviderArgs = Omit<UserLLMProviderUpdate, "api_key" | "config"> & {
  id: string;
  apiKeyRef?: string;
  config?: ProviderConfigJson;
};

function withApiKey<T extends object>(body: T, apiKeyRef: string | undefined) {
  const apiKey = claimSecret(apiKeyRef);
  return apiKey ? { ...body, api_key: apiKey } : body;
}

export const userLLMProvidersApi = api.injectEndpoints({
  endpoints: (build) => ({
    listProviders: build.query<UserLLMProviderList, void>({
      query: () => PATH,
      providesTags: (result) => [
        LIST,
        ...(result?.data ?? []).map((p) => ({ type: "UserLLMProvider" as const, id: p.id })),
      ],
    }),
    getProvider: build.query<UserLLMProvider, string>({
      query: (id) => `${PATH}/${encodeURIComponent(id)}`,
      providesTags: (_result, _error, id) => [{ type: "UserLLMProvider", id }],
    }),
    createProvider: build.mutation<UserLLMProvider, CreateProviderArgs>({
      query: ({ apiKeyRef, ...body }) => ({
        url: PATH,
        method: "POST",
        body: withApiKey(body, apiKeyRef),
      }),
      invalidatesTags: (_result, error) => (error ? [] : [LIST]),
    }),
    updateProvider: build.mutation<UserLLMProvider, UpdateProviderArgs>({
      query: ({ id, apiKeyRef, ...body }) => ({
        url: `${PATH}/${encodeURIComponent(id)}`,
        method: "PUT",
        body: withApiKey(body, apiKeyRef),
      }),
      invalidatesTags: (_result, error, { id }) =>
        error ? [] : [LIST, { type: "UserLLMProvider", id }],
    }),
    deleteProvider: build.mutation<void, string>({
      query: (id) => ({ url: `${PATH}/${encodeURIComponent(id)}`, method: "DELETE" }),
      invalidatesTags: (_result, error) => (error ? [] : [LIST]),
    }),
    testProvider: build.mutation<ProviderTestResponse, string>({
      query: (id) => ({ url: `${PATH}/${encodeURIComponent(id)}/test`, method: "POST" }),
      // A finished test is stored on the provider (last_test): the cached provider shows it at
      // once (so its card never pairs the new answer with the old health), then refetches.
      async onQueryStarted(id, { dispatch, queryFulfilled }) {
        const { data } = await queryFulfilled.catch(() => ({ data: null }));
        if (!data?.tested_at) return;
        const lastTest: ProviderTestInfo = {
          status: data.success ? "success" : "failure",
          error_code: data.error_code,
          message: data.message,
          latency_ms: data.latency_ms,
          tested_at: data.tested_at,
          source: "test",
        };
        dispatch(
          userLLMProvidersApi.util.updateQueryData("listProviders", undefined, (draft) => {
            const provider = draft.data.find((p) => p.id === id);
            if (provider) provider.last_test = lastTest;
          }),
        );
      },
      invalidatesTags: (_result, _error, id) => [LIST, { type: "UserLLMProvider", id }],
    }),
    listProviderTypes: build.query<ProviderTypeList, void>({
      query: () => `${PATH}/types`,
      providesTags: ["ProviderType"],
      keepUnusedDataFor: 3600,
    }),
  }),
});

export const {
  useListProvidersQuery,
  useGetProviderQuery,
  useCreateProviderMutation,
  useUpdateProviderMutation,
  useDeleteProviderMutation,
  useTestProviderMutation,
  useListProviderTypesQuery,
} = userLLMProvidersApi;
