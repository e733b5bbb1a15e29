import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it, vi } from "vitest";
import { EmptyProvidersState } from "./EmptyProvidersState";

const user = userEvent.setup({ delay: null });

it("explains providers and offers to add the first one", async () => {
  const onAdd = vi.fn();
  render(<EmptyProvidersState onAdd={onAdd} />);
  expect(screen.getByRole("heading", { name: "No LLM providers yet" })).toBeVisible();
  expect(screen.getByText(/Your API key is encrypted on the server/)).toBeVisible();
  await user.click(screen.getByRole("button", { name: "Add your first provider" }));
  expect(onAdd).toHaveBeenCalledTimes(1);
});
