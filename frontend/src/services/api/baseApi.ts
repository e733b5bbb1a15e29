// The one RTK Query API slice: base URL `/api/v1`, the in-memory bearer token, and the 401 hook.
// Resource endpoints are injected by their own modules (userLLMProvidersApi.ts, healthApi.ts).
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

/** `fetchBaseQuery` that flags the token prompt when the server answers 401. */
const baseQuery: BaseQueryFn<string | FetchArgs, unknown, FetchBaseQueryError> = async (
  args,
  api,
  extraOptions,
) => {
  const result = await rawBaseQuery(args, api, extraOptions);
  if (result.error?.status === 401) api.dispatch(tokenRequired());
  return result;
};

export const api = createApi({
  reducerPath: "api",
  baseQuery,
  tagTypes: ["Health", "UserLLMProvider", "ProviderType"],
  endpoints: () => ({}),
});
