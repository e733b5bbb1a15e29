// RTK Query endpoints for analysis jobs: submit (multipart upload with progress, see
// uploadBinary.ts), get, list, cancel, delete; the active providers with their health
// (`/llm-providers`); and report download links. Live updates of these caches come from one
// event stream per page (jobEvents.ts).
import type { FetchBaseQueryError } from "@reduxjs/toolkit/query";
import type {
  JobDetail,
  JobPublic,
  JobStatus,
  JobSubmitted,
  JobsPublic,
  ProvidersHealthPublic,
  SubmitOptions,
} from "../../types/Job.types";
import type { AuthState } from "../../store/slices/authSlice";
import { tokenRequired } from "../../store/slices/authSlice";
import { api } from "./baseApi";
import { claimUpload, postMultipart } from "./uploadBinary";

export const API_ROOT = `${globalThis.location?.origin ?? ""}/api/v1`;
const LIST = { type: "Job" as const, id: "LIST" };

/** Submit arguments: a reference from `handOffUpload` plus the form's options. */
export type SubmitJobArgs = SubmitOptions & { uploadRef: string };
export interface ListJobsArgs {
  status?: JobStatus;
  limit?: number;
  offset?: number;
}

function multipart(file: File, options: SubmitOptions): FormData {
  const form = new FormData();
  form.append("file", file, file.name);
  if (options.providerId) form.append("provider_id", options.providerId);
  form.append("analysis_depth", options.analysisDepth);
  form.append("translation_detail", options.translationDetail);
  if (options.functionLimit) form.append("function_limit", String(options.functionLimit));
  if (options.budgetTokens) form.append("budget_tokens", String(options.budgetTokens));
  if (options.budgetUsd) form.append("budget_usd", String(options.budgetUsd));
  return form;
}

const enhanced = api.enhanceEndpoints({ addTagTypes: ["Job", "ProviderHealth"] });

export const jobsApi = enhanced.injectEndpoints({
  endpoints: (build) => ({
    submitJob: build.mutation<JobSubmitted, SubmitJobArgs>({
      queryFn: async ({ uploadRef, ...options }, { getState, dispatch }) => {
        const upload = claimUpload(uploadRef);
        if (!upload) {
          return { error: { status: "CUSTOM_ERROR", error: "The file to upload is gone." } };
        }
        const { token } = (getState() as { auth: AuthState }).auth;
        try {
          const answer = await postMultipart(`${API_ROOT}/decompile`, multipart(upload.file, options), {
            token,
            onProgress: upload.onProgress,
          });
          if (answer.status === 202) return { data: answer.body as JobSubmitted };
          if (answer.status === 401) dispatch(tokenRequired());
          const error: FetchBaseQueryError = { status: answer.status, data: answer.body };
          return { error };
        } catch {
          return { error: { status: "FETCH_ERROR", error: "network" } };
        }
      },
      invalidatesTags: (_result, error) => (error ? [] : [LIST]),
    }),
    getJob: build.query<JobDetail, string>({
      query: (id) => `/decompile/${encodeURIComponent(id)}`,
      providesTags: (_result, _error, id) => [{ type: "Job", id }],
    }),
    listJobs: build.query<JobsPublic, ListJobsArgs>({
      query: ({ status, limit = 50, offset = 0 }) => ({
        url: "/jobs",
        params: { ...(status ? { status } : {}), limit, offset },
      }),
      providesTags: (result) => [
        LIST,
        ...(result?.data ?? []).map((job) => ({ type: "Job" as const, id: job.id })),
      ],
    }),
    cancelJob: build.mutation<JobPublic, string>({
      query: (id) => ({ url: `/jobs/${encodeURIComponent(id)}/cancel`, method: "POST" }),
      invalidatesTags: (_result, _error, id) => [LIST, { type: "Job", id }],
    }),
    deleteJob: build.mutation<void, string>({
      query: (id) => ({ url: `/jobs/${encodeURIComponent(id)}`, method: "DELETE" }),
      invalidatesTags: (_result, error) => (error ? [] : [LIST]),
    }),
    listProviderHealth: build.query<ProvidersHealthPublic, void>({
      query: () => "/llm-providers",
      providesTags: ["ProviderHealth"],
    }),
  }),
});

export const {
  useSubmitJobMutation,
  useGetJobQuery,
  useListJobsQuery,
  useCancelJobMutation,
  useDeleteJobMutation,
  useListProviderHealthQuery,
} = jobsApi;

export type ReportFormat = "json" | "markdown";

/** The URL of a job's report (`format` json: the result document; markdown: the readable one). */
export function reportUrl(jobId: string, format: ReportFormat): string {
  return `${API_ROOT}/jobs/${encodeURIComponent(jobId)}/report?format=${format}`;
}
