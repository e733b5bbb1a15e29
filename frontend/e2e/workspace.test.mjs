// End to end for the analyst workspace: crackme-x86_64.elf analyzed through the API with a
// provider (the local OpenAI-protocol server's canned answers, which also suggest a name per
// function), then in the browser: search the function list, open a function beside the list
// (split view), follow a string it loads to its row in Strings and the string's user back to the
// function, back/forward through those links, and turn on "Suggested names" (marked names, the
// original in the tooltip, remembered across reloads). axe-core in light and dark mode with
// suggested names on; a phone-sized screenshot; no console errors.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { SHOTS, openBrowser } from "./browser.mjs";
import { REPO, startBinscribe, startOpenAIServer } from "./servers.mjs";

const BINARY = resolve(REPO, "tests", "fixtures", "bin", "crackme-x86_64.elf");
const JOB_TIMEOUT_MS = 150_000;
const GRANTED = "Access granted. Welcome, reverser!";

let llm;
let app;
let b;
let page;
let jobUrl;

async function api(path, init = {}) {
  const response = await fetch(`${app.url}/api/v1${path}`, init);
  assert.ok(response.ok, `${path}: HTTP ${response.status} ${await response.clone().text()}`);
  return response.json();
}

async function analyzed() {
  const json = { "content-type": "application/json" };
  const provider = await api("/user-llm-providers", {
    method: "POST",
    headers: json,
    body: JSON.stringify({ name: "Local OpenAI", provider_type: "openai", api_key: llm.apiKey, endpoint_url: llm.baseUrl }),
  });
  const form = new FormData();
  form.append("file", new Blob([readFileSync(BINARY)]), "crackme-x86_64.elf");
  form.append("provider_id", provider.id);
  const { job_id: id } = await api("/decompile", { method: "POST", body: form });
  const started = Date.now();
  for (;;) {
    const job = await api(`/jobs/${id}`);
    if (job.status === "completed") return id;
    assert.ok(!["failed", "cancelled"].includes(job.status), JSON.stringify(job.error));
    assert.ok(Date.now() - started < JOB_TIMEOUT_MS, `still ${job.status}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const functionsTable = () => page.getByRole("table", { name: "Functions" });

describe("the analyst workspace in the browser", { timeout: 600_000 }, () => {
  before(async () => {
    llm = await startOpenAIServer({ replyModule: "tests.llm_servers.canned:named_reply" });
    app = await startBinscribe();
    jobUrl = `${app.url}/jobs/${await analyzed()}`;
    b = await openBrowser();
    page = b.page;
  });

  after(async () => {
    if (app) writeFileSync(resolve(SHOTS, "workspace-server.log"), app.output.join(""));
    await b?.browser.close();
    await Promise.all([app?.stop(), llm?.stop()]);
  });

  it("searches the functions and opens one beside the list", async () => {
    await page.goto(`${jobUrl}?tab=functions`);
    await page.getByRole("searchbox", { name: "Search functions" }).fill("check");
    await page.getByText(/^1 functions$/).waitFor();
    await functionsTable().getByRole("link", { name: /^Open function check_password at 0x/ }).click();
    const view = page.getByRole("region", { name: "Function check_password" });
    await view.getByText("Canned summary of check_password.").waitFor();
    assert.match(page.url(), /\?tab=functions&fn=0x401175$/);
    // the list stays beside the code, narrowed to name, address and size, still searched
    const list = await page.getByRole("region", { name: "Function list" }).boundingBox();
    const code = await view.boundingBox();
    assert.ok(list.x + list.width <= code.x, `list ${JSON.stringify(list)} beside code ${JSON.stringify(code)}`);
    assert.deepEqual(await functionsTable().getByRole("columnheader").allTextContents(), ["Name", "Address", "Size (bytes)"]);
    assert.equal(await page.getByRole("searchbox", { name: "Search functions" }).inputValue(), "check");
    await page.getByRole("separator", { name: "Resize the function list" }).waitFor();
  });

  it("follows a string from main's code to its row in Strings, and back to main", async () => {
    await page.goto(`${jobUrl}?tab=functions&fn=0x4011c1`);
    const main = page.getByRole("region", { name: "Function main" });
    await main.getByText("Canned summary of main.").waitFor();
    const literal = main.getByLabel("Pseudocode of main").getByRole("link", { name: /^Open string at 0x/ }).filter({ hasText: "Access granted" });
    await literal.click();
    const row = page.getByRole("table", { name: "Strings" }).getByRole("row", { name: new RegExp(GRANTED) });
    await row.waitFor();
    assert.match(await row.getAttribute("class"), /Mui-selected/);
    assert.match(page.url(), /\?tab=strings&q=0x[0-9a-f]+&sel=0x[0-9a-f]+$/);
    await row.getByRole("link", { name: "Open function main at 0x4011c1" }).click();
    await main.getByText("Canned summary of main.").waitFor();
    await page.goBack();
    await row.waitFor();
    await page.goBack();
    await main.getByText("Canned summary of main.").waitFor();
    await page.goForward();
    await row.waitFor();
  });

  it("applies the model's suggested names, marked, and remembers the choice", async () => {
    await page.goto(`${jobUrl}?tab=functions&fn=0x4011c1`);
    const main = page.getByRole("region", { name: "Function main" });
    await main.getByText("Canned summary of main.").waitFor();
    await page.getByRole("switch", { name: "Suggested names" }).check();
    const heading = main.getByRole("heading", { level: 2 });
    assert.equal(await heading.textContent(), "main_renamed");
    assert.equal(await heading.locator("[title]").getAttribute("title"), "suggested name (by the model); original: main");
    const calls = main.getByLabel("Pseudocode of main").getByRole("link", { name: "Open function check_password_renamed at 0x401175" });
    assert.equal(await calls.first().textContent(), "check_password_renamed");
    await functionsTable().getByRole("link", { name: "Open function check_password_renamed at 0x401175" }).waitFor();
    await b.noSeriousA11yViolations("the function view with suggested names");
    await b.useScheme("dark");
    await b.noSeriousA11yViolations("the function view with suggested names, dark");
    await b.shot("workspace-suggested-dark");
    await b.useScheme("light");
    await b.shot("workspace-suggested", 390);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.reload();
    await main.getByRole("heading", { name: "main_renamed" }).waitFor();
    assert.equal(await page.getByRole("switch", { name: "Suggested names" }).isChecked(), true);
  });

  it("logged no console errors", () => {
    assert.deepEqual(b.consoleErrors, []);
  });
});
