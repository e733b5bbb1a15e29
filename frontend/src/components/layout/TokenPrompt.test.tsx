import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { FakeServer } from "../../test/fakeServer";
import { renderWithStore } from "../../test/render";
import { HealthIndicator } from "./HealthIndicator";
import { TokenPrompt } from "./TokenPrompt";

const user = userEvent.setup({ delay: null });
let server: FakeServer;

beforeEach(() => {
  server = new FakeServer().install();
});
afterEach(() => vi.unstubAllGlobals());

it("shows the service health", async () => {
  renderWithStore(<HealthIndicator />);
  expect(await screen.findByText("Service ok · v0.1.0 · sqlite")).toBeVisible();
});

it("asks for the token after a 401, sends it as a bearer token, and keeps it out of storage", async () => {
  server.token = "tok-SECRET-42";
  renderWithStore(
    <>
      <HealthIndicator />
      <TokenPrompt />
    </>,
  );
  const dialog = await screen.findByRole("dialog", { name: "Access token required" });
  await user.type(within(dialog).getByLabelText(/Access token/), "tok-SECRET-42");
  await user.click(within(dialog).getByRole("button", { name: "Continue" }));
  expect(await screen.findByText("Service ok · v0.1.0 · sqlite")).toBeVisible();
  await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  expect(server.requests.at(-1)?.authorization).toBe("Bearer tok-SECRET-42");
  expect(JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })).not.toContain("SECRET");
});
