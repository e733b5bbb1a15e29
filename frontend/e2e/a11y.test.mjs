// Accessibility of every page, in light and dark mode, with job and provider chips in each state
// on screen: axe-core must find no serious or critical violation and no break in the heading
// order. The jobs: one completed (local OpenAI-protocol server, canned answers), one failed
// (a provider whose key the server refuses: llm_unavailable), one running (a provider whose
// server accepts the request and never answers). The provider dialog keeps its title and its
// submit button on a 390x844 screen. Screenshots of each state go to test-results/.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { SHOTS, openBrowser } from "./browser.mjs";
import { REPO, freePort, startBinscribe, startOpenAIServer } from "./servers.mjs";

const BINARY = resolve(REPO, "tests", "fixtures", "bin", "crackme-x86_64.elf");
const JOB_TIMEOUT_MS = 150_000;
const SCHEMES = ["light", "dark"];

let llm;
let silent;
let app;
let b;
let page;
const jobs = {};

async function api(path, init = {}) {
  const response = await fetch(`${app.url}/api/v1${path}`, init);
  assert.ok(response.ok, `${path}: HTTP ${response.status} ${await response.clone().text()}`);
  return response.status === 204 ? null : response.json();
}

function createProvider(body) {
  return api("/user-llm-providers", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ provider_type: "openai", ...body }),
  });
}

async function submit(providerId) {
  const form = new FormData();
  form.append("file", new Blob([readFileSync(BINARY)]), "crackme-x86_64.elf");
  form.append("provider_id", providerId);
  form.append("function_limit", "4");
  const { job_id } = await api("/decompile", { method: "POST", body: form });
  return job_id;
}

