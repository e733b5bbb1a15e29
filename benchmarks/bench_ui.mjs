// The web UI at real scale, in Debian's chromium through playwright-core, against a real server
// (`frontend/e2e/servers.mjs`: uvicorn, temporary data dir, SQLite, the built UI). Uploads a large
// binary without a provider (decompile only), waits for the analysis, then measures as a user
// sees it: the first load of the job page (bytes over the wire by kind, the job document, time
// until the tabs show), the Functions tab, a search keystroke until the table shows its result
// (the 250 ms debounce included), a sort, opening a function, and switching to Strings.
// Times are wall clock from the action to the visible change, through the Playwright protocol.
//
//     make bench-ui                                   # /usr/bin/ssh at basic depth
//     node benchmarks/bench_ui.mjs --binary /usr/bin/gzip --depth standard
//     node benchmarks/bench_ui.mjs --url http://127.0.0.1:8000 --job <id>   # a running server's job
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { REPO, startBinscribe } from "../frontend/e2e/servers.mjs";

const { chromium } = createRequire(resolve(REPO, "frontend", "package.json"))("playwright-core");
const { values: args } = parseArgs({
  options: {
    binary: { type: "string", default: "/usr/bin/ssh" },
    depth: { type: "string", default: "basic" },
    repeat: { type: "string", default: "5" },
    url: { type: "string" },
    job: { type: "string" },
  },
});
const REPEAT = Number(args.repeat);
const ANALYSIS_TIMEOUT_MS = 20 * 60_000;
const SEARCHES = ["kex", "cipher", "auth", "channel", "sshbuf", "key", "mac", "log"];
const TARGETS = { keystroke: 100, sort: 100, open: 300, firstPayloadKB: 300 };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const row = (label, xs, target) =>
  console.log(
    `${label.padEnd(42)} ${median(xs).toFixed(0).padStart(7)} ${Math.max(...xs).toFixed(0).padStart(7)}` +
      (target ? `   target < ${target} ms: ${median(xs) < target ? "ok" : "OVER"}` : ""),
  );

