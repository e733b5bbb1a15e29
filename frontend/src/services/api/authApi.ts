// `/api/v1/auth`: the sign-in mode and current user, sign-in, sign-out, and personal API tokens.
// Signing in or out resets the whole API cache: everything cached belonged to the previous caller.
import type {
  ApiTokenCreated,
  ApiTokens,
  AuthSession,
  LoginRequest,
} from "../../types/Auth.types";
import { api } from "./baseApi";

/** After a successful sign-in or sign-out, drop every cached answer (a failure keeps them). */
async function resetCacheOnSuccess(
  _: unknown,
  { dispatch, queryFulfilled }: { dispatch: (action: unknown) => unknown; queryFulfilled: Promise<unknown> },
) {
  try {
    await queryFulfilled;
  } catch {
    return; // the error reaches the component through the mutation's state
  }
  dispatch(api.util.resetApiState());
}

export const authApi = api.injectEndpoints({
  endpoints: (build) => ({
    getAuthSession: build.query<AuthSession, void>({
      query: () => "/auth/session",
      providesTags: ["AuthSession"],
    }),
    login: build.mutation<AuthSession, LoginRequest>({
      query: (body) => ({ url: "/auth/login", method: "POST", body }),
      onQueryStarted: resetCacheOnSuccess,
    }),
    logout: build.mutation<void, void>({
      query: () => ({ url: "/auth/logout", method: "POST" }),
      onQueryStarted: resetCacheOnSuccess,
    }),
    listTokens: build.query<ApiTokens, void>({
      query: () => "/auth/tokens",
      providesTags: ["ApiToken"],
    }),
    createToken: build.mutation<ApiTokenCreated, { name: string }>({
      query: (body) => ({ url: "/auth/tokens", method: "POST", body }),
      invalidatesTags: ["ApiToken"],
    }),
    revokeToken: build.mutation<void, string>({
      query: (id) => ({ url: `/auth/tokens/${id}`, method: "DELETE" }),
      invalidatesTags: ["ApiToken"],
    }),
  }),
});

export const {
  useGetAuthSessionQuery,
  useLoginMutation,
  useLogoutMutation,
  useListTokensQuery,
  useCreateTokenMutation,
  useRevokeTokenMutation,
} = authApi;
