import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeResults } from "../../test/fakeResults";
import { CRACKME_OVERVIEW, MAIN_ADDRESS, STRIP_NEWLINE_ADDRESS } from "../../test/jobFixtures";
import { renderWithStore } from "../../test/render";
import type { ResultOverview } from "../../types/Result.types";
import { ImportsView } from "./ImportsView";
import { StringsView } from "./StringsView";

/** First renders of MUI tables are slow on a busy machine. */
const SLOW = { timeout: 5000 };
const JOB = "0b7e6c1d-2a3f-4e5d-8c9b-7a6f5e4d3c2b";
const MAIN = { address: MAIN_ADDRESS, name: "main" };
let server: FakeResults;

const explained: ResultOverview = {
  ...CRACKME_OVERVIEW,
  explanation: {
    prompt_version: "function.v1", provider_type: "openai", model: "gpt-4.1-mini", detail: "standard",
    usage: { requests: 3, input_tokens: 900, output_tokens: 120, reasoning_tokens: 0, cost_usd: null },
    explained: 3, failed: 0, cached: 0, functions_skipped: 9, program: null, strings: null,
    items_total: 4, items_failed: 0, failed_parts: [], grounding_score: null,
    imports: {
      status: "explained", error: null, unverified_evidence: 0, usage: { requests: 1, input_tokens: 1, output_tokens: 1, cost_usd: null },
      result: { summary: "Console I/O only.", capabilities: [{ kind: "console", imports: ["puts", "fwrite"], purpose: "prints messages" }] },
    },
    all_failed: false, cancelled: false, error: null, suspect_items: [],
  },
};

describe("StringsView and ImportsView", () => {
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(500);
    server = new FakeResults().install();
    server.strings = [
      { address: 0x402004, value: "Enter the secret password: ", length: 27, encoding: "ascii", section: ".rodata", kind: null, interpretation: null, referenced_by: [MAIN] },
      { address: 0x402020, value: "Access denied. Try harder.", length: 26, encoding: "ascii", section: ".rodata", kind: "message", interpretation: "failure message", referenced_by: [MAIN] },
      { address: 0x402040, value: "unused literal", length: 14, encoding: "ascii", section: ".rodata", kind: null, interpretation: null, referenced_by: [] },
    ];
    server.imports = [
      { name: "fwrite", library: "libc.so.6", address: 0x401050, capabilities: ["console"], referenced_by: [MAIN] },
      { name: "puts", library: "libc.so.6", address: 0x401030, capabilities: ["console"], referenced_by: [MAIN] },
      { name: "strlen", library: "libc.so.6", address: 0x401040, capabilities: [], referenced_by: [{ address: STRIP_NEWLINE_ADDRESS, name: "strip_newline" }] },
    ];
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it("searches strings on the server and links the function that uses one", async () => {
    renderWithStore(<StringsView jobId={JOB} result={CRACKME_OVERVIEW} />, { route: "/jobs/j1" });
    expect(await screen.findByText("3 of 3 strings", {}, SLOW)).toBeVisible();
    expect(screen.getByText("message: failure message")).toBeVisible();
    await userEvent.type(screen.getByRole("searchbox", { name: "Search strings" }), "denied");
    expect(await screen.findByText("1 of 3 strings", {}, SLOW)).toBeVisible();
    expect(server.sent("strings").map((q) => q.search)).toEqual([undefined, "denied"]);
    expect(screen.getByRole("link", { name: "Open function main at 0x4011c1" })).toHaveAttribute(
      "href", `/jobs/j1?tab=functions&fn=0x${MAIN_ADDRESS.toString(16)}`,
    );
  });

  it("filters imports by capability and links each to the functions calling it", async () => {
    renderWithStore(<ImportsView jobId={JOB} result={explained} />, { route: "/jobs/j1" });
    expect(await screen.findByText(`3 of ${CRACKME_OVERVIEW.counts.imports} imports`, {}, SLOW)).toBeVisible();
    expect(screen.getByRole("region", { name: "Capability console" })).toHaveTextContent("puts, fwrite");
    expect(screen.getByRole("link", { name: "Open function strip_newline at 0x401156" })).toHaveAttribute(
      "href", `/jobs/j1?tab=functions&fn=0x${STRIP_NEWLINE_ADDRESS.toString(16)}`,
    );
    await userEvent.click(screen.getByRole("combobox", { name: "Capability" }));
    await userEvent.click(screen.getByRole("option", { name: "console" }));
    expect(await screen.findByText(`2 of ${CRACKME_OVERVIEW.counts.imports} imports`, {}, SLOW)).toBeVisible();
    await waitFor(() => expect(server.sent("imports").at(-1)).toMatchObject({ capability: "console" }), SLOW);
  });

  it("opens searched for the string a link points to, its row selected", async () => {
    renderWithStore(<StringsView jobId={JOB} result={CRACKME_OVERVIEW} initialSearch="0x402004" selected={0x402004} />);
    expect(await screen.findByText("1 of 3 strings", {}, SLOW)).toBeVisible();
    expect(server.sent("strings").map((q) => q.search)).toEqual(["0x402004"]);
    expect(screen.getByRole("searchbox", { name: "Search strings" })).toHaveValue("0x402004");
    expect(screen.getByRole("row", { name: /0x402004/ })).toHaveClass("Mui-selected");
  });

  it("opens searched for the import a link points to, its row selected", async () => {
    renderWithStore(<ImportsView jobId={JOB} result={explained} initialSearch="strlen" selected="strlen" />);
    expect(await screen.findByText(`1 of ${CRACKME_OVERVIEW.counts.imports} imports`, {}, SLOW)).toBeVisible();
    expect(server.sent("imports").map((q) => q.search)).toEqual(["strlen"]);
    expect(screen.getByRole("row", { name: /strlen/ })).toHaveClass("Mui-selected");
  });
});
