// RTK Query endpoints for on-demand work on a finished job: decompile one more function,
// explain a selection / the rest / the failed items (each answers 202 with a small job), and
// the job's history of small jobs. A finished small job invalidates the job ("Job" tag) so its
// overview and tables refetch the merged result.
import type { components } from "../../types/generated/api";
import type { JobPublic, JobsPublic } from "../../types/Job.types";
import { api } from "./baseApi";

/** `selection | rest | failed`. */
export type ExplainScope = components["schemas"]["ExplainScope"];

export interface ExplainArgs {
  jobId: string;
  scope: ExplainScope;
  addresses?: string[];
  providerId?: string;
}

const path = (jobId: string, rest: string) => `/jobs/${encodeURIComponent(jobId)}${rest}`;
const enhanced = api.enhanceEndpoints({ addTagTypes: ["Job", "JobHistory"] });

export const ondemandApi = enhanced.injectEndpoints({
  endpoints: (build) => ({
    decompileFunction: build.mutation<JobPublic, { jobId: string; address: string }>({
      query: ({ jobId, address }) => ({
        url: path(jobId, `/functions/${encodeURIComponent(address)}/decompile`),
        method: "POST",
      }),
      invalidatesTags: (_r, error, { jobId }) => (error ? [] : [{ type: "JobHistory", id: jobId }]),
    }),
    explainFunctions: build.mutation<JobPublic, ExplainArgs>({
      query: ({ jobId, scope, addresses, providerId }) => ({
        url: path(jobId, "/explain"),
        method: "POST",
        body: { scope, ...(addresses ? { addresses } : {}), ...(providerId ? { provider_id: providerId } : {}) },
      }),
      invalidatesTags: (_r, error, { jobId }) => (error ? [] : [{ type: "JobHistory", id: jobId }]),
    }),
    getSmallJob: build.query<JobPublic, string>({
      query: (id) => `/decompile/${encodeURIComponent(id)}`,
    }),
    jobHistory: build.query<JobsPublic, string>({
      query: (jobId) => path(jobId, "/history"),
      providesTags: (_r, _e, jobId) => [{ type: "JobHistory", id: jobId }],
    }),
  }),
});

export const {
  useDecompileFunctionMutation,
  useExplainFunctionsMutation,
  useGetSmallJobQuery,
  useJobHistoryQuery,
} = ondemandApi;