async function timed(action) {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

async function analyze(app) {
  const form = new FormData();
  form.append("file", new Blob([readFileSync(args.binary)]), basename(args.binary));
  form.append("analysis_depth", args.depth);
  const submitted = await fetch(`${app.url}/api/v1/decompile`, { method: "POST", body: form });
  if (!submitted.ok) throw new Error(`upload: HTTP ${submitted.status} ${await submitted.text()}`);
  const { job_id: id } = await submitted.json();
  const started = Date.now();
  console.log(`analyzing ${args.binary} at ${args.depth} depth (minutes on a busy machine)...`);
  for (;;) {
    const job = await (await fetch(`${app.url}/api/v1/jobs/${id}`)).json();
    if (job.status === "completed") return { id, seconds: (Date.now() - started) / 1000 };
    if (job.status === "failed" || job.status === "cancelled") throw new Error(JSON.stringify(job.error));
    if (Date.now() - started > ANALYSIS_TIMEOUT_MS) throw new Error(`still ${job.status} at ${job.progress}%`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Cold first load of the job page: bytes by resource kind and the job document's own size. */
async function firstLoad(browser, url, jobId) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const responses = [];
  page.on("requestfinished", (request) => responses.push(request));
  const ms = await timed(async () => {
    await page.goto(`${url}/jobs/${jobId}`);
    await page.getByRole("tab", { name: /^Functions \(\d+\)$/ }).waitFor();
  });
  const kinds = {};
  let jobDocument = 0;
  for (const request of responses) {
    const { responseBodySize } = await request.sizes();
    const kind = request.resourceType();
    kinds[kind] = (kinds[kind] ?? 0) + responseBodySize;
    if (new URL(request.url()).pathname === `/api/v1/jobs/${jobId}`) jobDocument = responseBodySize;
  }
  return { page, context, ms, kinds, jobDocument };
}

async function main() {
  const app = args.url ? { url: args.url, stop: async () => {} } : await startBinscribe();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    const job = args.job ? { id: args.job, seconds: Number.NaN } : await analyze(app);
    const load = await firstLoad(browser, app.url, job.id);
    const { page } = load;
    const total = Object.values(load.kinds).reduce((a, b) => a + b, 0);
    console.log(`\n${args.binary} at ${args.depth} depth, analyzed in ${job.seconds.toFixed(0)} s`);
    console.log(`first load of the job page: ${load.ms.toFixed(0)} ms until the tabs show`);
    console.log(`  bytes over the wire (compressed): ${(total / 1e3).toFixed(1)} KB in all`);
    for (const [kind, bytes] of Object.entries(load.kinds)) console.log(`    ${kind.padEnd(10)} ${(bytes / 1e3).toFixed(1)} KB`);
    const verdict = load.jobDocument / 1e3 < TARGETS.firstPayloadKB ? "ok" : "OVER";
    console.log(`  the job document: ${(load.jobDocument / 1e3).toFixed(1)} KB (target < ${TARGETS.firstPayloadKB} KB: ${verdict})`);

    const count = page.getByText(/^\d+ functions$/);
    const switchFunctions = await timed(async () => {
      await page.getByRole("tab", { name: /^Functions/ }).click();
      await count.waitFor();
    });
    const table = page.getByRole("table", { name: "Functions" });
    const box = page.getByRole("searchbox", { name: "Search functions" });
    const keystrokes = [];
    for (const query of SEARCHES.slice(0, REPEAT)) {
      const before = await count.textContent();
      keystrokes.push(await timed(async () => {
        await box.fill(query);
        await page.waitForFunction(
          (old) => [...document.querySelectorAll("p, span")].some((e) => /^\d+ functions$/.test(e.textContent ?? "") && e.textContent !== old),
          before,
        );
      }));
      await box.fill("");
      await page.waitForFunction((old) => [...document.querySelectorAll("p, span")].some((e) => e.textContent === old), before);
    }
    const firstRow = table.locator('tbody tr[aria-rowindex="2"]');
    const sorts = [];
    for (let i = 0; i < REPEAT; i += 1) {
      const before = await firstRow.textContent();
      sorts.push(await timed(async () => {
        await table.getByRole("button", { name: "Size (bytes)" }).click();
        await page.waitForFunction(
          (old) => document.querySelector('table[aria-label="Functions"] tbody tr[aria-rowindex="2"]')?.textContent !== old,
          before,
        );
      }));
    }
    const opens = [];
    for (let i = 0; i < REPEAT; i += 1) {
      const link = table.locator(`tbody tr[aria-rowindex="${i + 3}"]`).locator("a, button").first();
      const name = (await link.textContent()).trim();
      opens.push(await timed(async () => {
        await link.click();
        await page.getByRole("region", { name: `Function ${name}` }).waitFor();
      }));
    }
    const strings = [];
    for (let i = 0; i < REPEAT; i += 1) {
      await page.getByRole("tab", { name: /^Functions/ }).click();
      await count.waitFor();
      strings.push(await timed(async () => {
        await page.getByRole("tab", { name: /^Strings/ }).click();
        await page.getByRole("table", { name: "Strings" }).locator('tbody tr[aria-rowindex="2"]').waitFor();
      }));
    }
    console.log(`\n${"action (ms)".padEnd(42)} ${"median".padStart(7)} ${"max".padStart(7)}`);
    row("switch to Functions (first time)", [switchFunctions]);
    row("search: keystroke to table", keystrokes);
    row("search: the same less the 250 ms debounce", keystrokes.map((ms) => ms - 250), TARGETS.keystroke);
    row("sort by size", sorts, TARGETS.sort);
    row("open a function", opens, TARGETS.open);
    row("switch to Strings", strings);
    await load.context.close();
  } finally {
    await browser.close();
    await app.stop();
  }
}

await main();
