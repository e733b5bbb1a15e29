import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { AnalysisOptions, budgetTokensError, budgetUsdError } from "./AnalysisOptions";

function renderOptions(overrides: Partial<Parameters<typeof AnalysisOptions>[0]> = {}) {
  const props = {
    depth: "standard" as const,
    detail: "standard" as const,
    functionLimit: "",
    explaining: true,
    onDepth: vi.fn(),
    onDetail: vi.fn(),
    onFunctionLimit: vi.fn(),
    budgetTokens: "",
    budgetUsd: "",
    onBudgetTokens: vi.fn(),
    onBudgetUsd: vi.fn(),
    ...overrides,
  };
  render(<AnalysisOptions {...props} />);
  return props;
}

describe("AnalysisOptions budget", () => {
  it("passes typed budgets up", () => {
    const props = renderOptions();
    fireEvent.change(screen.getByRole("textbox", { name: "Token budget" }), { target: { value: "20000" } });
    fireEvent.change(screen.getByRole("textbox", { name: "Cost budget (USD)" }), { target: { value: "0.25" } });
    expect(props.onBudgetTokens).toHaveBeenCalledWith("20000");
    expect(props.onBudgetUsd).toHaveBeenCalledWith("0.25");
    expect(screen.getAllByText("Empty: no limit")).toHaveLength(3);
  });

  it("explains what a bad budget should be", () => {
    renderOptions({ budgetTokens: "0", budgetUsd: "-1" });
    expect(screen.getByText("A whole number of tokens from 1 to 2,000,000,000")).toBeVisible();
    expect(screen.getByText("An amount in USD above 0 (at most 100,000)")).toBeVisible();
    expect(screen.getByRole("textbox", { name: "Token budget" })).toHaveAttribute("aria-invalid", "true");
  });

  it("does not apply when decompiling only", () => {
    renderOptions({ explaining: false, budgetTokens: "0" });
    expect(screen.getByRole("textbox", { name: "Token budget" })).toBeDisabled();
    expect(screen.getByRole("textbox", { name: "Cost budget (USD)" })).toBeDisabled();
    expect(screen.queryByText(/A whole number of tokens/)).toBeNull();
  });

  it("checks the values the server accepts", () => {
    expect([budgetTokensError(""), budgetTokensError("1"), budgetTokensError("2000000000")]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(budgetTokensError("2000000001")).toBeDefined();
    expect(budgetTokensError("1.5")).toBeDefined();
    expect(budgetTokensError("abc")).toBeDefined();
    expect([budgetUsdError("0.01"), budgetUsdError("5"), budgetUsdError(".5")]).toEqual([undefined, undefined, undefined]);
    expect(budgetUsdError("0")).toBeDefined();
    expect(budgetUsdError("100001")).toBeDefined();
    expect(budgetUsdError("1e3")).toBeDefined();
  });
});
