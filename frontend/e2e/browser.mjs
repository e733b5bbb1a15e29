// The browser side of the end-to-end tests: Debian's chromium through playwright-core, a page
// that records console errors, full-page screenshots into test-results/, and the axe-core check.
import AxeBuilder from "@axe-core/playwright";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { chromium } from "playwright-core";

export const SHOTS = resolve(import.meta.dirname, "..", "test-results");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HEADING_RULES = new Set(["heading-order", "page-has-heading-one", "empty-heading"]);
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

/**
 * `{browser, page, consoleErrors, shot(name, width), noSeriousA11yViolations(where),
 * useScheme(scheme)}`.
 */
export async function openBrowser() {
  mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(String(e)));

  /**
   * The health chip answered and no transition runs (screenshots and axe see a still page);
   * endless animations (a running job's spinner) are left spinning.
   */
  async function settled() {
    await page.getByText(/^Service ok · v/).waitFor();
    await page.waitForFunction(() =>
      document
        .getAnimations()
        .every((a) => a.playState !== "running" || a.effect?.getTiming().iterations === Infinity),
    );
  }

  /** A full-page screenshot `test-results/<name>-<width>.png`. */
  async function shot(name, width = 1280) {
    await page.setViewportSize({ width, height: 900 });
    await settled();
    await page.screenshot({ path: resolve(SHOTS, `${name}-${width}.png`), fullPage: true });
  }

  /**
   * Fails listing every serious or critical axe-core violation on the page, and any break in
   * the heading structure (axe rates those moderate).
   */
  async function noSeriousA11yViolations(where) {
    await settled();
    const { violations } = await new AxeBuilder({ page }).analyze();
    const serious = violations.filter(
      (v) => v.impact === "serious" || v.impact === "critical" || HEADING_RULES.has(v.id),
    );
    const summary = serious.map(
      (v) => `${v.id}: ${v.nodes.map((n) => `${n.target} ${n.failureSummary}`).join("; ")}`,
    );
    assert.deepEqual(summary, [], `axe on ${where}`);
  }

  /**
   * Emulates `prefers-color-scheme: <scheme>` ("light" or "dark") and waits until the page shows
   * it (the body's background turned dark or light): the theme follows a media-query listener,
   * so right after `emulateMedia` React may not have re-rendered and colour transitions may not
   * have started, and axe would measure colours halfway between the two themes.
   */
  async function useScheme(scheme) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForFunction((dark) => {
      const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
      return r + g + b < 384 === dark;
    }, scheme === "dark");
  }

  return { browser, page, consoleErrors, shot, noSeriousA11yViolations, useScheme };
}
