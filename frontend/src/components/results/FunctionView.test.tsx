import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { CHECK_PASSWORD, CHECK_PASSWORD_EXPLAINED, MAIN_ADDRESS, STRIP_NEWLINE_ADDRESS } from "../../test/jobFixtures";
import { renderWithStore } from "../../test/render";
import type { FunctionResult } from "../../types/Job.types";
import { FunctionView, type FunctionViewProps } from "./FunctionView";

function renderView(overrides: Partial<FunctionViewProps> = {}) {
  renderWithStore(<FunctionView fn={CHECK_PASSWORD} decompileOnly={false} {...overrides} />, { route: "/jobs/j1" });
}

const lines = (code: HTMLElement) => Array.from(code.querySelectorAll(":scope > div > div"), (line) => line.textContent);
const href = (element: HTMLElement) => element.getAttribute("href");

describe("FunctionView", () => {
  beforeEach(() => localStorage.clear());

  it("shows the pseudocode beside the explanation", () => {
    renderView();
    const view = screen.getByRole("region", { name: "Function check_password" });
    expect(within(view).getByRole("heading", { name: "check_password" })).toBeVisible();
    expect(within(view).getByText("0x401175 · 76 bytes · 11 blocks · 26 instructions")).toBeVisible();
    expect(within(view).getByRole("tab", { name: "Pseudocode" })).toHaveAttribute("aria-selected", "true");
    const code = within(view).getByLabelText("Pseudocode of check_password");
    expect(lines(code)).toEqual(CHECK_PASSWORD.pseudocode?.trimEnd().split("\n"));
    const keywords = Array.from(code.querySelectorAll(".token.keyword"), (t) => t.textContent);
    expect([...new Set(keywords)]).toEqual(["unsigned", "int", "char", "if", "return", "else"]);
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
        { address: 0x40117f, function: { address: STRIP_NEWLINE_ADDRESS, name: "helper" } },
        { address: 0x401190, function: { address: 0x401300, name: "helper" } },
        { address: 0x4011a0, function: { address: STRIP_NEWLINE_ADDRESS, name: "helper" } },
      ],
      string_refs: [{ address: 0x401186, string_address: 0x402004, value: "Enter the secret password: " }],
      disassembly: `${CHECK_PASSWORD.disassembly}\n0x401190: call 0x401300`,
      pseudocode: CHECK_PASSWORD.pseudocode?.replace("return 0;", "return helper(a0);") ?? null,
    };
    renderView({ fn });
    const section = (name: string) => within(screen.getByRole("heading", { name }).parentElement as HTMLElement);
    const callers = section("Called by");
    expect(href(callers.getByRole("link", { name: "Open function main at 0x4011c1" }))).toBe(`/jobs/j1?tab=functions&fn=0x${MAIN_ADDRESS.toString(16)}`);
    // two functions share a name: each is its own link, to its own address
    const calls = section("Calls");
    expect(calls.getAllByRole("link").map(href)).toEqual(["/jobs/j1?tab=functions&fn=0x401156", "/jobs/j1?tab=functions&fn=0x401300"]);
    await userEvent.click(screen.getByRole("button", { name: "Show the call to strlen at 0x401179" }));
    const code = screen.getByLabelText("Disassembly of check_password");
    expect(Array.from(code.querySelectorAll("[data-marked]"), (line) => line.textContent)).toEqual([
      "0x401179: call 0x401040 ; strlen",
    ]);
    // call sites in the disassembly link by instruction address, even where names repeat
    expect(within(code).getAllByRole("link").map(href)).toEqual([
      "/jobs/j1?tab=imports&q=strlen&sel=strlen",
      "/jobs/j1?tab=strings&q=0x402004&sel=0x402004",
      "/jobs/j1?tab=functions&fn=0x401300",
    ]);
    expect(href(section("Imports called").getByRole("link", { name: "Open import strlen" }))).toBe("/jobs/j1?tab=imports&q=strlen&sel=strlen");
    expect(href(section("Strings used").getByText('"Enter the secret password: "'))).toBe("/jobs/j1?tab=strings&q=0x402004&sel=0x402004");
    // in the pseudocode, "helper" names two functions: it stays plain text, never resolved by name
    await userEvent.click(screen.getByRole("tab", { name: "Pseudocode" }));
    const pseudo = screen.getByLabelText("Pseudocode of check_password");
    expect(within(pseudo).getAllByRole("link").map((a) => a.textContent)).toEqual(["strlen"]);
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
