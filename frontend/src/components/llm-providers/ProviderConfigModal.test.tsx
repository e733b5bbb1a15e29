import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createModalOpened, editModalOpened } from "../../store/slices/userLLMProvidersSlice";
import { FakeServer, makeProvider } from "../../test/fakeServer";
import { everythingKept, renderWithStore } from "../../test/render";
import { ProviderConfigModal } from "./ProviderConfigModal";

const user = userEvent.setup({ delay: null });

const KEY = "sk-proj-SECRET-abcd1234";
let server: FakeServer;

beforeEach(() => {
  server = new FakeServer().install();
});
afterEach(() => vi.unstubAllGlobals());

async function openCreate(onSaved = vi.fn()) {
  const view = renderWithStore(<ProviderConfigModal onSaved={onSaved} />);
  view.store.dispatch(createModalOpened());
  const dialog = await screen.findByRole("dialog", { name: "Add a provider" });
  return { ...view, dialog, onSaved };
}

describe("ProviderConfigModal: create", () => {
  it("validates as the user types and refuses to send an incomplete form", async () => {
    const { dialog } = await openCreate();
    await user.click(await within(dialog).findByRole("radio", { name: "Ollama" }));
    const name = within(dialog).getByRole("textbox", { name: "Name" });
    await user.type(name, "x");
    await user.clear(name);
    expect(within(dialog).getByText("Give the provider a name.")).toBeVisible();
    const endpoint = within(dialog).getByRole("textbox", { name: "Endpoint URL" });
    await user.type(endpoint, "localhost:11434");
    expect(
      within(dialog).getByText("Enter a full http:// or https:// URL, for example http://127.0.0.1:11434."),
    ).toBeVisible();
    await user.click(within(dialog).getByRole("button", { name: "Add provider" }));
    expect(server.requests.filter((r) => r.method === "POST")).toEqual([]);
  });

  it("creates a provider, reports the server's notices, and never keeps the key in Redux or storage", async () => {
    const { dialog, onSaved, store, actions } = await openCreate();
    await user.click(await within(dialog).findByRole("radio", { name: "OpenAI" }));
    await user.type(within(dialog).getByRole("textbox", { name: "Name" }), "Local llama.cpp");
    await user.type(within(dialog).getByLabelText(/^API key/), KEY);
    await user.type(
      within(dialog).getByRole("textbox", { name: "Endpoint URL" }),
      "http://127.0.0.1:8080/v1/",
    );
    await user.click(within(dialog).getByRole("button", { name: "Add provider" }));

    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(onSaved.mock.calls[0][0]).toMatchObject({
      name: "Local llama.cpp",
      api_key_hint: "1234",
      notices: ["endpoint_url: removed the trailing slash", "endpoint_url stored as http://127.0.0.1:8080/v1"],
    });
    const sent = server.requests.find((r) => r.method === "POST");
    expect(JSON.parse(sent!.body)).toEqual({
      name: "Local llama.cpp",
      provider_type: "openai",
      endpoint_url: "http://127.0.0.1:8080/v1/",
      default_model: null,
      api_key: KEY,
    });
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(everythingKept(store, actions)).not.toContain("SECRET");
  });

  it("puts a taken name on the name field and clears the sent key", async () => {
    server.providers = [makeProvider({ name: "Work" })];
    const { dialog, store, actions } = await openCreate();
    await user.click(await within(dialog).findByRole("radio", { name: "Anthropic" }));
    await user.type(within(dialog).getByRole("textbox", { name: "Name" }), "Work ");
    expect(within(dialog).getByText("A provider named “Work” already exists.")).toBeVisible();

    // The list may be stale: a name taken meanwhile comes back as 409 on the same field.
    server.providers = [makeProvider({ name: "Other" })];
    await user.clear(within(dialog).getByRole("textbox", { name: "Name" }));
    await user.type(within(dialog).getByRole("textbox", { name: "Name" }), "Claude");
    server.providers.push(makeProvider({ name: "Claude" }));
    await user.type(within(dialog).getByLabelText(/^API key/), KEY);
    await user.click(within(dialog).getByRole("button", { name: "Add provider" }));

    expect(await within(dialog).findByText("A provider named 'Claude' already exists; choose another name.")).toBeVisible();
    expect(within(dialog).getByRole("textbox", { name: "Name" })).toHaveAttribute("aria-invalid", "true");
    expect(within(dialog).getByLabelText(/^API key/)).toHaveValue("");
    expect(within(dialog).getByText(/the API key was cleared after sending/)).toBeVisible();
    expect(everythingKept(store, actions)).not.toContain("SECRET");
  });

  it("shows a rejected endpoint URL on its field", async () => {
    const { dialog } = await openCreate();
    await user.click(await within(dialog).findByRole("radio", { name: "Ollama" }));
    await user.type(within(dialog).getByRole("textbox", { name: "Name" }), "Ollama box");
    await user.type(within(dialog).getByRole("textbox", { name: "Endpoint URL" }), "http://bad-host:11434");
    await user.click(within(dialog).getByRole("button", { name: "Add provider" }));
    expect(await within(dialog).findByText("endpoint_url: the host does not resolve.")).toBeVisible();
    expect(within(dialog).getByRole("textbox", { name: "Endpoint URL" })).toHaveAttribute("aria-invalid", "true");
  });
});

describe("ProviderConfigModal: edit", () => {
  it("sends only what changed and keeps the stored key when none is typed", async () => {
    const provider = makeProvider({ name: "Work", api_key_hint: "x9Qz" });
    server.providers = [provider];
    const onSaved = vi.fn();
    const { store } = renderWithStore(<ProviderConfigModal onSaved={onSaved} />);
    store.dispatch(editModalOpened(provider.id));
    const dialog = await screen.findByRole("dialog", { name: "Edit “Work”" });
    expect(within(dialog).queryByRole("radio")).not.toBeInTheDocument();
    expect(within(dialog).getByText(/ends in …x9Qz/)).toBeVisible();
    const name = within(dialog).getByRole("textbox", { name: "Name" });
    await user.clear(name);
    await user.type(name, "Work (renamed)");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    const put = server.requests.find((r) => r.method === "PUT");
    expect(put?.path).toBe(`/api/v1/user-llm-providers/${provider.id}`);
    expect(JSON.parse(put!.body)).toEqual({ name: "Work (renamed)" });
  });

  it("replaces the key when a new one is typed", async () => {
    const provider = makeProvider({ name: "Work", key_status: "needs_reentry" });
    server.providers = [provider];
    const { store, actions } = renderWithStore(<ProviderConfigModal onSaved={vi.fn()} />);
    store.dispatch(editModalOpened(provider.id));
    const dialog = await screen.findByRole("dialog", { name: "Edit “Work”" });
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    expect(within(dialog).getByText("OpenAI needs an API key.")).toBeVisible();
    await user.type(within(dialog).getByLabelText(/^API key/), KEY);
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(server.requests.some((r) => r.method === "PUT")).toBe(true));
    expect(JSON.parse(server.requests.find((r) => r.method === "PUT")!.body)).toEqual({ api_key: KEY });
    expect(everythingKept(store, actions)).not.toContain("SECRET");
  });
});
