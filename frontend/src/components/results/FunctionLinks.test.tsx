import { act, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { CHECK_PASSWORD, CHECK_PASSWORD_EXPLAINED, MAIN_ADDRESS } from "../../test/jobFixtures";
import { renderWithStore } from "../../test/render";
import type { FunctionDetail } from "../../types/Result.types";
import { FunctionView } from "./FunctionView";
import { SUGGESTED_NAMES_KEY, useSuggestedNames } from "./suggestedNames";

const href = (element: HTMLElement) => element.getAttribute("href");

const explained = CHECK_PASSWORD_EXPLAINED.explanation;
if (!explained) throw new Error("the fixture is explained");

/** check_password calling two functions named "helper" and one named "is_valid", with links in its text. */
const FN: FunctionDetail = {
  ...CHECK_PASSWORD,
  callers: [{ address: MAIN_ADDRESS, name: "main", suggested_name: "run_login_prompt" }],
  calls: [
    { address: 0x401180, function: { address: 0x401300, name: "helper", suggested_name: "trim_line" } },
    { address: 0x401190, function: { address: 0x401400, name: "helper", suggested_name: null } },
    { address: 0x4011a0, function: { address: 0x401500, name: "is_valid", suggested_name: "check_length" } },
  ],
  string_refs: [{ address: 0x401186, string_address: 0x402004, value: "Enter the secret password: " }],
  pseudocode: 'unsigned int check_password(char *a0)\n{\n    puts("Enter the secret password: ");\n    helper(a0);\n    return is_valid(a0) && strlen(a0) == 8;\n}\n',
  explanation: {
    ...CHECK_PASSWORD_EXPLAINED,
    explanation: {
      ...explained,
      explanation: 'Prints "Enter the secret password: ", calls is_valid and helper, then strlen.',
      evidence: [
        { kind: "import", value: "strlen", supports: "length check" },
        { kind: "callee", value: "is_valid", supports: "validation" },
        { kind: "callee", value: "helper", supports: "shared name" },
        { kind: "string", value: "Enter the secret password: ", supports: "prompt" },
      ],
    },
  },
};

function renderFn() {
  renderWithStore(<FunctionView fn={FN} decompileOnly={false} />, { route: "/jobs/j1" });
  return screen.getByRole("region", { name: "Function check_password" });
}

describe("cross-reference links in the function view", () => {
  beforeEach(() => localStorage.clear());

  it("links functions, imports and strings in the pseudocode, never a name two functions share", () => {
    renderFn();
    const code = screen.getByLabelText("Pseudocode of check_password");
    expect(within(code).getAllByRole("link").map((a) => [a.textContent, href(a)])).toEqual([
      ['"Enter the secret password: "', "/jobs/j1?tab=strings&q=0x402004&sel=0x402004"],
      ["is_valid", "/jobs/j1?tab=functions&fn=0x401500"],
      ["strlen", "/jobs/j1?tab=imports&q=strlen&sel=strlen"],
    ]);
    expect(within(code).getByText("helper")).toHaveAttribute("title", "several called functions are named helper: see Calls (by address)");
  });

  it("links the names the explanation and its evidence mention", () => {
    renderFn();
    const panel = screen.getByLabelText("Explanation");
    const text = within(panel).getByText(/^Prints/);
    expect(within(text).getAllByRole("link").map((a) => [a.textContent, href(a)])).toEqual([
      ['"Enter the secret password: "', "/jobs/j1?tab=strings&q=0x402004&sel=0x402004"],
      ["is_valid", "/jobs/j1?tab=functions&fn=0x401500"],
      ["strlen", "/jobs/j1?tab=imports&q=strlen&sel=strlen"],
    ]);
    const evidence = within(within(panel).getByRole("heading", { name: "Evidence" }).parentElement as HTMLElement);
    expect(evidence.getAllByRole("link").map(href)).toEqual([
      "/jobs/j1?tab=imports&q=strlen&sel=strlen",
      "/jobs/j1?tab=functions&fn=0x401500",
      "/jobs/j1?tab=strings&q=0x402004&sel=0x402004",
    ]);
    expect(evidence.getByText("helper").tagName).toBe("CODE");
  });
});

describe("suggested names", () => {
  beforeEach(() => localStorage.clear());

  it("are off by default and apply to the heading, code and call lists when on, marked, with the original in the tooltip", () => {
    const view = renderFn();
    expect(within(view).getByRole("heading", { level: 2 })).toHaveTextContent(/^check_password$/);
    let toggle: (on: boolean) => void = () => {};
    function Toggle() {
      toggle = useSuggestedNames()[1];
      return null;
    }
    renderWithStore(<Toggle />);
    act(() => toggle(true));
    expect(localStorage.getItem(SUGGESTED_NAMES_KEY)).toBe("on");
    const heading = within(view).getByRole("heading", { level: 2 });
    expect(heading).toHaveTextContent("is_secret_password");
    expect(within(heading).getByTitle("suggested name (by the model); original: check_password")).toHaveClass("suggested-name");
    const code = screen.getByLabelText("Pseudocode of check_password");
    expect(within(code).getByRole("link", { name: "Open function check_length at 0x401500" })).toHaveTextContent("check_length");
    expect(within(code).getByText("check_length")).toHaveAttribute("title", "suggested name (by the model); original: is_valid");
    const calls = within(screen.getByRole("heading", { name: "Calls" }).parentElement as HTMLElement);
    expect(calls.getAllByRole("link").map((a) => a.textContent)).toEqual(["trim_line", "helper", "check_length"]);
    const callers = within(screen.getByRole("heading", { name: "Called by" }).parentElement as HTMLElement);
    expect(callers.getByRole("link", { name: "Open function run_login_prompt at 0x4011c1" })).toBeVisible();
    act(() => toggle(false));
    expect(within(view).getByRole("heading", { level: 2 })).toHaveTextContent(/^check_password$/);
    expect(calls.getAllByRole("link").map((a) => a.textContent)).toEqual(["helper", "helper", "is_valid"]);
  });
});
