// Live jobs from one server-sent event stream per page (`GET /api/v1/events?job=..&job=..`):
// `progress` events carry a job (JobPublic), `end` events `{id, status}` once a job is final;
// the server closes the stream after the last `end`. The `watchJobs` query holds the stream in
// its cache entry (`onCacheEntryAdded`) and merges every job it sends into RTK Query's cache:
// its own entry, the job's `getJob` entry and every cached `listJobs` page. While a job runs its
// stored result grows (the analysis, then explanations as they arrive): when an event's
// `result_revision` differs from the one of the job's cached overview, the overview is fetched
// again (at most once per REFETCH_MS per job, the last change always fetched), and a new
// revision there refetches the job's lists and open function (resultsApi.ts). When a job ends
// its tag is invalidated, so its overview (and the jobs list) are fetched again.
// EventSource cannot send the bearer token, so with a token set (or without EventSource)
// callers poll instead; they also poll once a stream broke (`failed`).
import { useAppSelector } from "../../store/hooks";
import type { JobPublic } from "../../types/Job.types";
import { API_ROOT, jobsApi } from "./jobsApi";
import { resultsApi } from "./resultsApi";

/** Milliseconds at least between two refetches of one job's overview caused by its events. */
export const REFETCH_MS = 1000;

/** What one page's stream has sent: the latest job by id, the ids that ended, whether it broke. */
export interface WatchedJobs {
  jobs: Record<string, JobPublic>;
  ended: string[];
  failed: boolean;
}

/** The URL of the event stream of `jobIds`. */
export function eventsUrl(jobIds: readonly string[]): string {
  const query = new URLSearchParams(jobIds.map((id) => ["job", id]));
  return `${API_ROOT}/events?${query.toString()}`;
}

export const jobEventsApi = jobsApi.injectEndpoints({
  endpoints: (build) => ({
    /** Follow `jobIds` (sorted, so one set of jobs is one cache entry and one connection). */
    watchJobs: build.query<WatchedJobs, string[]>({
      queryFn: () => ({ data: { jobs: {}, ended: [], failed: false } }),
      keepUnusedDataFor: 0,
      async onCacheEntryAdded(jobIds, { cacheDataLoaded, cacheEntryRemoved, updateCachedData, dispatch, getState }) {
        try {
          await cacheDataLoaded;
        } catch {
          return;
        }
        const source = new EventSource(eventsUrl(jobIds));
        const open = new Set(jobIds);
        const lastRefetch = new Map<string, number>();
        const pending = new Map<string, ReturnType<typeof setTimeout>>();
        const refetchOverview = (id: string) => {
          pending.delete(id);
          lastRefetch.set(id, Date.now());
          dispatch(resultsApi.util.invalidateTags([{ type: "JobOverview", id }]));
        };
        const resultChanged = (job: JobPublic) => {
          const cached = resultsApi.endpoints.getJobOverview.select(job.id)(getState() as never).data;
          if (!cached || cached.result_revision === job.result_revision || pending.has(job.id)) return;
          const wait = (lastRefetch.get(job.id) ?? 0) + REFETCH_MS - Date.now();
          if (wait <= 0) refetchOverview(job.id);
          else pending.set(job.id, setTimeout(() => refetchOverview(job.id), wait));
        };
        source.addEventListener("progress", (event) => {
          const job = JSON.parse((event as MessageEvent<string>).data) as JobPublic;
          resultChanged(job);
          updateCachedData((draft) => {
            draft.jobs[job.id] = job;
          });
          dispatch(
            jobsApi.util.updateQueryData("getJob", job.id, (detail) => {
              Object.assign(detail, job);
            }),
          );
          for (const args of jobsApi.util.selectCachedArgsForQuery(getState(), "listJobs")) {
            dispatch(
              jobsApi.util.updateQueryData("listJobs", args, (page) => {
                const index = page.data.findIndex((listed) => listed.id === job.id);
                if (index >= 0) page.data[index] = job;
              }),
            );
          }
        });
        source.addEventListener("end", (event) => {
          const { id } = JSON.parse((event as MessageEvent<string>).data) as { id: string; status: string };
          open.delete(id);
          if (open.size === 0) source.close(); // the server closes too: no reconnect
          updateCachedData((draft) => {
            draft.ended.push(id);
          });
          dispatch(jobsApi.util.invalidateTags([{ type: "Job", id }, { type: "Job", id: "LIST" }]));
        });
        source.onerror = () => {
          source.close();
          updateCachedData((draft) => {
            draft.failed = true;
          });
        };
        await cacheEntryRemoved;
        source.close();
        for (const timer of pending.values()) clearTimeout(timer);
      },
    }),
  }),
});

export const { useWatchJobsQuery } = jobEventsApi;

/** True when this browser session can follow jobs by server-sent events. */
export function useCanStream(): boolean {
  const token = useAppSelector((state) => state.auth.token);
  return typeof EventSource !== "undefined" && !token;
}

/**
 * Follow the jobs `jobIds` on one stream while `enabled` (and there is at least one): returns
 * the latest job of each id the stream sent, and `failed` once it broke (then poll).
 */
export function useWatchedJobs(jobIds: readonly string[], enabled: boolean) {
  const ids = [...new Set(jobIds)].sort();
  const watch = useWatchJobsQuery(ids, { skip: !enabled || ids.length === 0 });
  return { jobs: watch.data?.jobs ?? {}, failed: watch.data?.failed ?? false };
}

/**
 * Follow job `jobId` while `enabled`: the latest job the stream sent (null before the first
 * event) and `failed` once the stream broke (the caller should then poll).
 */
export function useJobEvents(jobId: string, enabled: boolean) {
  const { jobs, failed } = useWatchedJobs([jobId], enabled);
  return { job: jobs[jobId] ?? null, failed };
}
