import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { CHECK_PASSWORD_EXPLAINED } from "../../test/jobFixtures";
import { renderWithStore } from "../../test/render";
import { FunctionExplanationPanel } from "./FunctionExplanationPanel";

const UNVERIFIED = [
  'callee "main" (elsewhere in the binary, not in this function): reads the password',
  'string "r00t" (not in the binary): the compared constant',
];

function renderPanel(grounding: typeof CHECK_PASSWORD_EXPLAINED.grounding) {
  renderWithStore(
    <FunctionExplanationPanel
      result={{ ...CHECK_PASSWORD_EXPLAINED, grounding }}
      decompileOnly={false}
      onEvidenceAddress={() => undefined}
    />,
  );
  return screen.getByLabelText("Explanation");
}

describe("GroundingChip", () => {
  it("shows the share of claims found in the function and lists the unverified ones on demand", async () => {
    const panel = renderPanel({ score: 3 / 5, grounded: 3, total: 5, unverified: UNVERIFIED });
    const chip = within(panel).getByRole("button", { name: "grounded 60% (3 of 5 claims)" });
    expect(chip).toHaveAttribute("aria-expanded", "false");
    expect(within(panel).queryByRole("list", { name: "Unverified claims" })).toBeNull();

    await userEvent.click(chip);
    expect(chip).toHaveAttribute("aria-expanded", "true");
    const list = within(panel).getByRole("list", { name: "Unverified claims" });
    expect(within(list).getAllByRole("listitem").map((item) => item.textContent)).toEqual(UNVERIFIED);

    await userEvent.click(chip);
    expect(within(panel).queryByRole("list", { name: "Unverified claims" })).toBeNull();
  });

  it("is a plain chip when every claim is grounded", () => {
    const panel = renderPanel({ score: 1, grounded: 2, total: 2, unverified: [] });
    expect(within(panel).getByText("grounded 100% (2 of 2 claims)")).toBeVisible();
    expect(within(panel).queryByRole("button", { name: /grounded/ })).toBeNull();
  });

  it("says when the explanation cited no evidence", () => {
    renderPanel({ score: 0, grounded: 0, total: 0, unverified: [] });
    expect(screen.getByText("grounding: no evidence cited")).toBeVisible();
  });

  it("is absent for an explanation without a grounding (an older result)", () => {
    const panel = renderPanel(null);
    expect(within(panel).queryByText(/grounded|grounding/)).toBeNull();
  });
});
