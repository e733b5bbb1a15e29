// End to end for live results and on-demand work. A provider points at the local
// OpenAI-protocol server answering the canned model slowly (2 s per answer, one request at a
// time), so a job at standard depth explaining 2 functions spends about 10 s explaining.
// "Watch a running job fill in": the job page shows the functions while the job still runs, then
// their explanations one by one, all on one event stream. "Explain one more function": on the
// finished job, a function the job did not decompile is decompiled and explained from its view;
// its pseudocode and explanation appear, the overview counts one more explained function and the
// job's history lists both small jobs. No console errors.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { SHOTS, openBrowser } from "./browser.mjs";
import { REPO, startBinscribe, startOpenAIServer } from "./servers.mjs";

const BINARY = resolve(REPO, "tests", "fixtures", "bin", "crackme-x86_64.elf");
const NAME = "crackme-x86_64.elf";
const EXPLAINED = 2;
// angr on a busy 2-core machine, then 5 slow answers (2 functions, imports, strings, program).
const JOB_TIMEOUT_MS = 180_000;

let llm;
let app;
let b;
let page;
let jobId;
const streams = [];

async function api(path, init = {}) {
  const response = await fetch(`${app.url}/api/v1${path}`, init);
  assert.ok(response.ok, `${path}: HTTP ${response.status} ${await response.clone().text()}`);
  return response.json();
}

const json = (body) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("live results and on-demand work in the browser", { timeout: 600_000 }, () => {
  before(async () => {
    llm = await startOpenAIServer({ replyModule: "tests.llm_servers.canned:slow_canned_reply" });
    app = await startBinscribe();
    const provider = await api("/user-llm-providers", json({
      name: "Slow local OpenAI", provider_type: "openai", api_key: llm.apiKey, endpoint_url: llm.baseUrl,
      config: { max_concurrency: 1 },
    }));
    const form = new FormData();
    form.append("file", new Blob([readFileSync(BINARY)]), NAME);
    form.append("provider_id", provider.id);
    form.append("analysis_depth", "standard");
    form.append("function_limit", String(EXPLAINED));
    jobId = (await api("/decompile", { method: "POST", body: form })).job_id;
    b = await openBrowser();
    page = b.page;
    page.on("request", (r) => /\/api\/v1\/(jobs\/[^/]+\/)?events/.test(r.url()) && streams.push(r.url()));
  });

  after(async () => {
    if (app) writeFileSync(resolve(SHOTS, "progressive-server.log"), app.output.join(""));
    await b?.browser.close();
    await Promise.all([app?.stop(), llm?.stop()]);
  });

  it("watches a running job fill in: functions first, then explanations as they arrive", async () => {
    await page.goto(`${app.url}/jobs/${jobId}`);
    await page.getByRole("heading", { name: NAME }).waitFor();
    const running = page.getByRole("button", { name: "Cancel job" });
    const functionsTab = page.getByRole("tab", { name: /^Functions/ });
    // the analysis is stored when explaining starts: its functions can be browsed
    await functionsTab.waitFor({ timeout: JOB_TIMEOUT_MS });
    assert.equal(await running.isVisible(), true, "the job ended before its functions were shown");
    await functionsTab.click();
    const table = page.getByRole("table", { name: "Functions" });
    await table.getByRole("link", { name: /^Open function main at/ }).waitFor();
    const summaries = table.getByText(/^Canned summary of /);
    assert.equal(await summaries.count(), 0);
    assert.equal(await running.isVisible(), true);

    // explanations arrive one by one, before the job completes
    await summaries.first().waitFor({ timeout: JOB_TIMEOUT_MS });
    const first = await summaries.count();
    assert.equal(await running.isVisible(), true, "the first explanation was shown only at the end");
    assert.ok(first < EXPLAINED, `${first} explanations appeared at once`);
    await b.shot("job-filling-in");
    await page.waitForFunction(
      (n) => [...document.querySelectorAll("td")].filter((td) => td.textContent.includes("Canned summary of ")).length === n,
      EXPLAINED, { timeout: JOB_TIMEOUT_MS },
    );
    await page.getByText("completed", { exact: true }).waitFor({ timeout: JOB_TIMEOUT_MS });
    await page.getByRole("tab", { name: "Overview" }).click();
    await page.getByText("Checks a password given on the command line (canned summary).").waitFor();
    assert.equal(new Set(streams).size, 1, `one event stream per page: ${streams.join(", ")}`);
  });

  it("explains one more function of the finished job from its view", async () => {
    const before = await api(`/jobs/${jobId}`);
    assert.equal(before.result.explanation.explained, EXPLAINED);
    const rows = (await api(`/jobs/${jobId}/functions?decompiled=false&library=false&limit=500`)).data;
    const fn = rows.find((row) => row.explanation_status === null && row.size > 0);
    assert.ok(fn, "every program function was decompiled: nothing left to ask for");
    const address = `0x${fn.address.toString(16)}`;

    await page.goto(`${app.url}/jobs/${jobId}?tab=functions&fn=${address}`);
    const view = page.getByRole("region", { name: `Function ${fn.name}` });
    await view.waitFor();
    assert.equal(await view.getByLabel(`Pseudocode of ${fn.name}`).count(), 0);
    await page.getByRole("button", { name: "Decompile", exact: true }).click();
    await page.getByRole("status").getByText("decompile completed").waitFor({ timeout: JOB_TIMEOUT_MS });
    await view.getByText("Not decompiled at this analysis depth.").waitFor({ state: "detached" });
    await view.getByRole("tab", { name: "Pseudocode" }).click();
    assert.match(await view.getByLabel(`Pseudocode of ${fn.name}`).textContent(), new RegExp(`${fn.name}\\(`));

    await page.getByRole("button", { name: "Explain", exact: true }).click();
    await page.getByRole("status").getByText("explain completed").waitFor({ timeout: JOB_TIMEOUT_MS });
    await view.getByText(`Canned summary of ${fn.name}.`).waitFor();
    await b.shot("job-explained-one-more");

    // the job's totals and history include the small jobs
    await page.getByRole("tab", { name: "Overview" }).click();
    await page.getByText(new RegExp(`^${EXPLAINED + 1} explained, 0 failed`)).waitFor();
    const history = (await api(`/jobs/${jobId}/history`)).data.map((job) => [job.kind, job.status]);
    assert.deepEqual(history, [["decompile", "completed"], ["explain", "completed"]]);
    const after = await api(`/jobs/${jobId}`);
    assert.ok(after.usage.input_tokens > before.usage.input_tokens, "the explanation's tokens were added");
  });

  it("logged no error in the browser console", () => {
    assert.deepEqual(b.consoleErrors, []);
  });
});
