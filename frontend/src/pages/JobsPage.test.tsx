import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeEventSource } from "../test/fakeEventSource";
import { makeJob } from "../test/jobFixtures";
import { renderWithStore } from "../test/render";
import type { JobPublic } from "../types/Job.types";
import { JobsPage } from "./JobsPage";

const done = makeJob({ file_info: { ...makeJob().file_info, name: "done.elf" } });
const running = makeJob({
  status: "running",
  stage: "analyze",
  progress: 15,
  message: "describing functions",
  finished_at: null,
  file_info: { ...makeJob().file_info, name: "busy.exe", format: "pe" },
});

let jobs: JobPublic[];
const requests: string[] = [];
/** The query of every `GET /jobs`, in order. */
const listed: Record<string, string>[] = [];

function serveJobs() {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      const path = url.pathname.replace(/^\/api\/v1/, "");
      requests.push(`${request.method} ${path}`);
      if (path === "/jobs") {
        const query = Object.fromEntries(url.searchParams);
        listed.push(query);
        const matching = jobs.filter((j) => !query.status || j.status === query.status);
        const offset = Number(query.offset ?? 0);
        const page = matching.slice(offset, offset + Number(query.limit ?? 50));
        return Response.json({ data: page, count: matching.length });
      }
      const id = path.match(/^\/jobs\/([^/]+)/)?.[1];
      const job = jobs.find((j) => j.id === id);
      if (!job) return Response.json({ code: "job_not_found", message: "no such job", details: null }, { status: 404 });
      if (request.method === "DELETE") {
        jobs = jobs.filter((j) => j !== job);
        return new Response(null, { status: 204 });
      }
      Object.assign(job, { status: "cancelled", error: { code: "cancelled", message: "Cancelled by the user." } });
      return Response.json(job);
    }),
  );
}

