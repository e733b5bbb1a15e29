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
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000 - 5_000).toISOString();
const locked = makeProviderHealth({ name: "Old Gemini", provider_type: "gemini", model: "gemini-2.0-flash", key_status: "needs_reentry", health: "untested" });

interface HarnessProps {
  providers: ProviderHealth[];
  onChange: (v: string | null) => void;
  rechecking?: string[];
}

function Harness({ providers, onChange, rechecking = [] }: HarnessProps) {
  const [value, setValue] = useState<string | null>(defaultProviderId(providers));
  return (
    <ProviderSelector
      providers={providers}
      loading={false}
      recheckingIds={new Set(rechecking)}
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
      "The last check of “Claude (home)” (by a connection test) failed: The provider rejected the API key. The job may fail to explain anything; test it again first, or go on anyway.",
    );
  });

  it("shows how long ago each provider was checked, and nothing for an untested one", () => {
    const recent = makeProviderHealth({ name: "Recent", last_checked_at: minutesAgo(3) });
    const untested = makeProviderHealth({ name: "New", health: "untested", last_checked_at: null, checked_by: null });
    renderWithStore(<Harness providers={[recent, untested]} onChange={() => {}} />);
    expect(screen.getByText("checked 3 min ago")).toBeVisible();
    expect(screen.getByText("Not tested")).toBeVisible();
    expect(screen.getAllByText(/checked/)).toHaveLength(1);
  });

  it("keeps the last health of a provider being re-checked, marked as such", () => {
    const stale = makeProviderHealth({ name: "Stale", last_checked_at: minutesAgo(125), stale: true });
    const untested = makeProviderHealth({ name: "New", health: "untested", last_checked_at: null, checked_by: null });
    renderWithStore(<Harness providers={[stale, untested]} onChange={() => {}} rechecking={[stale.id, untested.id]} />);
    expect(screen.getByRole("radio", { name: /Stale/ })).toHaveAccessibleName(
      /Healthy checked 2 h ago · re-checking…$/,
    );
    expect(screen.getByRole("radio", { name: /New/ })).toHaveAccessibleName(/Not tested re-checking…$/);
  });

  it("says when an analysis job found the chosen provider failing", async () => {
    const byJob = makeProviderHealth({
      name: "Broken",
      health: "unhealthy",
      checked_by: "job",
      error_code: "auth_failed",
      message: "Every LLM call of analysis job 1a2b3c4d failed: bad key",
    });
    renderWithStore(<Harness providers={[byJob]} onChange={() => {}} />);
    expect(screen.getByRole("alert")).toHaveTextContent(
      "The last check of “Broken” (by an analysis job) failed: Every LLM call of analysis job 1a2b3c4d failed: bad key",
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
