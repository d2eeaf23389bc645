/**
 * The live page in a real headless browser (Debian's chromium, driven by playwright-core): post a
 * webhook, see the contact appear. CI installs chromium; elsewhere the test is skipped when
 * /usr/bin/chromium is missing (and fails under CI=true, so CI never skips it silently).
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signPayload } from "../../src/index.js";
import { fixtureText } from "../support/fixtures.js";
import { ROOT, startServe, type ServeProcess } from "../support/cli.js";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available && process.env.CI !== undefined) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium package.`);
if (!available) console.warn(`Skipping the live page test: ${CHROMIUM} is not installed (apt-get install chromium).`);

describe.skipIf(!available)("the live page", () => {
  let browser: Browser;
  let server: ServeProcess;

  beforeAll(async () => {
    server = await startServe(["--secret", "page-secret"]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],  // launch() gives every run a fresh temporary profile
    });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows a contact and the history sync soon after their webhooks arrive", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await expect.poll(() => page.locator("#status").textContent(), { timeout: 10_000 }).toBe("No events yet.");
    for (const name of ["meta/state-sync-initial.json", "meta/history-chunk.json"]) {
      const body = fixtureText(name);
      const response = await fetch(`${server.url}/webhook`, { method: "POST", body, headers: { "x-hub-signature-256": await signPayload(body, "page-secret") } });
      expect(response.status).toBe(200);
    }
    const contacts = page.locator('section[data-business="106540352242922"] table.contacts');
    await expect.poll(() => contacts.textContent(), { timeout: 10_000 }).toContain("Ana Lima");
    expect(await contacts.locator("tr").count()).toBe(3);
    expect(await page.locator('section[data-business="106540352242922"] .sync').textContent()).toBe("syncing, 25%, 1 chunks, 5 messages");
    mkdirSync(join(ROOT, ".artifacts"), { recursive: true });
    await page.screenshot({ path: join(ROOT, ".artifacts", "live-page.png"), fullPage: true });
  }, 30_000);
});
