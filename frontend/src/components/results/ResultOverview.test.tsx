import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { CRACKME_OVERVIEW, makeJobOverview } from "../../test/jobFixtures";
import { renderWithStore } from "../../test/render";
import { ResultOverview } from "./ResultOverview";

describe("ResultOverview", () => {
  it("shows the thinking tokens apart, as part of the output tokens", () => {
    const thinking = { input_tokens: 2752, output_tokens: 265, reasoning_tokens: 120, estimated_cost_usd: 0.0015 };
    renderWithStore(<ResultOverview job={makeJobOverview({ usage: thinking })} result={CRACKME_OVERVIEW} />);
    const usage = screen.getByRole("table", { name: "Tokens and cost" });
    const row = (name: string) => within(usage).getByRole("rowheader", { name }).closest("tr");
    expect(row("Output tokens")).toHaveTextContent("265");
    expect(row("Thinking tokens")).toHaveTextContent("120 (part of the output tokens, billed as output)");
    expect(row("Estimated cost")).toHaveTextContent("$0.0015");
  });

  it("says a complete analysis was not cut", () => {
    renderWithStore(<ResultOverview job={makeJobOverview()} result={CRACKME_OVERVIEW} />);
    const facts = screen.getByRole("table", { name: "File facts" });
    expect(within(facts).getByRole("rowheader", { name: "CFG recovery" }).closest("tr")).toHaveTextContent("complete");
    expect(screen.queryByRole("alert", { name: "Partial result" })).toBeNull();
  });

  it("shows what was cut when CFG recovery ran out of its time budget", () => {
    const result = { ...CRACKME_OVERVIEW, cfg_cut: { budget_s: 30, functions_found: 412, scanned_percent: 41.6 } };
    renderWithStore(<ResultOverview job={makeJobOverview({ result })} result={result} />);
    expect(screen.getByRole("alert", { name: "Partial result" })).toHaveTextContent(
      "Partial result: CFG recovery was cut by its time budget" +
        "It stopped after 30 s with 412 functions found and 42% of the code scanned; " +
        "functions in the rest of the code are missing from every list.",
    );
    const facts = screen.getByRole("table", { name: "File facts" });
    expect(within(facts).getByRole("rowheader", { name: "CFG recovery" }).closest("tr")).toHaveTextContent(
      "cut at its 30 s budget, 42% of the code scanned",
    );
  });
});
