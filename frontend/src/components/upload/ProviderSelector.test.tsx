import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { makeProviderHealth } from "../../test/jobFixtures";
import { renderWithStore } from "../../test/render";
import type { ProviderHealth } from "../../types/Job.types";
import { ProviderSelector, defaultProviderId } from "./ProviderSelector";

const healthy = makeProviderHealth({ name: "Local OpenAI" });
const failing = makeProviderHealth({
  name: "Claude (home)",
  provider_type: "anthropic",
  model: "claude-3-5-haiku-latest",
  health: "unhealthy",
  error_code: "auth_failed",
  message: "The provider rejected the API key.",
});
const locked = makeProviderHealth({ name: "Old Gemini", provider_type: "gemini", model: "gemini-2.0-flash", key_status: "needs_reentry", health: "untested" });

function Harness({ providers, onChange }: { providers: ProviderHealth[]; onChange: (v: string | null) => void }) {
  const [value, setValue] = useState<string | null>(defaultProviderId(providers));
  return (
    <ProviderSelector
      providers={providers}
      loading={false}
      value={value}
      onChange={(v) => {
        setValue(v);
        onChange(v);
      }}
    />
  );
}

describe("ProviderSelector", () => {
  it("lists providers with their health and preselects the healthy one", () => {
    renderWithStore(<Harness providers={[failing, healthy, locked]} onChange={() => {}} />);
    expect(screen.getByRole("radio", { name: /Local OpenAI/ })).toBeChecked();
    expect(screen.getByText("Healthy")).toBeVisible();
    expect(screen.getByText("Unhealthy: auth_failed")).toBeVisible();
    expect(screen.getByText("Key needs re-entry")).toBeVisible();
    expect(screen.getByText("openai · gpt-4.1-mini")).toBeVisible();
    expect(screen.getByRole("radio", { name: /Old Gemini/ })).toBeDisabled();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("lets an unhealthy provider be chosen, with a warning that quotes its last test", async () => {
    const onChange = vi.fn();
    renderWithStore(<Harness providers={[healthy, failing]} onChange={onChange} />);
    await userEvent.click(screen.getByRole("radio", { name: /Claude \(home\)/ }));
    expect(onChange).toHaveBeenLastCalledWith(failing.id);
    expect(screen.getByRole("radio", { name: /Claude \(home\)/ })).toBeChecked();
    expect(screen.getByRole("alert")).toHaveTextContent(
      "The last connection test of “Claude (home)” failed: The provider rejected the API key. The job may fail to explain anything; test it again first, or go on anyway.",
    );
  });

  it("offers decompile only, which reports null", async () => {
    const onChange = vi.fn();
    renderWithStore(<Harness providers={[healthy]} onChange={onChange} />);
    await userEvent.click(screen.getByRole("radio", { name: "Decompile only (no LLM, no explanations)" }));
    expect(onChange).toHaveBeenLastCalledWith(null);
    expect(screen.getByRole("radio", { name: /Local OpenAI/ })).not.toBeChecked();
  });

  it("links an empty list to the providers page and defaults to decompile only", () => {
    renderWithStore(<Harness providers={[]} onChange={() => {}} />);
    expect(screen.getByRole("link", { name: "Add a provider" })).toHaveAttribute("href", "/providers");
    expect(screen.getByRole("radio", { name: "Decompile only (no LLM, no explanations)" })).toBeChecked();
  });

  it("never preselects a provider whose key must be re-entered", () => {
    expect(defaultProviderId([locked])).toBeNull();
    expect(defaultProviderId([locked, failing])).toBe(failing.id);
    expect(defaultProviderId([failing, healthy])).toBe(healthy.id);
  });
});
