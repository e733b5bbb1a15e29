// End to end for analysis: with a provider pointing at the local OpenAI-protocol server (canned
// valid answers), upload tests/fixtures/bin/crackme-x86_64.elf on the Analyze page, follow the
// job's live progress to completed, read the overview, open check_password's explanation and
// navigate to its caller, read imports and strings (following a string to its function),
// download the Markdown report, then delete the job from the Jobs page after confirming. The
// server's upload limit is 2 MB, and the Analyze page says so. Screenshots at 1280 and 800 px; axe-core; no console errors.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { SHOTS, openBrowser } from "./browser.mjs";
import { REPO, startBinscribe, startOpenAIServer } from "./servers.mjs";

const BINARY = resolve(REPO, "tests", "fixtures", "bin", "crackme-x86_64.elf");
const NAME = "crackme-x86_64.elf";
// Long enough for angr on a busy 2-core machine; the job itself takes ~20 s.
const JOB_TIMEOUT_MS = 150_000;

let llm;
let app;
let b;
let page;
let jobUrl;

async function api(path, init = {}) {
  const response = await fetch(`${app.url}/api/v1${path}`, {
    ...init,
    headers: { "content-type": "application/json" },
  });
  assert.ok(response.ok, `${path}: HTTP ${response.status} ${await response.clone().text()}`);
  return response.json();
}

