import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { Route, Routes } from "react-router-dom";
import { renderWithStore } from "../../test/render";
import { TokensPage } from "../../pages/TokensPage";
import type { ApiToken, AuthSession } from "../../types/Auth.types";
import { AuthGate } from "./AuthGate";
import { UserMenu } from "./UserMenu";

const user = userEvent.setup({ delay: null });
const json = (status: number, body: unknown) =>
  new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** A server with one user `alice` (password `correct horse battery`) and her tokens. */
class FakeAuthServer {
  signedIn = false;
  tokens: ApiToken[] = [];
  requests: string[] = [];

  session(): AuthSession {
    return {
      mode: "accounts",
      user: this.signedIn ? { id: "u-1", name: "alice", role: "admin", via: "session" } : null,
    };
  }

  install() {
    vi.stubGlobal("fetch", vi.fn((request: Request) => this.handle(request)));
    return this;
  }

  private async handle(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname.replace(/^\/api\/v1/, "");
    const body = request.method === "POST" ? await request.text() : "";
    this.requests.push(`${request.method} ${path}`);
    if (path === "/auth/session") return json(200, this.session());
    if (path === "/auth/login") {
      const { name, password } = JSON.parse(body) as { name: string; password: string };
      if (name !== "alice" || password !== "correct horse battery") {
        return json(401, { code: "invalid_credentials", message: "Wrong user name or password.", details: null });
      }
      this.signedIn = true;
      return json(200, this.session());
    }
    if (path === "/auth/logout") {
      this.signedIn = false;
      return json(204, null);
    }
    if (!this.signedIn) return json(401, { code: "unauthorized", message: "Sign in first.", details: null });
    if (path === "/auth/tokens" && request.method === "GET") return json(200, { data: this.tokens, count: this.tokens.length });
    if (path === "/auth/tokens") {
      const { name } = JSON.parse(body) as { name: string };
      const token: ApiToken = { id: `t-${this.tokens.length}`, name, token_hint: "bst_AbCd", created_at: "2026-12-01T10:00:00Z", last_used_at: null };
      this.tokens.unshift(token);
      return json(201, { ...token, token: "bst_AbCdSECRETVALUE" });
    }
    const revoked = path.match(/^\/auth\/tokens\/(.+)$/);
    if (revoked && request.method === "DELETE") {
      this.tokens = this.tokens.filter((t) => t.id !== revoked[1]);
      return json(204, null);
    }
    return json(200, { data: [], count: 0 });
  }
}

let server: FakeAuthServer;
beforeEach(() => {
  server = new FakeAuthServer().install();
});
afterEach(() => vi.unstubAllGlobals());

function App() {
  return (
    <>
      <UserMenu />
      <AuthGate>
        <Routes>
          <Route path="/tokens" element={<TokensPage />} />
        </Routes>
      </AuthGate>
    </>
  );
}

it("shows the sign-in form, the server's error, then the page once signed in; signs out", async () => {
  renderWithStore(<App />, { route: "/tokens" });
  const form = await screen.findByRole("form", { name: "Sign in to binscribe" });
  await user.type(within(form).getByLabelText(/User name/), "alice");
  await user.type(within(form).getByLabelText(/Password/), "wrong password!");
  await user.click(within(form).getByRole("button", { name: "Sign in" }));
  expect(await screen.findByText("Wrong user name or password.")).toBeVisible();
  expect(within(form).getByLabelText(/Password/)).toHaveValue("");

  await user.type(within(form).getByLabelText(/Password/), "correct horse battery");
  await user.click(within(form).getByRole("button", { name: "Sign in" }));
  expect(await screen.findByRole("heading", { name: "API tokens" })).toBeVisible();
  expect(screen.getByLabelText("Signed in as")).toHaveTextContent("alice (admin)");

  await user.click(screen.getByRole("button", { name: "Sign out" }));
  expect(await screen.findByRole("form", { name: "Sign in to binscribe" })).toBeVisible();
  expect(server.requests).toContain("POST /auth/logout");
});

it("creates a token shown once, lists and revokes it", async () => {
  server.signedIn = true;
  renderWithStore(<App />, { route: "/tokens" });
  expect(await screen.findByText("No tokens yet.")).toBeVisible();
  await user.type(screen.getByLabelText(/Token name/), "laptop CLI");
  await user.click(screen.getByRole("button", { name: "Create token" }));
  expect(await screen.findByLabelText("New token")).toHaveValue("bst_AbCdSECRETVALUE");
  expect(screen.getByText(/it is not shown again/)).toBeVisible();
  const table = screen.getByRole("table", { name: "API tokens" });
  expect(await within(table).findByText("laptop CLI")).toBeVisible();
  expect(within(table).queryByText(/SECRETVALUE/)).toBeNull();

  await user.click(screen.getByRole("button", { name: "Close" }));
  expect(screen.queryByLabelText("New token")).toBeNull();
  await user.click(within(table).getByRole("button", { name: "Revoke laptop CLI" }));
  await waitFor(() => expect(within(table).getByText("No tokens yet.")).toBeVisible());
  expect(server.requests).toContain("DELETE /auth/tokens/t-0");
});
