// `GET /api/v1/health`: the app bar's service indicator.
import type { Health } from "../../types/Health.types";
import { api } from "./baseApi";

export const healthApi = api.injectEndpoints({
  endpoints: (build) => ({
    getHealth: build.query<Health, void>({
      query: () => "/health",
      providesTags: ["Health"],
    }),
  }),
});

export const { useGetHealthQuery } = healthApi;
