import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createModalOpened, editModalOpened } from "../../store/slices/userLLMProvidersSlice";
import { FakeServer, makeProvider } from "../../test/fakeServer";
import { typeInfo } from "../../test/providerTypes";
import { renderWithStore } from "../../test/render";
import type { UserLLMProvider } from "../../types/UserLLMProvider.types";
import { ProviderConfigModal } from "./ProviderConfigModal";

const user = userEvent.setup({ delay: null });
let server: FakeServer;

beforeEach(() => {
  server = new FakeServer().install();
});
afterEach(() => vi.unstubAllGlobals());

async function openCreateOllama() {
  const onSaved = vi.fn();
  const { store } = renderWithStore(<ProviderConfigModal onSaved={onSaved} />);
  store.dispatch(createModalOpened());
  const dialog = await screen.findByRole("dialog", { name: "Add a provider" });
  await user.click(await within(dialog).findByRole("radio", { name: "Ollama" }));
  await user.type(within(dialog).getByRole("textbox", { name: "Name" }), "Ollama box");
  await user.type(within(dialog).getByRole("textbox", { name: "Endpoint URL" }), "http://127.0.0.1:11434");
  return { dialog, onSaved };
}

async function openEdit(provider: UserLLMProvider) {
  server.providers = [provider];
  const onSaved = vi.fn();
  const { store } = renderWithStore(<ProviderConfigModal onSaved={onSaved} />);
  store.dispatch(editModalOpened(provider.id));
  const dialog = await screen.findByRole("dialog", { name: `Edit “${provider.name}”` });
  return { dialog, onSaved };
}

const field = (dialog: HTMLElement, name: string) => within(dialog).getByRole("textbox", { name });
const sent = (method: string) => {
  const request = server.requests.find((r) => r.method === method);
  return request ? JSON.parse(request.body) : undefined;
};

