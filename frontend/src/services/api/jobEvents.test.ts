import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { makeStore } from "../../store";
import { FakeEventSource } from "../../test/fakeEventSource";
import { makeJob } from "../../test/jobFixtures";
import type { JobPublic } from "../../types/Job.types";
import { jobEventsApi } from "./jobEvents";
import { jobsApi } from "./jobsApi";
import { resultsApi } from "./resultsApi";

const running = (name: string): JobPublic =>
  makeJob({
    status: "running", stage: "analyze", progress: 15, message: "describing functions", finished_at: null,
    counts: { functions_total: 0, functions_decompiled: 0, functions_selected: 0, items_total: 0, items_done: 0, items_failed: 0 },
    file_info: { ...makeJob().file_info, name },
  });

describe("watchJobs: one event stream feeding RTK Query's cache", () => {
  let store: ReturnType<typeof makeStore>;
  let first: JobPublic;
  let second: JobPublic;
  const fetched: string[] = [];
  let revision = "r1";

  beforeEach(async () => {
    FakeEventSource.install();
    first = running("a.elf");
    second = running("b.exe");
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        const path = new URL(request.url).pathname;
        fetched.push(path);
        if (path === "/api/v1/jobs") return Response.json({ data: [first, second], count: 2 });
        if (path === `/api/v1/jobs/${first.id}`) return Response.json({ ...first, result_revision: revision, result: null });
        if (path.endsWith("/functions")) return Response.json({ data: [], count: 0 });
        return Response.json({ ...first, result: null });
      }),
    );
    store = makeStore();
    // The page's queries, subscribed (as mounted components hold them) and loaded.
    await store.dispatch(jobsApi.endpoints.getJob.initiate(first.id));
    await store.dispatch(jobsApi.endpoints.listJobs.initiate({ limit: 50 }));
    revision = "r1";
    fetched.length = 0;
  });
  afterEach(() => vi.unstubAllGlobals());

  // The selectors are typed for the API slice alone; the store holds it among others.
  const state = () => store.getState() as never;
  const watch = (ids: string[]) => store.dispatch(jobEventsApi.endpoints.watchJobs.initiate(ids));
  const watched = (ids: string[]) => jobEventsApi.endpoints.watchJobs.select(ids)(state()).data;

  it("opens one connection for every job and merges each job it sends into the cached queries", async () => {
    const ids = [first.id, second.id].sort();
    const subscription = watch(ids);
    await vi.waitFor(() => expect(FakeEventSource.opened).toHaveLength(1));
    const source = FakeEventSource.opened[0];
    expect(source.url).toBe(`${location.origin}/api/v1/events?job=${ids[0]}&job=${ids[1]}`);

    const decompiling = {
      ...first, progress: 32, message: "decompiled 17 of 50 functions",
      counts: { ...first.counts, functions_total: 158, functions_selected: 50, functions_decompiled: 17 },
    };
    source.emit("progress", decompiling);

    expect(watched(ids)?.jobs[first.id]).toEqual(decompiling);
    const detail = jobsApi.endpoints.getJob.select(first.id)(state()).data;
    expect(detail).toEqual({ ...decompiling, result: null });
    const page = jobsApi.endpoints.listJobs.select({ limit: 50 })(state()).data;
    expect(page?.data.map((job) => [job.file_info.name, job.progress])).toEqual([["a.elf", 32], ["b.exe", 15]]);
    expect(page?.data[0].counts.functions_selected).toBe(50);

    source.emit("progress", { ...second, progress: 60 });
    expect(jobsApi.endpoints.listJobs.select({ limit: 50 })(state()).data?.data[1].progress).toBe(60);
    subscription.unsubscribe();
  });

  it("refetches a job's overview when its result revision moves (throttled), and then its rows", async () => {
    const overview = `/api/v1/jobs/${first.id}`;
    const functions = `${overview}/functions`;
    store.dispatch(resultsApi.endpoints.getJobOverview.initiate(first.id));
    store.dispatch(resultsApi.endpoints.listFunctions.initiate({ jobId: first.id, filters: {} }));
    await vi.waitFor(() => expect(fetched).toEqual([overview, functions]));
    fetched.length = 0;
    const subscription = watch([first.id]);
    await vi.waitFor(() => expect(FakeEventSource.opened).toHaveLength(1));
    const source = FakeEventSource.opened[0];
    source.emit("progress", { ...first, result_revision: "r1" });
    source.emit("progress", { ...first, result_revision: "r1", progress: 40 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fetched).toEqual([]); // same revision: nothing to fetch

    revision = "r2";
    source.emit("progress", { ...first, stage: "explain", result_revision: "r2" });
    // the overview first; its new revision then refetches the functions
    await vi.waitFor(() => expect(fetched).toEqual([overview, functions]));
    revision = "r4";
    source.emit("progress", { ...first, stage: "explain", result_revision: "r3" });
    source.emit("progress", { ...first, stage: "explain", result_revision: "r4" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fetched).toEqual([overview, functions]); // within REFETCH_MS of the last refetch
    await vi.waitFor(() => expect(fetched).toEqual([overview, functions, overview, functions]), { timeout: 3000 });
    subscription.unsubscribe();
  });

  it("refetches a job once it ends and closes the stream after the last end", async () => {
    const ids = [first.id, second.id].sort();
    const subscription = watch(ids);
    await vi.waitFor(() => expect(FakeEventSource.opened).toHaveLength(1));
    const source = FakeEventSource.opened[0];

    source.emit("progress", { ...first, status: "completed", stage: "store", progress: 100 });
    source.emit("end", { id: first.id, status: "completed" });
    expect(source.closed).toBe(false);
    expect(watched(ids)?.ended).toEqual([first.id]);
    // The ended job's detail and the jobs list are fetched again (its result, its final row).
    await vi.waitFor(() => expect(fetched).toEqual(expect.arrayContaining([`/api/v1/decompile/${first.id}`, "/api/v1/jobs"])));

    source.emit("end", { id: second.id, status: "deleted" });
    expect(source.closed).toBe(true);
    expect(watched(ids)?.failed).toBe(false);
    subscription.unsubscribe();
  });

  it("says when the stream broke (the page then polls) and closes when nobody watches", async () => {
    const broken = watch([first.id]);
    await vi.waitFor(() => expect(FakeEventSource.opened).toHaveLength(1));
    FakeEventSource.opened[0].onerror?.();
    expect(FakeEventSource.opened[0].closed).toBe(true);
    expect(watched([first.id])?.failed).toBe(true);
    broken.unsubscribe();

    const left = watch([second.id]);
    await vi.waitFor(() => expect(FakeEventSource.opened).toHaveLength(2));
    left.unsubscribe();
    await vi.waitFor(() => expect(FakeEventSource.opened[1].closed).toBe(true));
  });
});
