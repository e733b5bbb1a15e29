// Start and stop the real processes the end-to-end test drives: the binscribe API (uvicorn, fresh
// temporary data dir, SQLite, the built UI) and the local OpenAI-protocol server from
// tests/llm_servers. Each runs in its own process group so stopping it leaves nothing behind.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(import.meta.dirname, "..", "..");
export const DIST = resolve(REPO, "frontend", "dist");

/** A port nothing listens on right now. */
export function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

// `uv run` may first sync the environment, which takes a while on a busy machine.
const START_TIMEOUT_MS = 180_000;

async function waitFor(url, headers, child, output) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited early:\n${output.join("")}`);

    try {
      const response = await fetch(url, { headers });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop(child);
  throw new Error(`${url} did not answer in ${START_TIMEOUT_MS / 1000} s:\n${output.join("")}`);
}

function start(args, env) {
  const output = [];
  const child = spawn("uv", ["run", "--quiet", ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d) => output.push(String(d)));
  child.stderr.on("data", (d) => output.push(String(d)));
  return { child, output };
}

function stop(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once("exit", done);
    process.kill(-child.pid, "SIGTERM");
    setTimeout(() => child.exitCode === null && process.kill(-child.pid, "SIGKILL"), 5_000).unref();
  });
}

/**
 * The local OpenAI-protocol server: `{baseUrl, apiKey, stop()}`. `replyModule`
 * (`pkg.mod:func`) makes it answer with that function's replies instead of its default text.
 */
export async function startOpenAIServer({ replyModule } = {}) {
  const port = await freePort();
  const apiKey = "sk-e2e-local-7f3c";
  const reply = replyModule ? ["--reply-module", replyModule] : [];
  const { child, output } = start(
    ["python", "-m", "tests.llm_servers.openai", "--port", String(port), "--api-key", apiKey, ...reply],
    {},
  );
  const baseUrl = `http://127.0.0.1:${port}/v1`;
  await waitFor(`${baseUrl}/models`, { authorization: `Bearer ${apiKey}` }, child, output);
  return { baseUrl, apiKey, output, stop: () => stop(child) };
}

/**
 * binscribe's API and UI on a free port with a temporary data dir: `{url, dataDir, stop()}`.
 * `env` adds settings (`{BINSCRIBE_MAX_UPLOAD_MB: "2"}`).
 */
export async function startBinscribe(env = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "binscribe-e2e-"));
  const { child, output } = start(
    ["uvicorn", "--factory", "binscribe.api.app:create_app", "--host", "127.0.0.1", "--port", String(port)],
    {
      BINSCRIBE_DATA_DIR: dataDir,
      BINSCRIBE_UI_DIR: DIST,
      BINSCRIBE_DATABASE_URL: "",
      BINSCRIBE_API_TOKEN: "",
      LLM_PROVIDER_ENCRYPTION_KEY: "",
      ...env,
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/api/v1/health`, {}, child, output);
  return {
    url,
    dataDir,
    output,
    stop: async () => {
      await stop(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
