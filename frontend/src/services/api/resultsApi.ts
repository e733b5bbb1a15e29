// RTK Query endpoints for a job's result in slices: the overview (`/jobs/{id}`), the paginated
// functions, strings and imports (infinite queries: one page of PAGE_SIZE rows per request,
// the next page fetched as the table scrolls), and one function's detail by address.
import type {
  FunctionDetail,
  FunctionFilters,
  FunctionsPage,
  ImportFilters,
  ImportsPage,
  JobOverview,
  StringFilters,
  StringsPage,
} from "../../types/Result.types";
import { api } from "./baseApi";

export const PAGE_SIZE = 100;

interface Page {
  data: unknown[];
  count: number;
}

/** The offset of the page after `last`, or undefined when every row is loaded. */
function nextOffset(last: Page, _all: Page[], lastOffset: number): number | undefined {
  const next = lastOffset + PAGE_SIZE;
  return next < last.count ? next : undefined;
}

const pages = { initialPageParam: 0, getNextPageParam: nextOffset };

/** Query parameters without the unset ones (the server's defaults apply). */
function params(filters: object, offset: number): Record<string, string | number | boolean> {
  const set = Object.entries(filters).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return { ...Object.fromEntries(set), limit: PAGE_SIZE, offset };
}

const path = (jobId: string, rest = "") => `/jobs/${encodeURIComponent(jobId)}${rest}`;

export interface ListArgs<Filters> {
  jobId: string;
  filters: Filters;
}

const enhanced = api.enhanceEndpoints({ addTagTypes: ["Job"] });

export const resultsApi = enhanced.injectEndpoints({
  endpoints: (build) => ({
    getJobOverview: build.query<JobOverview, string>({
      query: (jobId) => path(jobId),
      // The job events and the cancel mutation invalidate this tag (as the lists below): a job
      // whose analysis is stored, or that finished, refetches.
      providesTags: (_result, _error, jobId) => [{ type: "Job", id: jobId }],
    }),
    listFunctions: build.infiniteQuery<FunctionsPage, ListArgs<FunctionFilters>, number>({
      infiniteQueryOptions: pages,
      query: ({ queryArg, pageParam }) => ({
        url: path(queryArg.jobId, "/functions"),
        params: params(queryArg.filters, pageParam),
      }),
      providesTags: (_result, _error, { jobId }) => [{ type: "Job", id: jobId }],
    }),
    getFunction: build.query<FunctionDetail, { jobId: string; address: string }>({
      query: ({ jobId, address }) => path(jobId, `/functions/${encodeURIComponent(address)}`),
      providesTags: (_result, _error, { jobId }) => [{ type: "Job", id: jobId }],
    }),
    listStrings: build.infiniteQuery<StringsPage, ListArgs<StringFilters>, number>({
      infiniteQueryOptions: pages,
      query: ({ queryArg, pageParam }) => ({
        url: path(queryArg.jobId, "/strings"),
        params: params(queryArg.filters, pageParam),
      }),
      providesTags: (_result, _error, { jobId }) => [{ type: "Job", id: jobId }],
    }),
    listImports: build.infiniteQuery<ImportsPage, ListArgs<ImportFilters>, number>({
      infiniteQueryOptions: pages,
      query: ({ queryArg, pageParam }) => ({
        url: path(queryArg.jobId, "/imports"),
        params: params(queryArg.filters, pageParam),
      }),
      providesTags: (_result, _error, { jobId }) => [{ type: "Job", id: jobId }],
    }),
  }),
});

export const {
  useGetJobOverviewQuery,
  useListFunctionsInfiniteQuery,
  useGetFunctionQuery,
  useListStringsInfiniteQuery,
  useListImportsInfiniteQuery,
} = resultsApi;
