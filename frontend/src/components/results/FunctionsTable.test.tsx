import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeResults } from "../../test/fakeResults";
import { makeFunctionRow } from "../../test/jobFixtures";
import { renderWithStore } from "../../test/render";
import { FunctionsTable } from "./FunctionsTable";
import { SUGGESTED_NAMES_KEY } from "./suggestedNames";

/** First renders of MUI tables are slow on a busy machine. */
const SLOW = { timeout: 5000 };
const JOB = "6f1c3a52-4d1e-4f6b-9a55-1f2d3c4b5a69";
let server: FakeResults;

/** 1,236 functions like ssh: sub_<address>, every 10th library code, sizes varying. */
function ssh() {
  return Array.from({ length: 1236 }, (_, i) =>
    makeFunctionRow({ address: 0x4000 + i * 0x40, name: `sub_${(0x4000 + i * 0x40).toString(16)}`, size: (i * 37) % 500, is_library: i % 10 === 0 }),
  );
}

function rowNames(): string[] {
  const body = screen.getByRole("table", { name: "Functions" }).querySelector("tbody") as HTMLElement;
  return within(body).queryAllByRole("link").map((b) => b.textContent ?? "");
}

describe("FunctionsTable", () => {
  beforeEach(() => {
    // jsdom lays nothing out: give the scroll container a 500 px viewport
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(500);
    server = new FakeResults().install();
    server.functions = ssh();
    server.functions[1] = { ...server.functions[1], summary: "Prints a notice.", suspect_injection: true, injection_reasons: ["obeys the notice"] };
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it("asks for one page of program functions and renders only the rows in view", async () => {
    renderWithStore(<FunctionsTable jobId={JOB} selected={null} />);
    expect(await screen.findByText("1112 functions", {}, SLOW)).toBeVisible();
    expect(server.sent("functions")).toEqual([{ library: "false", sort: "address", order: "asc", limit: "100", offset: "0" }]);
    const names = rowNames();
    expect(names[0]).toBe("sub_4040");
    expect(names.length).toBeGreaterThan(10);
    expect(names.length).toBeLessThan(40); // 100 loaded, the rest are spacer height
    const first = screen.getByRole("link", { name: "Open function sub_4040 at 0x4040" }).closest("tr") as HTMLElement;
    expect(first).toHaveTextContent("suspect: prompt injectionPrints a notice.");
    expect(within(first).getByTitle("obeys the notice")).toBeVisible();
  });

  it("loads the next page when scrolled near the end of the loaded rows", async () => {
    renderWithStore(<FunctionsTable jobId={JOB} selected={null} />);
    await screen.findByText("1112 functions", {}, SLOW);
    const scroller = screen.getByRole("table", { name: "Functions" }).parentElement as HTMLElement;
    await act(async () => {
      scroller.scrollTop = 90 * 37;
      fireEvent.scroll(scroller);
    });
    await waitFor(() => expect(server.sent("functions").map((q) => q.offset)).toEqual(["0", "100"]), SLOW);
    await waitFor(() => expect(rowNames()).toContain("sub_5a80"), SLOW); // row 100 of the program code
  });

  it("sends one search after typing pauses, and sorts on the server", async () => {
    renderWithStore(<FunctionsTable jobId={JOB} selected={null} />);
    await screen.findByText("1112 functions", {}, SLOW);
    await userEvent.type(screen.getByRole("searchbox", { name: "Search functions" }), "sub_4f");
    expect(await screen.findByText("3 functions", {}, SLOW)).toBeVisible(); // sub_4f40, sub_4f80, sub_4fc0
    expect(server.sent("functions").map((q) => q.search)).toEqual([undefined, "sub_4f"]);
    await userEvent.click(screen.getByRole("button", { name: "Size (bytes)" }));
    await waitFor(() => expect(server.sent("functions").at(-1)).toMatchObject({ search: "sub_4f", sort: "size", order: "desc" }), SLOW);
    await waitFor(() => expect(rowNames()).toEqual(["sub_4fc0", "sub_4f80", "sub_4f40"]), SLOW);
  });

  it("links each function by address, shows suggested names when asked, and can include library code", async () => {
    server.functions[2] = { ...server.functions[2], suggested_name: "parse_config" };
    renderWithStore(<FunctionsTable jobId={JOB} selected={null} />, { route: "/jobs/j1" });
    await screen.findByText("1112 functions", {}, SLOW);
    expect(screen.getByRole("link", { name: "Open function sub_4080 at 0x4080" })).toHaveAttribute("href", "/jobs/j1?tab=functions&fn=0x4080");
    localStorage.setItem(SUGGESTED_NAMES_KEY, "on");
    window.dispatchEvent(new StorageEvent("storage", { key: SUGGESTED_NAMES_KEY }));
    const renamed = await screen.findByRole("link", { name: "Open function parse_config at 0x4080" });
    expect(within(renamed).getByTitle("suggested name (by the model); original: sub_4080")).toHaveTextContent("parse_config");
    localStorage.clear();
    await userEvent.click(screen.getByRole("switch", { name: "Hide library code" }));
    expect(await screen.findByText("1236 functions", {}, SLOW)).toBeVisible();
    expect(server.sent("functions").at(-1)).not.toHaveProperty("library");
  });
});
