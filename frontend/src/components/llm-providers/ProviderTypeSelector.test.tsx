import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it, vi } from "vitest";
import { PROVIDER_TYPES, typeInfo } from "../../test/providerTypes";
import { ProviderTypeSelector } from "./ProviderTypeSelector";

const user = userEvent.setup({ delay: null });

it("offers every type from /types with its description, by keyboard too", async () => {
  const onChange = vi.fn();
  const { rerender } = render(
    <ProviderTypeSelector types={PROVIDER_TYPES} value={null} onChange={onChange} />,
  );
  expect(screen.getByRole("group", { name: "Provider type" })).toBeVisible();
  const radios = screen.getAllByRole("radio");
  expect(radios.map((r) => r.getAttribute("aria-label"))).toEqual([
    "OpenAI",
    "Anthropic",
    "Google Gemini",
    "Ollama",
  ]);
  expect(screen.getByRole("radio", { name: "Ollama" })).toHaveAccessibleDescription(
    typeInfo("ollama").description,
  );

  await user.click(screen.getByRole("radio", { name: "Anthropic" }));
  expect(onChange).toHaveBeenLastCalledWith("anthropic");

  rerender(<ProviderTypeSelector types={PROVIDER_TYPES} value="anthropic" onChange={onChange} />);
  expect(screen.getByRole("radio", { name: "Anthropic" })).toBeChecked();
  await user.keyboard("{ArrowDown}");
  expect(onChange).toHaveBeenLastCalledWith("gemini");
});