async function both(name) {
  await b.shot(name);
  await b.shot(name, 800);
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe("analysis in the browser", { timeout: 600_000 }, () => {
  before(async () => {
    llm = await startOpenAIServer({ replyModule: "tests.llm_servers.canned:canned_reply" });
    app = await startBinscribe({ BINSCRIBE_MAX_UPLOAD_MB: "2" });
    const provider = await api("/user-llm-providers", {
      method: "POST",
      body: JSON.stringify({ name: "Local OpenAI", provider_type: "openai", api_key: llm.apiKey, endpoint_url: llm.baseUrl }),
    });
    await api(`/user-llm-providers/${provider.id}/test`, { method: "POST" });
    b = await openBrowser();
    page = b.page;
  });

  after(async () => {
    // The server's log, for reading when a step failed.
    if (app) writeFileSync(resolve(SHOTS, "analysis-server.log"), app.output.join(""));
    await b?.browser.close();
    await Promise.all([app?.stop(), llm?.stop()]);
  });

  it("offers the healthy provider and checks the file before upload", async () => {
    await page.goto(`${app.url}/analyze`);
    await page.getByRole("heading", { name: "Analyze a binary" }).waitFor();
    const radio = page.getByRole("radio", { name: /Local OpenAI/ });
    await radio.waitFor();
    assert.equal(await radio.isChecked(), true);
    await page.getByText("Healthy", { exact: true }).waitFor();
    await page.getByText("Drop an ELF, PE or Mach-O binary here (at most 2 MB), or").waitFor();
    await b.noSeriousA11yViolations("the Analyze page");
    await both("analyze");
    const big = { name: "big.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(3 * 1024 * 1024) };
    await page.getByLabel("Binary file").setInputFiles(big);
    await page.getByText("big.bin is 3 MB; the server accepts at most 2 MB.").waitFor();
    assert.equal(await page.getByRole("button", { name: "Analyze and explain" }).isDisabled(), true);
    await page.getByLabel("Binary file").setInputFiles(BINARY);
    await page.getByText(`${NAME} · 15.7 KB`).waitFor();
    await page.getByRole("textbox", { name: "Function limit" }).fill("6");
    await b.noSeriousA11yViolations("the Analyze page with a file");
    await both("analyze-file-chosen");
  });

  it("uploads, then follows the job's live progress to completed", async () => {
    const events = page.waitForRequest((r) => /\/api\/v1\/events\?job=[0-9a-f-]{36}$/.test(r.url()), { timeout: 30_000 });
    await page.getByRole("button", { name: "Analyze and explain" }).click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
    jobUrl = page.url();
    await page.getByRole("heading", { name: NAME }).waitFor();
    await events; // the page streamed the job's server-sent events
    // angr takes several seconds, so the job is almost always still running here.
    if (await page.getByRole("button", { name: "Cancel job" }).isVisible()) {
      await b.shot("job-running");
    }
    await page.getByText("completed", { exact: true }).waitFor({ timeout: JOB_TIMEOUT_MS });
    await page.getByText("Checks a password given on the command line (canned summary).").waitFor();
    await page.getByText("console: prints results to the console (canned)").waitFor();
    await b.noSeriousA11yViolations("the job overview");
    await both("job-overview");
  });

  it("opens check_password's explanation beside its code, then its caller", async () => {
    await page.getByRole("tab", { name: /^Functions/ }).click();
    await page.getByRole("table", { name: "Functions" }).getByRole("link", { name: /^Open function check_password at/ }).click();
    const view = page.getByRole("region", { name: "Function check_password" });
    await view.getByText("Canned summary of check_password.").waitFor();
    await view.getByText("check_password runs its steps in order (canned explanation).").waitFor();
    const pseudocode = await view.getByLabel("Pseudocode of check_password").textContent();
    assert.match(pseudocode, /check_password\(/);
    assert.match(page.url(), /tab=functions&fn=0x401175$/);
    await b.noSeriousA11yViolations("the function view");
    await both("job-function");
    await b.useScheme("dark");
    await b.shot("job-function-dark");
    await b.useScheme("light");
    await page.setViewportSize({ width: 1280, height: 900 });
    await view.getByRole("tab", { name: "Disassembly" }).click();
    assert.match(await view.getByLabel("Disassembly of check_password").textContent(), /0x401175: push rbx/);
    await view.getByRole("link", { name: "Open function main at 0x4011c1" }).first().click();
    await page.getByRole("region", { name: "Function main" }).getByText("Canned summary of main.").waitFor();
  });

  it("shows imports by capability and strings with their interpretation", async () => {
    await page.getByRole("tab", { name: /^Imports/ }).click();
    await page.getByRole("region", { name: "Capability console" }).getByText("puts").waitFor();
    await b.noSeriousA11yViolations("the imports tab");
    await both("job-imports");
    await page.getByRole("tab", { name: /^Strings/ }).click();
    await page.getByText("message: a message shown to the user (canned)").waitFor();
    await b.noSeriousA11yViolations("the strings tab");
    await both("job-strings");
    // a string's users are links: follow one to its function (by address)
    await page.getByRole("searchbox", { name: "Search strings" }).fill("granted");
    await page.getByText(/^1 of \d+ strings$/).waitFor();
    await page.getByRole("table", { name: "Strings" }).getByRole("link", { name: /^Open function main at/ }).click();
    await page.getByRole("region", { name: "Function main" }).getByText("Canned summary of main.").waitFor();
    assert.match(page.url(), /tab=functions&fn=0x4011c1$/);
  });

  it("downloads the Markdown report", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download Markdown report" }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `${NAME}.binscribe.md`);
    const markdown = readFileSync(await download.path(), "utf8");
    assert.match(markdown, /^# crackme-x86_64\.elf\n/);
    assert.match(markdown, /### check_password \(0x401175\)\n\n\*\*Canned summary of check_password\.\*\*/);
  });

  it("lists the job and deletes it after confirming", async () => {
    await page.goto(`${app.url}/jobs`);
    const row = page.getByRole("row", { name: new RegExp(NAME) });
    await row.getByText("completed", { exact: true }).waitFor();
    await page.getByText("1–1 of 1", { exact: true }).waitFor();
    await b.noSeriousA11yViolations("the Jobs page");
    await both("jobs");
    await page.getByRole("button", { name: `Delete ${NAME}` }).click();
    const dialog = page.getByRole("dialog", { name: `Delete the job for “${NAME}”?` });
    await b.shot("job-delete-dialog");
    await dialog.getByRole("button", { name: "Delete" }).click();
    await page.getByText("No jobs yet. Upload a binary on the Analyze page to start one.").waitFor();
    const gone = await fetch(jobUrl.replace("/jobs/", "/api/v1/decompile/"));
    assert.equal(gone.status, 404);
  });

  it("logged no error in the browser console", () => {
    assert.deepEqual(b.consoleErrors, []);
  });
});