describe("provider form: advanced options", () => {
  it("starts collapsed, explains each default and range, and sends the options as numbers", async () => {
    const { dialog, onSaved } = await openCreateOllama();
    const toggle = within(dialog).getByRole("button", { name: "Advanced (defaults in use)" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(within(dialog).queryByRole("textbox", { name: "Parallel requests" })).not.toBeInTheDocument();

    await user.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    expect(field(dialog, "Parallel requests")).toHaveAccessibleDescription(
      "Requests sent at once during one analysis, 1 to 64. Empty uses 4.",
    );
    expect(field(dialog, "Request timeout (s)")).toHaveAccessibleDescription(
      "Seconds to wait for each answer, 1 to 3600. Empty uses 300.",
    );
    expect(field(dialog, "Context window (tokens)")).toHaveAccessibleDescription(
      "The model's context window; prompts are split to fit it. 2048 to 10000000. Empty assumes 16384.",
    );
    await user.type(field(dialog, "Parallel requests"), "2");
    await user.type(field(dialog, "Context window (tokens)"), " 32768 ");
    expect(within(dialog).getByRole("button", { name: "Advanced (2 of 6 set)" })).toBeVisible();
    await user.click(within(dialog).getByRole("button", { name: "Add provider" }));

    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(sent("POST")).toEqual({
      name: "Ollama box",
      provider_type: "ollama",
      endpoint_url: "http://127.0.0.1:11434",
      default_model: null,
      config: { max_concurrency: 2, context_tokens: 32768 },
    });
  });

  it("shows out-of-range values on their field and keeps the form from being sent", async () => {
    const { dialog } = await openCreateOllama();
    await user.click(within(dialog).getByRole("button", { name: /^Advanced/ }));
    const submit = within(dialog).getByRole("button", { name: "Add provider" });

    const cases: [string, string, string][] = [
      ["Parallel requests", "0", "Enter a whole number from 1 to 64, or leave it empty for the default."],
      ["Parallel requests", "65", "Enter a whole number from 1 to 64, or leave it empty for the default."],
      ["Request timeout (s)", "1.5", "Enter a whole number from 1 to 3600, or leave it empty for the default."],
      ["Request timeout (s)", "3601", "Enter a whole number from 1 to 3600, or leave it empty for the default."],
      ["Context window (tokens)", "2047", "Enter a whole number from 2048 to 10000000, or leave it empty for the default."],
      ["Context window (tokens)", "8k", "Enter a whole number from 2048 to 10000000, or leave it empty for the default."],
    ];
    for (const [label, text, message] of cases) {
      await user.clear(field(dialog, label));
      await user.type(field(dialog, label), text);
      expect(field(dialog, label)).toHaveAttribute("aria-invalid", "true");
      expect(field(dialog, label)).toHaveAccessibleDescription(message);
      expect(submit).toBeDisabled();
      await user.clear(field(dialog, label));
      expect(field(dialog, label)).toHaveAttribute("aria-invalid", "false");
    }
    expect(submit).toBeEnabled();
    await user.type(field(dialog, "Parallel requests"), "64");
    await user.type(field(dialog, "Context window (tokens)"), "10000000");
    await user.type(field(dialog, "Request timeout (s)"), "0");
    // An error keeps the section open: collapsing it would hide the reason the form is blocked.
    const toggle = within(dialog).getByRole("button", { name: /^Advanced/ });
    await user.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    expect(field(dialog, "Request timeout (s)")).toBeVisible();
    expect(submit).toBeDisabled();
    expect(server.requests.filter((r) => r.method === "POST")).toEqual([]);
  });

  it("edits the stored options and keeps the config keys the form does not know", async () => {
    const provider = makeProvider({
      name: "Work",
      config: { max_concurrency: 8, timeout_s: null, context_tokens: 65536, temperature: 0.2 } as UserLLMProvider["config"],
    });
    const { dialog, onSaved } = await openEdit(provider);
    await user.click(within(dialog).getByRole("button", { name: "Advanced (2 of 6 set)" }));
    expect(field(dialog, "Parallel requests")).toHaveValue("8");
    expect(field(dialog, "Request timeout (s)")).toHaveValue("");
    expect(field(dialog, "Context window (tokens)")).toHaveValue("65536");
    expect(field(dialog, "Request timeout (s)")).toHaveAccessibleDescription(
      "Seconds to wait for each answer, 1 to 3600. Empty uses 120.",
    );

    await user.type(field(dialog, "Request timeout (s)"), "45");
    await user.clear(field(dialog, "Context window (tokens)"));
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(sent("PUT")).toEqual({ config: { max_concurrency: 8, timeout_s: 45, temperature: 0.2 } });
  });

  it("takes a thinking budget and the provider's own prices, both prices or neither", async () => {
    const { dialog, onSaved } = await openCreateOllama();
    await user.click(within(dialog).getByRole("button", { name: /^Advanced/ }));
    expect(field(dialog, "Thinking budget (tokens)")).toHaveAccessibleDescription(
      "0 turns thinking off on thinking models; any other number turns it on and leaves that many tokens for it. Empty: on, with 4096 tokens of room.",
    );
    const submit = within(dialog).getByRole("button", { name: "Add provider" });
    await user.type(field(dialog, "Input price (USD per million tokens)"), "0.25");
    expect(field(dialog, "Output price (USD per million tokens)")).toHaveAccessibleDescription(
      "Set both prices, or neither.",
    );
    expect(submit).toBeDisabled();
    await user.type(field(dialog, "Output price (USD per million tokens)"), "1.5x");
    expect(field(dialog, "Output price (USD per million tokens)")).toHaveAccessibleDescription(
      "Enter a number from 0 to 10000, or leave it empty for the default.",
    );
    await user.type(field(dialog, "Output price (USD per million tokens)"), "{Backspace}");
    await user.type(field(dialog, "Thinking budget (tokens)"), "0");
    expect(submit).toBeEnabled();
    await user.click(submit);

    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(sent("POST").config).toEqual({ thinking_budget: 0, input_usd_per_mtok: 0.25, output_usd_per_mtok: 1.5 });
  });

  it("offers no thinking budget for OpenAI providers", async () => {
    const { dialog } = await openEdit(makeProvider({ name: "Work" }));
    await user.click(within(dialog).getByRole("button", { name: /^Advanced/ }));
    expect(within(dialog).queryByRole("textbox", { name: "Thinking budget (tokens)" })).not.toBeInTheDocument();
    expect(field(dialog, "Input price (USD per million tokens)")).toBeVisible();
  });

  it("offers OpenAI's reasoning effort as a choice, sent only when picked", async () => {
    const provider = makeProvider({
      name: "Work",
      config: { max_concurrency: 8 } as UserLLMProvider["config"],
    });
    const { dialog, onSaved } = await openEdit(provider);
    await user.click(within(dialog).getByRole("button", { name: "Advanced (1 of 6 set)" }));
    const effort = within(dialog).getByRole("combobox", { name: "Reasoning effort" });
    expect(effort).toHaveAccessibleDescription(
      "How much OpenAI reasoning models (gpt-5, o-series) think before answering. Empty uses low " +
        "for them and sends nothing to other models.",
    );
    await user.click(effort);
    const listbox = await screen.findByRole("listbox");
    expect(within(listbox).getAllByRole("option").map((o) => o.textContent)).toEqual([
      "default", "none", "minimal", "low", "medium", "high", "xhigh",
    ]);
    await user.click(within(listbox).getByRole("option", { name: "high" }));
    expect(within(dialog).getByRole("button", { name: "Advanced (2 of 6 set)" })).toBeVisible();
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(sent("PUT")).toEqual({ config: { max_concurrency: 8, reasoning_effort: "high" } });
  });

  it("shows no reasoning effort for types it does not apply to", async () => {
    const { dialog } = await openCreateOllama();
    await user.click(within(dialog).getByRole("button", { name: "Advanced (defaults in use)" }));
    expect(within(dialog).queryByRole("combobox", { name: "Reasoning effort" })).not.toBeInTheDocument();
  });

  it("leaves the stored config alone when no option changed", async () => {
    const provider = makeProvider({
      name: "Work",
      config: { max_concurrency: 8, temperature: 0.2 } as UserLLMProvider["config"],
    });
    const { dialog, onSaved } = await openEdit(provider);
    await user.click(within(dialog).getByRole("button", { name: /^Advanced/ }));
    await user.clear(field(dialog, "Parallel requests"));
    await user.type(field(dialog, "Parallel requests"), "08");
    await user.type(field(dialog, "Name"), " 2");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(sent("PUT")).toEqual({ name: "Work 2" });
  });

  it("puts the server's invalid_provider_config on the option it names", async () => {
    const { dialog } = await openCreateOllama();
    await user.click(within(dialog).getByRole("button", { name: /^Advanced/ }));
    await user.type(field(dialog, "Context window (tokens)"), "4096");
    await user.click(within(dialog).getByRole("button", { name: /^Advanced/ }));
    server.refuseNextWrite = {
      status: 422,
      code: "invalid_provider_config",
      message: "context_tokens must be an integer from 2048 to 10000000 (the model's context window in tokens).",
      details: {
        fields: [{ field: "config.context_tokens", message: "too small", type: "invalid_provider_config" }],
      },
    };
    await user.click(within(dialog).getByRole("button", { name: "Add provider" }));

    const context = await within(dialog).findByRole("textbox", { name: "Context window (tokens)" });
    await waitFor(() => expect(context).toHaveAttribute("aria-invalid", "true"));
    expect(context).toHaveAccessibleDescription(
      "context_tokens must be an integer from 2048 to 10000000 (the model's context window in tokens).",
    );
    expect(context).toBeVisible();
    expect(within(dialog).queryByRole("alert")).not.toBeInTheDocument();
    await user.type(context, "0");
    expect(context).toHaveAttribute("aria-invalid", "false");
  });

  it("puts a 422 validation_error about config.timeout_s on the timeout field", async () => {
    const provider = makeProvider({ name: "Work" });
    const { dialog } = await openEdit(provider);
    await user.click(within(dialog).getByRole("button", { name: /^Advanced/ }));
    await user.type(field(dialog, "Request timeout (s)"), "30");
    server.refuseNextWrite = {
      status: 422,
      code: "validation_error",
      message: "Invalid config.timeout_s: Input should be less than or equal to 20",
      details: { fields: [{ field: "config.timeout_s", message: "too big", type: "less_than_equal" }] },
    };
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    const timeout = field(dialog, "Request timeout (s)");
    await waitFor(() => expect(timeout).toHaveAttribute("aria-invalid", "true"));
    expect(timeout).toHaveAccessibleDescription("Invalid config.timeout_s: Input should be less than or equal to 20");
    expect(sent("PUT")).toEqual({ config: { timeout_s: 30 } });
  });

  it("takes each range, default and choice from the type's options in /types, not from a copy", async () => {
    const ollama = typeInfo("ollama");
    const timeout = ollama.options.find((o) => o.key === "timeout_s");
    if (!timeout) throw new Error("no timeout_s option");
    const saved = { ...timeout };
    Object.assign(timeout, { minimum: 5, maximum: 7200, default: 900 });
    try {
      const { dialog, onSaved } = await openCreateOllama();
      await user.click(within(dialog).getByRole("button", { name: /^Advanced/ }));
      expect(field(dialog, "Request timeout (s)")).toHaveAccessibleDescription(
        "Seconds to wait for each answer, 5 to 7200. Empty uses 900.",
      );
      await user.type(field(dialog, "Request timeout (s)"), "4");
      expect(field(dialog, "Request timeout (s)")).toHaveAccessibleDescription(
        "Enter a whole number from 5 to 7200, or leave it empty for the default.",
      );
      await user.clear(field(dialog, "Request timeout (s)"));
      await user.type(field(dialog, "Request timeout (s)"), "7200");
      expect(field(dialog, "Request timeout (s)")).toHaveAttribute("aria-invalid", "false");
      await user.click(within(dialog).getByRole("button", { name: "Add provider" }));
      await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
      expect(sent("POST").config).toEqual({ timeout_s: 7200 });
    } finally {
      Object.assign(timeout, saved);
    }
  });
});