describe("JobsPage", () => {
  beforeEach(() => {
    jobs = [running, done].map((j) => structuredClone(j));
    requests.length = 0;
    listed.length = 0;
    FakeEventSource.install();
    serveJobs();
  });
  afterEach(() => vi.unstubAllGlobals());

  it("follows the running job on one event stream, not the finished one", async () => {
    renderWithStore(<JobsPage />, { route: "/jobs" });
    const row = (await screen.findByRole("link", { name: "busy.exe" })).closest("tr") as HTMLElement;
    expect(within(row).getByText("15% · analyze: describing functions")).toBeVisible();
    await waitFor(() => expect(FakeEventSource.opened.map((s) => s.url)).toEqual([`${location.origin}/api/v1/events?job=${running.id}`]));

    act(() => FakeEventSource.opened[0].emit("progress", { ...running, stage: "explain", progress: 60, message: "explained 3/7" }));
    expect(await within(row).findByText("60% · explain: explained 3/7")).toBeVisible();
    expect(within(row).getByRole("progressbar", { name: "Progress of busy.exe" })).toHaveAttribute("aria-valuenow", "60");
  });

  it("follows six running jobs on one connection and refreshes the list when one ends", async () => {
    const six = Array.from({ length: 6 }, (_, i) =>
      makeJob({ ...structuredClone(running), id: crypto.randomUUID(), file_info: { ...running.file_info, name: `job-${i}.elf` } }),
    );
    jobs = [...six, structuredClone(done)];
    renderWithStore(<JobsPage />, { route: "/jobs" });
    await screen.findByRole("link", { name: "job-5.elf" });
    await waitFor(() => expect(FakeEventSource.opened).toHaveLength(1));
    const ids = six.map((job) => job.id).sort();
    expect(FakeEventSource.opened[0].url).toBe(`${location.origin}/api/v1/events?${ids.map((id) => `job=${id}`).join("&")}`);

    const row = screen.getByRole("link", { name: "job-3.elf" }).closest("tr") as HTMLElement;
    act(() => FakeEventSource.opened[0].emit("progress", { ...six[3], progress: 40, message: "decompiled 17 of 50 functions" }));
    expect(await within(row).findByText("40% · analyze: decompiled 17 of 50 functions")).toBeVisible();

    const before = listed.length;
    jobs[3] = { ...six[3], status: "completed", stage: "store", progress: 100, message: null };
    act(() => FakeEventSource.opened[0].emit("end", { id: six[3].id, status: "completed" }));
    await waitFor(() => expect(listed.length).toBeGreaterThan(before));
    expect(await within(row).findByText("100% · completed")).toBeVisible();
    // The page now follows the five still running, still on one connection.
    await waitFor(() => expect(FakeEventSource.opened.filter((s) => !s.closed)).toHaveLength(1));
    const open = FakeEventSource.opened.filter((s) => !s.closed)[0];
    expect(open.url).not.toContain(six[3].id);
  });

  it("says what a time budget cut from a completed job's partial result", async () => {
    const partial = "partial result: CFG recovery stopped after its 60 s budget: 1,204 functions found";
    jobs = [{ ...structuredClone(done), message: partial }];
    renderWithStore(<JobsPage />, { route: "/jobs" });
    const row = (await screen.findByRole("link", { name: "done.elf" })).closest("tr") as HTMLElement;
    expect(within(row).getByText(`100% · completed: ${partial}`)).toBeVisible();
  });

  it("cancels a running job", async () => {
    renderWithStore(<JobsPage />, { route: "/jobs" });
    await userEvent.click(await screen.findByRole("button", { name: "Cancel busy.exe" }));
    expect(await screen.findByText("cancelled: Cancelled by the user.")).toBeVisible();
    expect(requests).toContain(`POST /jobs/${running.id}/cancel`);
    expect(screen.queryByRole("button", { name: "Cancel done.elf" })).toBeNull();
  });

  it("deletes a job only after confirming", async () => {
    renderWithStore(<JobsPage />, { route: "/jobs" });
    await userEvent.click(await screen.findByRole("button", { name: "Delete done.elf" }));
    const dialog = screen.getByRole("dialog", { name: "Delete the job for “done.elf”?" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Keep" }));
    await vi.waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(requests.filter((r) => r.startsWith("DELETE"))).toEqual([]);

    await userEvent.click(screen.getByRole("button", { name: "Delete done.elf" }));
    await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Delete" }));
    await vi.waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(screen.queryByRole("link", { name: "done.elf" })).toBeNull();
    expect(requests.filter((r) => r.startsWith("DELETE"))).toEqual([`DELETE /jobs/${done.id}`]);
    expect(screen.getByRole("link", { name: "busy.exe" })).toBeVisible();
  });

  describe("paging", () => {
    /** `count` completed jobs, newest first, named job-001.elf (newest) onwards; every 4th failed. */
    const many = (count: number) =>
      Array.from({ length: count }, (_, i) => {
        const name = `job-${String(i + 1).padStart(3, "0")}.elf`;
        return makeJob({ status: i % 4 === 3 ? "failed" : "completed", file_info: { ...makeJob().file_info, name } });
      });
    // Plain DOM queries on these 50-100 row tables: role queries over them take seconds in jsdom.
    const rowNames = () =>
      Array.from(screen.getByLabelText("Jobs").querySelectorAll("tbody tr td:first-child a"), (link) => link.textContent);
    const nextPage = () => screen.getByLabelText("Go to next page");

    it("asks the server for one page at a time and shows where it is", async () => {
      jobs = many(120);
      renderWithStore(<JobsPage />, { route: "/jobs" });
      expect(await screen.findByText("1–50 of 120")).toBeVisible();
      expect(listed).toEqual([{ limit: "50", offset: "0" }]);
      expect(rowNames()).toHaveLength(50);
      expect(rowNames()[0]).toBe("job-001.elf");
      expect(screen.getByLabelText("Go to previous page")).toBeDisabled();

      await userEvent.click(nextPage());
      expect(await screen.findByText("51–100 of 120")).toBeVisible();
      await screen.findByText("job-051.elf");
      expect(listed.at(-1)).toEqual({ limit: "50", offset: "50" });
      expect(rowNames()).toHaveLength(50);
      expect(rowNames()[49]).toBe("job-100.elf");

      await userEvent.click(nextPage());
      expect(await screen.findByText("101–120 of 120")).toBeVisible();
      await screen.findByText("job-101.elf");
      expect(listed.at(-1)).toEqual({ limit: "50", offset: "100" });
      expect(rowNames()).toHaveLength(20);
      expect(nextPage()).toBeDisabled();
    });

    it("changing the rows per page goes back to the first page", async () => {
      jobs = many(120);
      renderWithStore(<JobsPage />, { route: "/jobs" });
      await screen.findByText("1–50 of 120");
      await userEvent.click(nextPage());
      await screen.findByText("51–100 of 120");

      await userEvent.click(screen.getByRole("combobox", { name: /Jobs per page/ }));
      expect(within(screen.getByRole("listbox")).getAllByRole("option").map((o) => o.textContent)).toEqual(["25", "50", "100"]);
      await userEvent.click(within(screen.getByRole("listbox")).getByRole("option", { name: "100" }));
      expect(await screen.findByText("1–100 of 120")).toBeVisible();
      expect(listed.filter((query) => query.limit === "100")).toEqual([{ limit: "100", offset: "0" }]);
      await vi.waitFor(() => expect(rowNames()).toHaveLength(100));
      expect(rowNames()[0]).toBe("job-001.elf");
    });

    it("a new status filter starts again at the first page", async () => {
      jobs = many(120);
      renderWithStore(<JobsPage />, { route: "/jobs" });
      await screen.findByText("1–50 of 120");
      await userEvent.click(nextPage());
      await screen.findByText("51–100 of 120");

      await userEvent.click(screen.getByRole("combobox", { name: "Status" }));
      await userEvent.click(within(screen.getByRole("listbox")).getByRole("option", { name: "failed" }));
      expect(await screen.findByText("1–30 of 30")).toBeVisible();
      expect(listed.filter((query) => query.status)).toEqual([{ status: "failed", limit: "50", offset: "0" }]);
      await vi.waitFor(() => expect(rowNames()[0]).toBe("job-004.elf"));
      expect(rowNames()).toHaveLength(30);
    });

    it("deleting the only job on the last page shows the page before it", async () => {
      jobs = many(51);
      renderWithStore(<JobsPage />, { route: "/jobs" });
      await screen.findByText("1–50 of 51");
      await userEvent.click(nextPage());
      await screen.findByText("51–51 of 51");
      await userEvent.click(await screen.findByLabelText("Delete job-051.elf"));
      await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Delete" }));

      expect(await screen.findByText("1–50 of 50")).toBeVisible();
      expect(listed.at(-1)).toEqual({ limit: "50", offset: "0" });
      expect(screen.queryByText(/No jobs yet/)).toBeNull();
      expect(rowNames()).toHaveLength(50);
    });
  });
});
