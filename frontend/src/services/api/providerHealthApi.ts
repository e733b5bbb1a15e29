// Keeping the provider selector's health fresh without blocking it: after the list
// (`GET /llm-providers`) shows a stale provider, ask once for `POST /llm-providers/refresh-stale`
// (the server probes cheaply, at most once per provider per interval across every viewer) and
// put its answer in the list's cache; while another viewer's probe runs (`probing`), poll the list.
import { useEffect, useRef } from "react";
import type { ProvidersHealthPublic } from "../../types/Job.types";
import { api } from "./baseApi";
import { jobsApi, useListProviderHealthQuery } from "./jobsApi";

/** How often the list is read again while a provider shows `probing` (ms). */
export const PROBING_POLL_MS = 2000;

export const providerHealthApi = api.injectEndpoints({
  endpoints: (build) => ({
    refreshStaleProviders: build.mutation<ProvidersHealthPublic, void>({
      query: () => ({ url: "/llm-providers/refresh-stale", method: "POST" }),
      async onQueryStarted(_arg, { dispatch, queryFulfilled }) {
        const { data } = await queryFulfilled.catch(() => ({ data: null }));
        if (data) dispatch(jobsApi.util.upsertQueryData("listProviderHealth", undefined, data));
      },
    }),
  }),
});

export const { useRefreshStaleProvidersMutation } = providerHealthApi;

/**
 * The active providers with their health (`useListProviderHealthQuery`'s result), re-checking
 * stale ones once per mount; `recheckingIds` are the providers whose re-check is under way
 * (this page's request, or another viewer's probe).
 */
export function useProviderHealth() {
  const [refresh, refreshing] = useRefreshStaleProvidersMutation();
  const asked = useRef(false);
  const cached = jobsApi.endpoints.listProviderHealth.useQueryState(undefined);
  const probing = cached.data?.data.some((p) => p.probing) ?? false;
  const list = useListProviderHealthQuery(undefined, {
    pollingInterval: probing && !refreshing.isLoading ? PROBING_POLL_MS : 0,
  });
  const providers = list.data?.data;
  useEffect(() => {
    if (asked.current || !providers) return;
    if (providers.some((p) => p.stale && !p.probing && p.key_status === "ok")) {
      asked.current = true;
      void refresh();
    }
  }, [providers, refresh]);
  const recheckingIds = new Set(
    (providers ?? [])
      .filter((p) => p.probing || (refreshing.isLoading && p.stale && p.key_status === "ok"))
      .map((p) => p.id),
  );
  return { ...list, recheckingIds };
}
