import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { FunctionResult } from "../../types/Job.types";
import { FunctionExplanationPanel } from "./FunctionExplanationPanel";

const explained: FunctionResult = {
  name: "copy_file",
  address: 0x4011e6,
  source: "pseudocode",
  status: "explained",
  coverage: 0.37,
  coverage_reason: "budget_exceeded",
  parts: 12,
  explanation: {
    summary: "Copies a file.",
    explanation: "Reads and writes in a loop.",
    category: "file_io",
    confidence: 0.8,
    suggested_name: "copy_file",
    parameters: [],
    return_value: "",
    side_effects: [],
    security_notes: [],
    evidence: [],
  },
} as FunctionResult;

describe("FunctionExplanationPanel coverage", () => {
  it("says how much of the code the budget let the explanation cover", () => {
    render(<FunctionExplanationPanel result={explained} decompileOnly={false} onEvidenceAddress={() => {}} />);
    expect(screen.getByText("covers 37% of the code (budget exceeded)")).toBeVisible();
  });

  it("shows a function the budget left out with its error code", () => {
    const left: FunctionResult = {
      ...explained,
      status: "failed",
      coverage: 0,
      coverage_reason: null,
      explanation: null,
      error: { code: "budget_exceeded", message: "The job's budget of 100 tokens was used up (2,310 tokens)." },
    };
    render(<FunctionExplanationPanel result={left} decompileOnly={false} onEvidenceAddress={() => {}} />);
    expect(
      screen.getByText("Not explained (failed): budget_exceeded: The job's budget of 100 tokens was used up (2,310 tokens)."),
    ).toBeVisible();
  });
});
