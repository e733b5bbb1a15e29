// RTK Query endpoints for a job's result in slices: the overview (`/jobs/{id}`), the paginated
// functions, strings and imports (infinite queries: one page of PAGE_SIZE rows per request,
// the next page fetched as the table scrolls), and one function's detail by address.
// A job's stored result changes while it runs (its analysis, then explanations as they arrive,
// then the final result) and after on-demand work; its `result_revision` says when. The overview
// is what gets refetched (the "Job" tag: cancel, end of a job, on-demand work; "JobOverview":
// the event stream when the revision moved, see jobEvents.ts; or polling); when a refetched
// overview brings a new revision, the lists and function details ("JobRows") are refetched, so
// every table follows one throttled trigger and a job whose result did not change costs one
// small request.
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

const enhanced = api.enhanceEndpoints({ addTagTypes: ["Job", "JobOverview", "JobRows"] });
const rows = (_result: unknown, _error: unknown, { jobId }: { jobId: string }) => [{ type: "JobRows" as const, id: jobId }];

export const resultsApi = enhanced.injectEndpoints({
  endpoints: (build) => ({
    getJobOverview: build.query<JobOverview, string>({
      query: (jobId) => path(jobId),
      providesTags: (_result, _error, jobId) => [
        { type: "Job", id: jobId },
        { type: "JobOverview", id: jobId },
      ],
      async onQueryStarted(jobId, { dispatch, getCacheEntry, queryFulfilled }) {
        const before = getCacheEntry().data?.result_revision;
        try {
          const { data } = await queryFulfilled;
          if (before !== undefined && before !== data.result_revision) {
            dispatch(enhanced.util.invalidateTags([{ type: "JobRows", id: jobId }]));
          }
        } catch {
          // a failed refetch keeps the rows as they are
        }
      },
    }),
    listFunctions: build.infiniteQuery<FunctionsPage, ListArgs<FunctionFilters>, number>({
      infiniteQueryOptions: pages,
      query: ({ queryArg, pageParam }) => ({
        url: path(queryArg.jobId, "/functions"),
        params: params(queryArg.filters, pageParam),
      }),
      providesTags: rows,
    }),
    getFunction: build.query<FunctionDetail, { jobId: string; address: string }>({
      query: ({ jobId, address }) => path(jobId, `/functions/${encodeURIComponent(address)}`),
      providesTags: rows,
    }),
    listStrings: build.infiniteQuery<StringsPage, ListArgs<StringFilters>, number>({
      infiniteQueryOptions: pages,
      query: ({ queryArg, pageParam }) => ({
        url: path(queryArg.jobId, "/strings"),
        params: params(queryArg.filters, pageParam),
      }),
      providesTags: rows,
    }),
    listImports: build.infiniteQuery<ImportsPage, ListArgs<ImportFilters>, number>({
      infiniteQueryOptions: pages,
      query: ({ queryArg, pageParam }) => ({
        url: path(queryArg.jobId, "/imports"),
        params: params(queryArg.filters, pageParam),
      }),
      providesTags: rows,
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
