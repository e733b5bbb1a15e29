// The one RTK Query API slice: base URL `/api/v1`, the in-memory bearer token, and the 401 hook.
// Resource endpoints are injected by their own modules (userLLMProvidersApi.ts, healthApi.ts,
// authApi.ts).
import {
  createApi,
  fetchBaseQuery,
  type BaseQueryFn,
  type FetchArgs,
  type FetchBaseQueryError,
} from "@reduxjs/toolkit/query/react";
import { tokenRequired, type AuthState } from "../../store/slices/authSlice";

const rawBaseQuery = fetchBaseQuery({
  baseUrl: `${globalThis.location?.origin ?? ""}/api/v1`,
  prepareHeaders: (headers, { getState }) => {
    const { token } = (getState() as { auth: AuthState }).auth;
    if (token) headers.set("authorization", `Bearer ${token}`);
    return headers;
  },
});

/** `fetchBaseQuery` that, when the server answers 401, flags the token prompt and asks the
 * session endpoint again (an ended sign-in then shows the sign-in page). */
const baseQuery: BaseQueryFn<string | FetchArgs, unknown, FetchBaseQueryError> = async (
  args,
  api,
  extraOptions,
) => {
  const result = await rawBaseQuery(args, api, extraOptions);
  if (result.error?.status === 401) {
    api.dispatch(tokenRequired());
    if (args !== "/auth/session") api.dispatch(apiSlice.util.invalidateTags(["AuthSession"]));
  }
  return result;
};

const apiSlice = createApi({
  reducerPath: "api",
  baseQuery,
  tagTypes: ["Health", "UserLLMProvider", "ProviderType", "AuthSession", "ApiToken"],
  endpoints: () => ({}),
});

export const api = apiSlice;
