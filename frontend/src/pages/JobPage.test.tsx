import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes, useLocation, useNavigate } from "react-router-dom";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeEventSource } from "../test/fakeEventSource";
import { FakeResults } from "../test/fakeResults";
import { CHECK_PASSWORD, CRACKME_OVERVIEW, MAIN_ADDRESS, makeFunctionRow, makeJobOverview } from "../test/jobFixtures";
import { renderWithStore } from "../test/render";
import { JobPage } from "./JobPage";

/** First renders of MUI tables are slow on a busy machine. */
const SLOW = { timeout: 5000 };
const job = makeJobOverview();
let server: FakeResults;

function Location() {
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <>
      <output aria-label="location">{location.pathname + location.search}</output>
      <button type="button" onClick={() => void navigate(-1)}>Browser back</button>
    </>
  );
}

/** Make MUI's media queries answer as a screen `width` px wide does (jsdom has no matchMedia). */
function screenWidth(width: number) {
  vi.stubGlobal("matchMedia", (query: string) => {
    const min = /min-width:\s*([\d.]+)px/.exec(query);
    return {
      matches: min ? width >= Number(min[1]) : false,
      media: query,
      addEventListener: () => {},
      removeEventListener: () => {},
      addListener: () => {},
      removeListener: () => {},
    };
  });
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
    expect(await screen.findByRole("tab", { name: `Functions (${CRACKME_OVERVIEW.counts.functions})` }, SLOW)).toBeVisible();
    expect(screen.getByRole("tab", { name: `Strings (${CRACKME_OVERVIEW.counts.strings})` })).toBeVisible();
    expect(server.queries.map((q) => q.path)).toEqual([`/jobs/${job.id}`]);
  });

  it("opens a function from the table, fetches its detail, follows a call by address, and goes back", async () => {
    renderPage(`/jobs/${job.id}?tab=functions`);
    await userEvent.click(await screen.findByRole("link", { name: "Open function main at 0x4011c1" }, SLOW));
    expect(screen.getByRole("status", { name: "location" })).toHaveTextContent(`/jobs/${job.id}?tab=functions&fn=0x4011c1`);
    const view = await screen.findByRole("region", { name: "Function main" }, SLOW);
    expect(view).toBeVisible();
    const calls = within(within(view).getByRole("heading", { name: "Calls" }).parentElement as HTMLElement);
    await userEvent.click(calls.getByRole("link", { name: "Open function check_password at 0x401175" }));
    const check = await screen.findByRole("region", { name: "Function check_password" }, SLOW);
    const callers = within(within(check).getByRole("heading", { name: "Called by" }).parentElement as HTMLElement);
    expect(callers.getByRole("link", { name: "Open function main at 0x4011c1" })).toBeVisible();
    expect(server.queries.filter((q) => q.path.includes("/functions/")).map((q) => q.path)).toEqual([
      `/jobs/${job.id}/functions/0x4011c1`,
      `/jobs/${job.id}/functions/0x401175`,
    ]);
    await userEvent.click(screen.getByRole("button", { name: "Browser back" }));
    expect(await screen.findByRole("region", { name: "Function main" }, SLOW)).toBeVisible();
    expect(screen.getByRole("status", { name: "location" })).toHaveTextContent(`/jobs/${job.id}?tab=functions&fn=0x4011c1`);
  });

  it("keeps the function list beside an open function on a wide screen, resizable and remembered", async () => {
    screenWidth(1280);
    renderPage(`/jobs/${job.id}?tab=functions&fn=0x4011c1`);
    await screen.findByRole("region", { name: "Function main" }, SLOW);
    const list = screen.getByRole("region", { name: "Function list" });
    const table = within(list).getByRole("table", { name: "Functions" });
    expect(within(table).getAllByRole("columnheader").map((h) => h.textContent)).toEqual(["Name", "Address", "Size (bytes)"]);
    expect(within(table).getByRole("row", { name: /main/ })).toHaveClass("Mui-selected");
    const handle = screen.getByRole("separator", { name: "Resize the function list" });
    expect(handle).toHaveAttribute("aria-valuenow", "420");
    handle.focus();
    await userEvent.keyboard("{ArrowRight}{ArrowRight}");
    expect(handle).toHaveAttribute("aria-valuenow", "500");
    expect(localStorage.getItem("binscribe.functionListWidth")).toBe("500");
    await userEvent.click(within(table).getByRole("link", { name: "Open function check_password at 0x401175" }));
    await screen.findByRole("region", { name: "Function check_password" }, SLOW);
    expect(screen.getByRole("separator", { name: "Resize the function list" })).toHaveAttribute("aria-valuenow", "500");
  });

  it("stacks the list above the function on a phone-sized screen", async () => {
    screenWidth(390);
    renderPage(`/jobs/${job.id}?tab=functions&fn=0x4011c1`);
    await screen.findByRole("region", { name: "Function main" }, SLOW);
    expect(screen.queryByRole("separator")).toBeNull();
    expect(screen.getByRole("region", { name: "Function list" })).toBeVisible();
  });

  it("follows a string link to the Strings tab, searched for it", async () => {
    server.strings = [
      { address: 0x402004, value: "Enter the secret password: ", length: 27, encoding: "ascii", section: ".rodata", kind: null, interpretation: null, referenced_by: [{ address: MAIN_ADDRESS, name: "main" }] },
    ];
    server.details.set(MAIN_ADDRESS, { ...server.details.get(MAIN_ADDRESS)!, string_refs: [{ address: 0x4011d0, string_address: 0x402004, value: "Enter the secret password: " }] });
    renderPage(`/jobs/${job.id}?tab=functions&fn=0x4011c1`);
    const view = await screen.findByRole("region", { name: "Function main" }, SLOW);
    const strings = within(within(view).getByRole("heading", { name: "Strings used" }).parentElement as HTMLElement);
    await userEvent.click(strings.getByRole("link", { name: "Open string at 0x402004" }));
    const table = await screen.findByRole("table", { name: "Strings" }, SLOW);
    await waitFor(() => expect(within(table).getByRole("row", { name: /Enter the secret password/ })).toHaveClass("Mui-selected"), SLOW);
    expect(screen.getByRole("searchbox", { name: "Search strings" })).toHaveValue("0x402004");
    await userEvent.click(within(table).getByRole("link", { name: "Open function main at 0x4011c1" }));
    expect(await screen.findByRole("region", { name: "Function main" }, SLOW)).toBeVisible();
  });

  it("says so when the address in the URL is not a function", async () => {
    renderPage(`/jobs/${job.id}?tab=functions&fn=0x1234`);
    await waitFor(() => expect(screen.getByText("function_not_found")).toBeVisible(), SLOW);
  });
});
