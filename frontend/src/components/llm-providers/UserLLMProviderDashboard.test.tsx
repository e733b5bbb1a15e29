import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { FakeServer, makeProvider } from "../../test/fakeServer";
import { renderWithStore } from "../../test/render";
import { UserLLMProviderDashboard } from "./UserLLMProviderDashboard";

const user = userEvent.setup({ delay: null });
let server: FakeServer;

beforeEach(() => {
  server = new FakeServer().install();
});
afterEach(() => vi.unstubAllGlobals());

it("starts empty, adds a provider, and shows it with the server's notices", async () => {
  renderWithStore(<UserLLMProviderDashboard />);
  await user.click(await screen.findByRole("button", { name: "Add your first provider" }));
  const dialog = await screen.findByRole("dialog", { name: "Add a provider" });
  await user.click(await within(dialog).findByRole("radio", { name: "Ollama" }));
  await user.type(within(dialog).getByRole("textbox", { name: "Name" }), "Home Ollama");
  await user.type(within(dialog).getByRole("textbox", { name: "Endpoint URL" }), "http://127.0.0.1:11434/");
  await user.click(within(dialog).getByRole("button", { name: "Add provider" }));

  expect(await screen.findByRole("article", { name: "Home Ollama" })).toBeVisible();
  const saved = screen.getByText("Saved “Home Ollama”").closest("[role=status]") as HTMLElement;
  expect(within(saved).getByText("endpoint_url stored as http://127.0.0.1:11434")).toBeVisible();
  expect(screen.queryByText("No LLM providers yet")).not.toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Add provider" })).toBeVisible();
});

it("lists every provider as a card", async () => {
  server.providers = [makeProvider({ name: "Work" }), makeProvider({ name: "Home", provider_type: "ollama" })];
  renderWithStore(<UserLLMProviderDashboard />);
  expect(await screen.findByRole("article", { name: "Work" })).toBeVisible();
  expect(screen.getByRole("article", { name: "Home" })).toBeVisible();
});

it("edits a provider from its card", async () => {
  server.providers = [makeProvider({ name: "Work" })];
  renderWithStore(<UserLLMProviderDashboard />);
  await user.click(await screen.findByRole("button", { name: "Edit Work" }));
  const dialog = await screen.findByRole("dialog", { name: "Edit “Work”" });
  const name = within(dialog).getByRole("textbox", { name: "Name" });
  await user.clear(name);
  await user.type(name, "Work 2");
  await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
  expect(await screen.findByRole("article", { name: "Work 2" })).toBeVisible();
  await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
});

it("says why the list could not load", async () => {
  vi.mocked(fetch).mockImplementation(async () =>
    new Response(JSON.stringify({ code: "config_error", message: "Database unavailable.", details: null }), {
      status: 500,
      headers: { "content-type": "application/json" },
    }),
  );
  renderWithStore(<UserLLMProviderDashboard />);
  expect(await screen.findByText("Could not load providers (config_error)")).toBeVisible();
  expect(screen.getByText("Database unavailable.")).toBeVisible();
});
