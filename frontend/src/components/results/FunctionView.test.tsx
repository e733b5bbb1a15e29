import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { CHECK_PASSWORD, CHECK_PASSWORD_EXPLAINED, MAIN_ADDRESS, STRIP_NEWLINE_ADDRESS } from "../../test/jobFixtures";
import { renderWithStore } from "../../test/render";
import type { FunctionResult } from "../../types/Job.types";
import { FunctionView, type FunctionViewProps } from "./FunctionView";

function renderView(overrides: Partial<FunctionViewProps> = {}) {
  const onOpen = vi.fn();
  renderWithStore(
    <FunctionView
      fn={CHECK_PASSWORD}
      decompileOnly={false}
      onOpen={onOpen}
      {...overrides}
    />,
  );
  return { onOpen };
}

describe("FunctionView", () => {
  it("shows the pseudocode beside the explanation", () => {
    renderView();
    const view = screen.getByRole("region", { name: "Function check_password" });
    expect(within(view).getByRole("heading", { name: "check_password" })).toBeVisible();
    expect(within(view).getByText("0x401175 · 76 bytes · 11 blocks · 26 instructions")).toBeVisible();
    expect(within(view).getByRole("tab", { name: "Pseudocode" })).toHaveAttribute("aria-selected", "true");
    const code = within(view).getByLabelText("Pseudocode of check_password");
    expect(Array.from(code.children, (line) => line.textContent)).toEqual(
      CHECK_PASSWORD.pseudocode?.trimEnd().split("\n"),
    );
    expect(Array.from(code.querySelectorAll(".token.keyword"), (t) => t.textContent)).toEqual([
      "unsigned", "int", "char", "if", "return", "return",
    ]);
    expect(within(view).getByText("Accepts the password r3v3rs3! and nothing else.")).toBeVisible();
    expect(within(view).getByText("authentication")).toBeVisible();
    expect(within(view).getByText("self-rated confidence 90%")).toBeVisible();
    expect(within(view).getByText("suggested name: is_secret_password")).toBeVisible();
    expect(within(view).getByText("The password is stored in the code as constants.")).toBeVisible();
    expect(within(view).getByText("char * a0")).toBeVisible();
  });

  it("switches to the disassembly, and an address in the evidence marks its line", async () => {
    renderView();
    await userEvent.click(screen.getByRole("button", { name: "0x401186" }));
    expect(screen.getByRole("tab", { name: "Disassembly" })).toHaveAttribute("aria-selected", "true");
    const code = screen.getByLabelText("Disassembly of check_password");
    const marked = code.querySelectorAll("[data-marked]");
    expect(Array.from(marked, (line) => line.textContent)).toEqual(["0x401186: cmp rdx, 8"]);
    await userEvent.click(screen.getByRole("tab", { name: "Pseudocode" }));
    expect(screen.getByLabelText("Pseudocode of check_password")).toBeVisible();
  });

  it("opens callers and called functions by address, and shows where imports and strings are used", async () => {
    const fn = {
      ...CHECK_PASSWORD,
      calls: [
        { address: 0x40117e, function: { address: STRIP_NEWLINE_ADDRESS, name: "helper" } },
        { address: 0x401190, function: { address: 0x401300, name: "helper" } },
        { address: 0x4011a0, function: { address: STRIP_NEWLINE_ADDRESS, name: "helper" } },
      ],
      string_refs: [{ address: 0x401186, string_address: 0x402004, value: "Enter the secret password: " }],
    };
    const { onOpen } = renderView({ fn });
    await userEvent.click(screen.getByRole("button", { name: "Open function main at 0x4011c1" }));
    expect(onOpen).toHaveBeenLastCalledWith(MAIN_ADDRESS);
    // two functions share a name: each is its own link, opened by its own address
    const calls = screen.getAllByRole("button", { name: /^Open function helper at / });
    expect(calls.map((b) => b.getAttribute("aria-label"))).toEqual([
      "Open function helper at 0x401156",
      "Open function helper at 0x401300",
    ]);
    await userEvent.click(calls[1]);
    expect(onOpen).toHaveBeenLastCalledWith(0x401300);
    await userEvent.click(screen.getByRole("button", { name: "Show the call to strlen at 0x401179" }));
    const code = screen.getByLabelText("Disassembly of check_password");
    expect(Array.from(code.querySelectorAll("[data-marked]"), (line) => line.textContent)).toEqual([
      "0x401179: call 0x401040",
    ]);
    expect(screen.getByText('"Enter the secret password: "')).toBeVisible();
  });

  it("says why a function has no explanation", () => {
    const failed: FunctionResult = {
      ...CHECK_PASSWORD_EXPLAINED,
      status: "failed",
      explanation: null,
      error: { code: "invalid_output", message: "The model's reply did not match the expected format." },
    };
    renderView({ fn: { ...CHECK_PASSWORD, explanation: failed } });
    expect(screen.getByRole("alert")).toHaveTextContent(
      "Not explained (failed): invalid_output: The model's reply did not match the expected format.",
    );
  });

  it("marks an explanation that may have obeyed text the binary addressed to AI analysis", () => {
    const reasons = ["repeats instruction-like text 'ignore all previous instructions' (override.en)"];
    renderView({
      fn: {
        ...CHECK_PASSWORD,
        suspect_injection: true,
        injection_reasons: reasons,
        explanation: { ...CHECK_PASSWORD_EXPLAINED, suspect_injection: true, injection_reasons: reasons },
      },
    });
    expect(screen.getByRole("alert")).toHaveTextContent(
      "Suspect: this explanation may have obeyed text the binary addressed to AI analysis (prompt injection): " +
        "repeats instruction-like text 'ignore all previous instructions' (override.en).",
    );
  });

  it("falls back to the disassembly when decompilation failed, and says so", () => {
    renderView({
      fn: { ...CHECK_PASSWORD, pseudocode: null, decompile_error: "timed out after 30 s", explanation: null },
      decompileOnly: true,
    });
    expect(screen.getByRole("tab", { name: "Pseudocode" })).toBeDisabled();
    expect(screen.getByText("Decompilation failed: timed out after 30 s")).toBeVisible();
    expect(screen.getByLabelText("Disassembly of check_password")).toHaveTextContent("0x401175: push rbx");
    expect(screen.getByText("This job ran without an LLM provider: no explanations.")).toBeVisible();
  });
});
