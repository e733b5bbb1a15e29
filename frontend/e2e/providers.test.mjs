// End to end against the real server and Debian's chromium: empty state, add a provider, rename
// it, test it against the local OpenAI-protocol server, delete it after confirming. Screenshots
// of every page at 1280 and 800 px go to test-results/; axe-core must find no serious
// violations; the browser console must stay free of errors.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openBrowser } from "./browser.mjs";
import { startBinscribe, startOpenAIServer } from "./servers.mjs";

let llm;
let app;
let browser;
let page;
let consoleErrors;
let shot;
let noSeriousA11yViolations;
let useScheme;

describe("provider management in the browser", { timeout: 600_000 }, () => {
  before(async () => {
    llm = await startOpenAIServer();
    app = await startBinscribe();
    ({ browser, page, consoleErrors, shot, noSeriousA11yViolations, useScheme } = await openBrowser());
  });

  after(async () => {
    await browser?.close();
    await Promise.all([app?.stop(), llm?.stop()]);
  });

  it("starts with the empty state and a healthy service", async () => {
    await page.goto(`${app.url}/providers`);
    await page.getByRole("heading", { name: "No LLM providers yet" }).waitFor();
    await page.getByText(/^Service ok · v/).waitFor();
    await noSeriousA11yViolations("the empty providers page");
    await shot("providers-empty");
    await shot("providers-empty", 800);
  });

  it("adds a provider and shows what the server normalized", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole("button", { name: "Add your first provider" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a provider" });
    await dialog.getByRole("radio", { name: "OpenAI" }).check();
    await dialog.getByRole("textbox", { name: "Name" }).fill("Local OpenAI");
    await dialog.getByRole("textbox", { name: "API key", exact: true }).fill(llm.apiKey);
    await dialog.getByRole("textbox", { name: "Endpoint URL" }).fill(`${llm.baseUrl}/chat/completions`);
    await noSeriousA11yViolations("the add-provider dialog");
    await shot("provider-add-dialog");
    await dialog.getByRole("button", { name: "Add provider" }).click();
    await page.getByRole("article", { name: "Local OpenAI" }).waitFor();
    await page.getByText(`endpoint_url stored as ${llm.baseUrl}`).waitFor();
    const card = page.getByRole("article", { name: "Local OpenAI" });
    assert.equal(await card.getByText(`…${llm.apiKey.slice(-4)}`).count(), 1);
  });

  it("renames the provider", async () => {
    await page.getByRole("button", { name: "Edit Local OpenAI" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit “Local OpenAI”" });
    await dialog.getByText(`A key is stored (ends in …${llm.apiKey.slice(-4)})`, { exact: false }).waitFor();
    await dialog.getByRole("textbox", { name: "Name" }).fill("Local OpenAI (renamed)");
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("article", { name: "Local OpenAI (renamed)" }).waitFor();
  });

  it("tests the provider and shows the server's answer", async () => {
    const card = page.getByRole("article", { name: "Local OpenAI (renamed)" });
    await card.getByRole("button", { name: "Test Local OpenAI (renamed)" }).click();
    await card.getByText(/^Connection works in \d+ ms$/).waitFor();
    await card.getByText("Healthy").waitFor();
    await card.getByText("checked just now by a connection test").waitFor();
    await noSeriousA11yViolations("the providers page with a tested provider");
    await shot("providers-tested");
    await shot("providers-tested", 800);
    await useScheme("dark");
    await shot("providers-tested-dark");
    await useScheme("light");
  });

  it("deletes the provider only after confirming", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole("button", { name: "Delete Local OpenAI (renamed)" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete “Local OpenAI (renamed)”?" });
    await shot("provider-delete-dialog");
    await dialog.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("heading", { name: "No LLM providers yet" }).waitFor();
  });

  it("reaches the add dialog by keyboard and closes it with Escape", async () => {
    await page.keyboard.press("Escape");
    let focused = "";
    for (let i = 0; i < 12 && focused !== "Add your first provider"; i += 1) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => document.activeElement?.textContent ?? "");
    }
    assert.equal(focused, "Add your first provider");
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Add a provider" });
    await dialog.getByRole("radio", { name: "OpenAI" }).waitFor();
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), "OpenAI");
    await page.keyboard.press("ArrowDown");
    assert.equal(await dialog.getByRole("radio", { name: "Anthropic" }).isChecked(), true);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
  });

  it("logged no error in the browser console", () => {
    assert.deepEqual(consoleErrors, []);
  });
});
