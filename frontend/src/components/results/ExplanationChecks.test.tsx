import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { CRACKME_OVERVIEW, makeJobOverview } from "../../test/jobFixtures";
import { renderWithStore } from "../../test/render";
import type { ResultOverview as Result } from "../../types/Result.types";
import { ResultOverview } from "./ResultOverview";

type Explanation = NonNullable<Result["explanation"]>;

const HTTP_500 = { code: "server_error", message: "The server had an internal error (HTTP 500)." };
const EXPLANATION: Explanation = {
  prompt_version: "v3", provider_type: "openai", model: "gpt-4.1-mini", detail: "standard",
  usage: { requests: 5, input_tokens: 3600, output_tokens: 330, reasoning_tokens: 0, cost_usd: 0.002 },
  explained: 2, failed: 0, cached: 0, functions_skipped: 10,
  items_total: 5, items_failed: 3, failed_parts: ["imports", "strings", "program"], grounding_score: 10 / 14,
  program: { status: "failed", error: HTTP_500, result: null },
  imports: { status: "failed", error: HTTP_500, result: null },
  strings: { status: "failed", error: HTTP_500, result: null },
  all_failed: false, cancelled: false, error: null, suspect_items: [],
};

function renderOverview(explanation: Explanation) {
  const result: Result = { ...CRACKME_OVERVIEW, explanation };
  renderWithStore(<ResultOverview job={makeJobOverview({ result })} result={result} />);
  const usage = screen.getByRole("table", { name: "Tokens and cost" });
  return within(usage).getByRole("rowheader", { name: "Grounding" }).closest("tr");
}

describe("ResultOverview explanation checks", () => {
  it("shows the job's grounding score and names the parts whose explanations failed", () => {
    const row = renderOverview(EXPLANATION);
    expect(row).toHaveTextContent("71% of the evidence claims found in the function that makes them");
    expect(screen.getByRole("alert", { name: "Failed explanations" })).toHaveTextContent(
      "Explanations failed for: imports (capabilities), notable strings, program summary (3 of 5 items).",
    );
  });

  it("counts failed functions, and says so when no explanation cited evidence", () => {
    const row = renderOverview({
      ...EXPLANATION, failed: 1, items_failed: 1, failed_parts: ["functions"], grounding_score: null,
      program: null, imports: null, strings: null,
    });
    expect(row).toHaveTextContent("no explanation cited checkable evidence");
    expect(screen.getByRole("alert", { name: "Failed explanations" })).toHaveTextContent(
      "Explanations failed for: 1 function (1 of 5 items).",
    );
  });

  it("has no failure alert when every part was explained", () => {
    renderOverview({ ...EXPLANATION, items_failed: 0, failed_parts: [], program: null, imports: null, strings: null });
    expect(screen.queryByRole("alert", { name: "Failed explanations" })).toBeNull();
  });
});
