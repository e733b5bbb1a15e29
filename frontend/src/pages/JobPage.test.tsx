import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes, useLocation } from "react-router-dom";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeEventSource } from "../test/fakeEventSource";
import { FakeResults } from "../test/fakeResults";
import { CHECK_PASSWORD, MAIN_ADDRESS, makeFunctionRow, makeJobOverview } from "../test/jobFixtures";
import { renderWithStore } from "../test/render";
import { JobPage } from "./JobPage";

/** First renders of MUI tables are slow on a busy machine. */
const SLOW = { timeout: 5000 };
const job = makeJobOverview();
let server: FakeResults;

function Location() {
  const location = useLocation();
  return <output aria-label="location">{location.pathname + location.search}</output>;
}

function renderPage(route: string) {
  return renderWithStore(
    <>
      <Routes>
        <Route path="/jobs/:id" element={<JobPage />} />
      </Routes>
      <Location />
    </>,
    { route },
  );
}

describe("JobPage results", () => {
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(500);
    FakeEventSource.install();
    server = new FakeResults().install();
    server.overview = job;
    server.functions = [
      makeFunctionRow({ address: 0x401175, name: "check_password", size: 76, decompiled: true }),
      makeFunctionRow({ address: MAIN_ADDRESS, name: "main", size: 120, decompiled: true }),
    ];
    server.details.set(0x401175, CHECK_PASSWORD);
    server.details.set(MAIN_ADDRESS, {
      ...CHECK_PASSWORD, address: MAIN_ADDRESS, name: "main", callers: [], explanation: null,
      calls: [{ address: 0x4011ce, function: { address: 0x401175, name: "check_password" } }],
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it("loads the small job document first, lists nothing until a tab asks for it", async () => {
    renderPage(`/jobs/${job.id}`);
    expect(await screen.findByRole("tab", { name: "Functions (12)" }, SLOW)).toBeVisible();
    expect(screen.getByRole("tab", { name: "Strings (3)" })).toBeVisible();
    expect(server.queries.map((q) => q.path)).toEqual([`/jobs/${job.id}`]);
  });

  it("opens a function from the table, fetches its detail, follows a call by address", async () => {
    renderPage(`/jobs/${job.id}?tab=functions`);
    await userEvent.click(await screen.findByRole("button", { name: "main" }, SLOW));
    expect(screen.getByRole("status", { name: "location" })).toHaveTextContent(`/jobs/${job.id}?tab=functions&fn=0x4011c1`);
    const view = await screen.findByRole("region", { name: "Function main" }, SLOW);
    expect(view).toBeVisible();
    await userEvent.click(screen.getByRole("button", { name: "Open function check_password at 0x401175" }));
    expect(await screen.findByRole("region", { name: "Function check_password" }, SLOW)).toBeVisible();
    expect(screen.getByRole("button", { name: "Open function main at 0x4011c1" })).toBeVisible(); // called by
    expect(server.queries.filter((q) => q.path.includes("/functions/")).map((q) => q.path)).toEqual([
      `/jobs/${job.id}/functions/0x4011c1`,
      `/jobs/${job.id}/functions/0x401175`,
    ]);
  });

  it("says so when the address in the URL is not a function", async () => {
    renderPage(`/jobs/${job.id}?tab=functions&fn=0x1234`);
    await waitFor(() => expect(screen.getByText("function_not_found")).toBeVisible(), SLOW);
  });
});
