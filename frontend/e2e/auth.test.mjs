// End to end against the real server: a user created with the CLI switches the instance to
// sign-in; sign in, create a personal API token (shown once) and use it, revoke it, sign out.
// The console stays free of errors (Content-Security-Policy violations included).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { openBrowser } from "./browser.mjs";
import { REPO, startBinscribe } from "./servers.mjs";

const PASSWORD = "e2e correct horse battery";
let app;
let browser;
let page;
let consoleErrors;
let shot;
let noSeriousA11yViolations;
let token;

/** `binscribe <args>` on the test server's data dir (its SQLite database). */
function binscribe(args, input = "") {
  return execFileSync("uv", ["run", "--quiet", "binscribe", ...args], {
    cwd: REPO,
    input,
    encoding: "utf8",
    env: { ...process.env, BINSCRIBE_DATA_DIR: app.dataDir, BINSCRIBE_DATABASE_URL: "", LLM_PROVIDER_ENCRYPTION_KEY: "" },
  });
}

describe("sign-in and API tokens in the browser", { timeout: 600_000 }, () => {
  before(async () => {
    app = await startBinscribe();
    ({ browser, page, consoleErrors, shot, noSeriousA11yViolations } = await openBrowser());
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("serves the UI with a strict Content-Security-Policy", async () => {
    const response = await page.goto(`${app.url}/providers`);
    const csp = response.headers()["content-security-policy"];
    assert.match(csp, /script-src 'self';/);
    assert.match(csp, /frame-ancestors 'none'/);
    await page.getByRole("heading", { name: "No LLM providers yet" }).waitFor();
  });

  it("asks to sign in once the CLI created a user", async () => {
    const created = binscribe(["users", "create", "alice", "--admin", "--password-stdin"], `${PASSWORD}\n`);
    assert.match(created, /^created admin alice\n/);
    await page.goto(`${app.url}/providers`);
    const form = page.getByRole("form", { name: "Sign in to binscribe" });
    await form.waitFor();
    await form.getByRole("textbox", { name: "User name" }).fill("alice");
    await form.getByLabel("Password").fill(PASSWORD);
    await form.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "No LLM providers yet" }).waitFor();
    await page.getByLabel("Signed in as").getByText("alice (admin)").waitFor();
  });

  it("creates a token shown once, which the API accepts", async () => {
    await page.getByRole("link", { name: "Tokens" }).click();
    await page.getByRole("heading", { name: "API tokens" }).waitFor();
    await page.getByRole("textbox", { name: "Token name" }).fill("e2e script");
    await page.getByRole("button", { name: "Create token" }).click();
    token = await page.getByRole("textbox", { name: "New token" }).inputValue();
    assert.match(token, /^bst_/);
    await noSeriousA11yViolations("the tokens page");
    await shot("tokens-created");
    const answer = await fetch(`${app.url}/api/v1/user-llm-providers`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(answer.status, 200);
    await page.reload();
    const table = page.getByRole("table", { name: "API tokens" });
    await table.getByText("e2e script").waitFor();
    assert.equal(await page.getByText(token).count(), 0);
  });

  it("revokes the token and signs out", async () => {
    await page.getByRole("button", { name: "Revoke e2e script" }).click();
    await page.getByText("No tokens yet.").waitFor();
    const refused = await fetch(`${app.url}/api/v1/user-llm-providers`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(refused.status, 401);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("form", { name: "Sign in to binscribe" }).waitFor();
    assert.deepEqual(consoleErrors, []);
    const anonymous = await page.evaluate(async () => (await fetch("/api/v1/user-llm-providers")).status);
    assert.equal(anonymous, 401);
  });
});
