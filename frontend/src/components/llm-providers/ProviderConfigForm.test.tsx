import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { makeProvider } from "../../test/fakeServer";
import { typeInfo } from "../../test/providerTypes";
import type { UserLLMProvider } from "../../types/UserLLMProvider.types";
import { ProviderConfigForm } from "./ProviderConfigForm";
import { EMPTY_VALUES } from "./providerFormRules";

const user = userEvent.setup({ delay: null });

function Harness({ type, provider = null, models = [] }: { type: string; provider?: UserLLMProvider | null; models?: string[] }) {
  const [values, setValues] = useState(EMPTY_VALUES);
  return (
    <ProviderConfigForm
      typeInfo={typeInfo(type)}
      values={values}
      errors={{}}
      onChange={(f, v) => setValues((old) => ({ ...old, [f]: v }))}
      onBlur={vi.fn()}
      provider={provider}
      modelSuggestions={models}
    />
  );
}

describe("ProviderConfigForm", () => {
  it("asks OpenAI for a required key and an optional endpoint", () => {
    render(<Harness type="openai" />);
    expect(screen.getByRole("textbox", { name: "Name" })).toBeRequired();
    expect(screen.getByLabelText(/^API key/)).toBeRequired();
    expect(screen.getByRole("textbox", { name: "Endpoint URL" })).not.toBeRequired();
    expect(screen.getByText(typeInfo("openai").endpoint_help)).toBeVisible();
  });

  it("requires Ollama's endpoint URL and makes its key optional", () => {
    render(<Harness type="ollama" />);
    expect(screen.getByRole("textbox", { name: "Endpoint URL" })).toBeRequired();
    expect(screen.getByLabelText(/^API key/)).not.toBeRequired();
    expect(screen.getByRole("textbox", { name: "Endpoint URL" })).toHaveAttribute(
      "placeholder",
      "http://127.0.0.1:11434",
    );
  });

  it("hides the key by default, never autofills or spell-checks it, and shows it on demand", async () => {
    render(<Harness type="openai" />);
    const key = screen.getByLabelText(/^API key/);
    expect(key).toHaveAttribute("type", "password");
    expect(key).toHaveAttribute("autocomplete", "new-password");
    expect(key).toHaveAttribute("spellcheck", "false");
    await user.type(key, "sk-test-1234");
    await user.click(screen.getByRole("button", { name: "Show API key" }));
    expect(key).toHaveAttribute("type", "text");
    expect(key).toHaveValue("sk-test-1234");
    await user.click(screen.getByRole("button", { name: "Hide API key" }));
    expect(key).toHaveAttribute("type", "password");
  });

  it("shows the stored key's hint when editing and says an empty field keeps it", () => {
    render(<Harness type="openai" provider={makeProvider({ api_key_hint: "x9Qz" })} />);
    expect(
      screen.getByText("A key is stored (ends in …x9Qz). Leave empty to keep it, or type a new one to replace it."),
    ).toBeVisible();
    expect(screen.getByLabelText(/^API key/)).not.toBeRequired();
  });

  it("asks again for a key the server can no longer decrypt", () => {
    render(<Harness type="openai" provider={makeProvider({ key_status: "needs_reentry" })} />);
    expect(screen.getByText(/can no longer be decrypted on the server: enter it again/)).toBeVisible();
    expect(screen.getByLabelText(/^API key/)).toBeRequired();
  });

  it("suggests the models a test listed", async () => {
    render(<Harness type="openai" models={["gpt-4.1-mini", "gpt-4o"]} />);
    const model = screen.getByRole("combobox", { name: "Default model" });
    await user.click(model);
    expect(screen.getByRole("option", { name: "gpt-4o" })).toBeVisible();
    await user.click(screen.getByRole("option", { name: "gpt-4o" }));
    expect(model).toHaveValue("gpt-4o");
  });
});