async function waitForJob(id, done) {
  const deadline = Date.now() + JOB_TIMEOUT_MS;
  for (;;) {
    const job = await api(`/decompile/${id}`);
    if (done(job)) return job;
    assert.ok(Date.now() < deadline, `job ${id} still ${job.status} at ${job.progress}%`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** An HTTP server that accepts every request and never answers it. */
async function startSilentServer() {
  const sockets = new Set();
  const server = createServer(() => {});
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const port = await freePort();
  await new Promise((done) => server.listen(port, "127.0.0.1", done));
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    stop: () => {
      for (const s of sockets) s.destroy();
      return new Promise((done) => server.close(done));
    },
  };
}

/** axe in both colour schemes, with a screenshot of each. */
async function checkBothSchemes(name, where) {
  for (const scheme of SCHEMES) {
    await b.useScheme(scheme);
    await b.noSeriousA11yViolations(`${where} (${scheme})`);
    await b.shot(`a11y-${name}-${scheme}`);
  }
  await b.useScheme("light");
}

describe("accessibility of every page", { timeout: 600_000 }, () => {
  before(async () => {
    [llm, silent] = await Promise.all([
      startOpenAIServer({ replyModule: "tests.llm_servers.canned:canned_reply" }),
      startSilentServer(),
    ]);
    app = await startBinscribe();
    const healthy = await createProvider({ name: "Local OpenAI", api_key: llm.apiKey, endpoint_url: llm.baseUrl });
    const refused = await createProvider({ name: "Wrong key", api_key: "sk-e2e-wrong-0000", endpoint_url: llm.baseUrl });
    const hanging = await createProvider({
      name: "Never answers",
      api_key: "sk-e2e-silent-1111",
      endpoint_url: silent.baseUrl,
      config: { timeout_s: 3600 },
    });
    await api(`/user-llm-providers/${healthy.id}/test`, { method: "POST" });
    await api(`/user-llm-providers/${refused.id}/test`, { method: "POST" });
    jobs.completed = await submit(healthy.id);
    await waitForJob(jobs.completed, (j) => j.status === "completed");
    // the stored analysis is reused: both go straight to explaining
    jobs.failed = await submit(refused.id);
    await waitForJob(jobs.failed, (j) => j.status === "failed");
    jobs.running = await submit(hanging.id);
    await waitForJob(jobs.running, (j) => j.status === "running" && j.stage === "explain");
    b = await openBrowser();
    page = b.page;
  });

  after(async () => {
    if (jobs.running) await fetch(`${app.url}/api/v1/jobs/${jobs.running}/cancel`, { method: "POST" });
    await b?.browser.close();
    await Promise.all([app?.stop(), llm?.stop(), silent?.stop()]);
  });

  it("providers: healthy, failing and untested cards", async () => {
    await page.goto(`${app.url}/providers`);
    await page.getByRole("article", { name: "Never answers" }).waitFor();
    await page.getByText("Healthy", { exact: true }).waitFor();
    await checkBothSchemes("providers", "the providers page");
  });

  it("the provider dialog keeps its title and submit button on a 390x844 screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("button", { name: /^Add/ }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add a provider" });
    await dialog.getByRole("radio", { name: "OpenAI" }).check();
    const title = dialog.getByRole("heading", { name: "Add a provider" });
    const submitButton = dialog.getByRole("button", { name: "Add provider" });
    // the last field scrolls into view inside the dialog; title and actions stay put
    await dialog.getByRole("textbox", { name: "Endpoint URL" }).scrollIntoViewIfNeeded();
    for (const scheme of SCHEMES) {
      await b.useScheme(scheme);
      for (const element of [title, submitButton]) {
        const box = await element.boundingBox();
        assert.ok(box && box.y >= 0 && box.y + box.height <= 844, `${await element.textContent()} at ${JSON.stringify(box)}`);
      }
      await b.noSeriousA11yViolations(`the add-provider dialog at 390 px (${scheme})`);
      await page.screenshot({ path: resolve(SHOTS, `a11y-provider-dialog-390-${scheme}.png`) });
    }
    await b.useScheme("light");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("analyze: the provider selector with its health chips", async () => {
    await page.goto(`${app.url}/analyze`);
    await page.getByRole("radio", { name: /Local OpenAI/ }).waitFor();
    await checkBothSchemes("analyze", "the Analyze page");
  });

  it("jobs: running, failed and completed chips", async () => {
    await page.goto(`${app.url}/jobs`);
    for (const status of ["running", "failed", "completed"]) {
      await page.getByText(status, { exact: true }).first().waitFor();
    }
    await checkBothSchemes("jobs", "the Jobs page");
  });

  it("a running job", async () => {
    await page.goto(`${app.url}/jobs/${jobs.running}`);
    await page.getByRole("button", { name: "Cancel job" }).waitFor();
    await checkBothSchemes("job-running", "a running job");
  });

  it("a failed job", async () => {
    await page.goto(`${app.url}/jobs/${jobs.failed}`);
    await page.getByText(/^llm_unavailable: /).first().waitFor();
    await checkBothSchemes("job-failed", "a failed job");
  });

  it("a completed job: overview and each tab", async () => {
    await page.goto(`${app.url}/jobs/${jobs.completed}`);
    await page.getByText("Checks a password given on the command line (canned summary).").waitFor();
    await checkBothSchemes("job-overview", "the job overview");
    await page.getByRole("tab", { name: /^Functions/ }).click();
    await page.getByRole("table", { name: "Functions" }).getByRole("link", { name: /^Open function check_password at/ }).click();
    await page.getByRole("region", { name: "Function check_password" }).getByText("Canned summary of check_password.").waitFor();
    await checkBothSchemes("job-function", "the function view");
    await page.getByRole("tab", { name: /^Imports/ }).click();
    await page.getByRole("region", { name: "Capability console" }).waitFor();
    await checkBothSchemes("job-imports", "the imports tab");
    await page.getByRole("tab", { name: /^Strings/ }).click();
    await page.getByRole("table", { name: "Strings" }).waitFor();
    await checkBothSchemes("job-strings", "the strings tab");
  });

  it("the not-found page", async () => {
    await page.goto(`${app.url}/no-such-page`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    await checkBothSchemes("not-found", "the not-found page");
  });

  it("logged no error in the browser console", () => {
    assert.deepEqual(b.consoleErrors, []);
  });
});
