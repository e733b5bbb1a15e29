import { act, screen, within } from "@testing-library/react";
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

function serveJobs() {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const path = new URL(request.url).pathname.replace(/^\/api\/v1/, "");
      requests.push(`${request.method} ${path}`);
      if (path === "/jobs") return Response.json({ data: jobs, count: jobs.length });
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
    FakeEventSource.install();
    serveJobs();
  });
  afterEach(() => vi.unstubAllGlobals());

  it("follows a running job's server-sent events and only that one", async () => {
    renderWithStore(<JobsPage />, { route: "/jobs" });
    const row = (await screen.findByRole("link", { name: "busy.exe" })).closest("tr") as HTMLElement;
    expect(within(row).getByText("15% · analyze: describing functions")).toBeVisible();
    expect(FakeEventSource.opened.map((s) => s.url)).toEqual([`${location.origin}/api/v1/jobs/${running.id}/events`]);

    act(() => FakeEventSource.opened[0].emit("progress", { ...running, stage: "explain", progress: 60, message: "explained 3/7" }));
    expect(within(row).getByText("60% · explain: explained 3/7")).toBeVisible();
    expect(within(row).getByRole("progressbar", { name: "Progress of busy.exe" })).toHaveAttribute("aria-valuenow", "60");
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
});
