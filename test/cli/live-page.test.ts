/**
 * The live inspector in a real headless browser (Debian's chromium, driven by playwright-core):
 * post webhooks, see each delivery, the book and a conversation's timeline update without a
 * reload; replay, filter, trigger, forward to an app and a restart. CI installs chromium; elsewhere the test is skipped when /usr/bin/chromium is missing
 * (and fails under CI=true, so CI never skips it silently).
 */
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signPayload } from "../../src/index.js";
import { fixtureText, metaBody } from "../support/fixtures.js";
import { ROOT, runCliAsync, startServe, type ServeProcess } from "../support/cli.js";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available && process.env.CI !== undefined) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium package.`);
if (!available) console.warn(`Skipping the live page test: ${CHROMIUM} is not installed (apt-get install chromium).`);

const SECRET = "page-secret";
const BUSINESS = '[data-business="106540352242922"]';
const LUCIA = "34612345678";

describe.skipIf(!available)("the live inspector", () => {
  let browser: Browser;
  let server: ServeProcess;
  let page: Page;
  const problems: string[] = [];

  async function post(body: string, signature?: string): Promise<number> {
    const headers = { "content-type": "application/json", "x-hub-signature-256": signature ?? (await signPayload(body, SECRET)) };
    return (await fetch(`${server.url}/webhook`, { method: "POST", body, headers })).status;
  }

  beforeAll(async () => {
    server = await startServe(["--secret", SECRET]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"], // launch() gives every run a fresh temporary profile
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => message.type() === "error" && problems.push(`console: ${message.text()}`));
    await page.goto(`${server.url}/`);
    // A mark on the window: it survives only as long as the page is never reloaded.
    await page.evaluate(() => ((window as unknown as { mark: number }).mark = 42));
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const stillTheSamePage = async () => expect(await page.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(42);

  it("lists every delivery as it arrives: time, fields, signature verdict, answer, events and issues", async () => {
    await expect.poll(() => page.locator("#status").textContent(), { timeout: 10_000 }).toBe("No deliveries yet. Live.");
    expect(await post(fixtureText("meta/state-sync-initial.json"))).toBe(200);
    expect(await post(fixtureText("meta/conversation-out-of-order.json"))).toBe(200);
    expect(await post(fixtureText("meta/history-chunk.json"), "sha256=" + "0".repeat(64))).toBe(401);
    expect(await post('{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"smb_message_echoes","value":{"message_echoes":[{}]}}]}]}')).toBe(
      400,
    );
    const rows = page.locator("#delivery-list li");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(4);
    const texts = await rows.allTextContents();
    expect(texts[0]).toMatch(/400validPOST — · 0 events · \d issues/);
    expect(texts[1]).toMatch(/401invalidPOST —/);
    expect(texts[2]).toMatch(/200valid.*history, messages, smb_message_echoes · 11 events/);
    expect(texts[3]).toMatch(/^\d\d:\d\d:\d\d UTC200validPOST smb_app_state_sync · 3 events$/);
    expect(await page.locator("#status").textContent()).toBe("4 deliveries received. Live.");
    await stillTheSamePage();
  }, 30_000);

  it("shows a delivery's raw body, parsed events and issues on demand", async () => {
    await page.locator("#delivery-list li").nth(2).click();
    await expect.poll(() => page.locator("#delivery-title").textContent(), { timeout: 10_000 }).toMatch(/^Delivery #2 · POST 200 · signature valid$/);
    await expect.poll(() => page.locator("#delivery-events").textContent()).toContain('"type": "MessageEchoed"');
    expect(await page.locator("#delivery-body").textContent()).toContain('"field": "smb_message_echoes"');
    await page.locator("#delivery-list li").nth(0).click();
    await expect
      .poll(() => page.locator("#delivery-issues").textContent(), { timeout: 10_000 })
      .toMatch(/entry\[0\]\.changes\[0\]\.value\.message_echoes\[0\]/);
    await page.locator("#delivery-list li").nth(1).click();
    await expect
      .poll(() => page.locator("#delivery-answer").textContent(), { timeout: 10_000 })
      .toBe("Answer: The signature does not match the body (a wrong secret, or a body changed on the way).");
    expect(await page.locator("#delivery-title").textContent()).toMatch(/signature invalid \(mismatch\)$/);
    expect(await page.locator("#delivery-events").textContent()).toBe("[]");
  }, 30_000);

  it("shows the book, and a conversation's timeline with edits, revokes, reactions, statuses and placeholders", async () => {
    await expect.poll(() => page.locator(`${BUSINESS} table.contacts`).textContent(), { timeout: 10_000 }).toContain("Ana Lima");
    const row = page.locator(`${BUSINESS} table.conversations tr[data-customer="+${LUCIA}"]`);
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain("6 messages");
    await row.locator("button.open-timeline").click();
    const entries = page.locator("#timeline-entries li.entry");
    await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(6);
    // Oldest first, like a chat.
    const shown = await entries.evaluateAll((items) =>
      items.map((item) => ({
        origin: item.getAttribute("data-origin"),
        direction: item.classList.contains("outbound") ? "out" : "in",
        text: item.textContent,
      })),
    );
    expect(shown.map((entry) => `${entry.origin} ${entry.direction}`)).toEqual(["history in", "history out", "api out", "echo out", "echo out", "received in"]);
    expect(shown[0]!.text).toContain("[media placeholder: the media follows in a later webhook]");
    expect(shown[0]!.text).toContain("read");
    expect(shown[2]!.text).toContain("Sent through the API");
    expect(shown[2]!.text).toContain("read");
    expect(shown[3]!.text).toContain("edited 2025-02-14 02:29");
    expect(shown[3]!.text).toContain("¡Hola Lucía! Tu pedido sale el lunes 📦");
    expect(shown[3]!.text).toContain(`❤️ ${LUCIA}`);
    expect(shown[4]!.text).toContain("This message was deleted.");
    expect(shown[5]!.text).toContain("¿Llega el lunes entonces?");
    await stillTheSamePage();
  }, 30_000);

  it("updates the open timeline and the book live, without reloading the page", async () => {
    const echo = metaBody([
      {
        field: "smb_message_echoes",
        value: {
          messaging_product: "whatsapp",
          metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
          message_echoes: [{ from: "15550783881", to: LUCIA, id: "wamid.live.1", timestamp: "1739500500", type: "text", text: { body: "Sí, el lunes." } }],
        },
      },
    ]);
    expect(await post(echo)).toBe(200);
    const entries = page.locator("#timeline-entries li.entry");
    await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(7);
    expect(await entries.last().textContent()).toContain("Sí, el lunes.");
    await expect
      .poll(() => page.locator(`${BUSINESS} table.conversations tr[data-customer="+${LUCIA}"]`).textContent(), { timeout: 10_000 })
      .toContain("7 messages");
    await stillTheSamePage();
  }, 30_000);

  it("shows markup from payloads as text: nothing in a body runs or loads", async () => {
    const name = `<img src=x onerror="window.pwned=1">Eve`;
    const stateSync = metaBody(
      [
        {
          field: "smb_app_state_sync",
          value: {
            messaging_product: "whatsapp",
            metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
            state_sync: [{ type: "contact", contact: { full_name: name, phone_number: "15550001111" }, action: "add", metadata: { timestamp: "1739500600" } }],
          },
        },
      ],
      "1",
    );
    expect(await post(stateSync)).toBe(200);
    await expect.poll(() => page.locator(`${BUSINESS} table.contacts`).textContent(), { timeout: 10_000 }).toContain(name);
    expect(await page.locator("#businesses img").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await stillTheSamePage();
    expect(problems).toEqual([]);
    // The screenshot for the docs (copied to docs/images/inspector.png).
    // In the page itself, in one step: the live update this post caused may be re-rendering the timeline.
    await page.evaluate(() => document.querySelector("#timeline-entries li.entry")?.scrollIntoView({ block: "nearest" }));
    mkdirSync(join(ROOT, ".artifacts"), { recursive: true });
    await page.screenshot({ path: join(ROOT, ".artifacts", "inspector.png"), fullPage: true });
  }, 30_000);

  it("says which events of a delivery the book could not place, and why", async () => {
    expect(await post(fixtureText("360dialog/partner-forward-no-metadata.json"))).toBe(200);
    const newest = page.locator("#delivery-list li").first();
    await expect.poll(() => newest.textContent(), { timeout: 10_000 }).toMatch(/smb_app_state_sync · 1 event · not all placed$/);
    await newest.click();
    await expect
      .poll(() => page.locator("#delivery-issues [data-unplaced]").textContent(), { timeout: 10_000 })
      .toBe("Not placed in the book: 1 event names no business (no metadata.phone_number_id in the body): pass the phoneNumberId parse option to place them.");
    expect(problems).toEqual([]);
  }, 30_000);

  it("replays a kept delivery to serve from its details, shows its request headers, and gives it as curl", async () => {
    const before = await page.locator("#delivery-list li").count();
    await page.locator("#delivery-list li").last().click();
    await expect.poll(() => page.locator("#delivery-title").textContent(), { timeout: 10_000 }).toMatch(/^Delivery #1 · POST 200 · signature valid$/);
    expect(await page.locator("#delivery-headers").textContent()).toMatch(/x-hub-signature-256: sha256=[0-9a-f]{64}/);
    await page.locator('button[data-replay="serve"]').click();
    await expect.poll(() => page.locator("#delivery-action-result").textContent(), { timeout: 10_000 }).toMatch(/→ 200 in \d+ ms/);
    // The replay arrived as a delivery of its own, verified like the first.
    await expect.poll(() => page.locator("#delivery-list li").count(), { timeout: 10_000 }).toBe(before + 1);
    expect(await page.locator("#delivery-list li").first().textContent()).toMatch(/200validPOST smb_app_state_sync · 3 events/);
    // Without --forward-to there is no app: the page says so.
    await page.locator('button[data-replay="app"]').click();
    await expect.poll(() => page.locator("#delivery-action-result").textContent(), { timeout: 10_000 }).toMatch(/without --forward-to/);
    await page.locator("button[data-curl]").click();
    await expect.poll(() => page.locator("#delivery-action-result").textContent(), { timeout: 10_000 }).toMatch(/Copied\.|curl -sS -X POST/);
    mkdirSync(join(ROOT, ".artifacts"), { recursive: true });
    await page.screenshot({ path: join(ROOT, ".artifacts", "inspector-replay.png"), fullPage: true });
    await stillTheSamePage();
    // The replay to an app that is not there is answered 400, which the browser logs: that one is expected.
    expect(problems.filter((problem) => !problem.includes("status of 400"))).toEqual([]);
  }, 30_000);

  it("filters deliveries by text (field, event type) and verdict, with the details beside the list", async () => {
    const rows = page.locator("#delivery-list li");
    const all = await rows.count();
    await page.locator("#delivery-filter").fill("MessageEchoed");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeLessThan(all);
    for (const text of await rows.allTextContents()) expect(text).toMatch(/smb_message_echoes|history/);
    await rows.first().click();
    await page.screenshot({ path: join(ROOT, ".artifacts", "inspector-filter.png"), fullPage: true });
    await page.locator("#delivery-filter").fill("");
    await page.locator("#delivery-verdict").selectOption("invalid");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    expect(await rows.first().textContent()).toMatch(/401invalid/);
    await page.locator("#delivery-verdict").selectOption("");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(all);
    // The details sit beside the list, where a click on any row shows them without scrolling.
    await rows.last().click();
    const [list, details] = [await page.locator("#deliveries").boundingBox(), await page.locator("#delivery").boundingBox()];
    expect(details!.x).toBeGreaterThanOrEqual(list!.x + list!.width);
    expect(details!.y).toBeLessThan(list!.y + 200);
  }, 30_000);

  it("shows a webhook sent by trigger as it arrives, verified", async () => {
    const rows = page.locator("#delivery-list li");
    const before = await rows.count();
    const sent = await runCliAsync([
      "trigger",
      "history-chunk-360dialog",
      "--to",
      `${server.url}/webhook`,
      "--secret",
      SECRET,
      "--customer",
      "+49 151 23456789",
    ]);
    expect(sent.status).toBe(0);
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(before + 1);
    expect(await rows.first().textContent()).toMatch(/200validPOST history · 1 event$/);
    await expect.poll(() => page.locator("#businesses").textContent(), { timeout: 10_000 }).toContain("+4915123456789");
    await stillTheSamePage();
  }, 30_000);

  it("shows a business's connection as its WABA's lifecycle events arrive", async () => {
    expect(await post(fixtureText("meta/account-update-partner-removed.json"))).toBe(200);
    await expect
      .poll(() => page.locator(`${BUSINESS} .connection`).textContent(), { timeout: 10_000 })
      .toBe("Disconnected since 2025-02-12 22:40 UTC (PARTNER_REMOVED, COMPANION_INACTIVITY, by SYSTEM)");
    expect(await post(fixtureText("meta/account-update-offboarded-reconnected.json"))).toBe(200);
    await expect.poll(() => page.locator(`${BUSINESS} .connection`).textContent(), { timeout: 10_000 }).toMatch(/^Connected since .* \(ACCOUNT_RECONNECTED\)$/);
    await stillTheSamePage();
  }, 30_000);

  /**
   * Plays something out in a page of its own, once it is live: its live stream then closed (nothing
   * arrives but what the test makes) and its state exposed as `pageState` (a top-level const of the
   * page's script is reachable by name from an expression only).
   */
  async function inDetachedPage(play: (tab: Page) => Promise<void>): Promise<void> {
    const tab = await browser.newPage();
    try {
      await tab.goto(`${server.url}/`);
      await expect.poll(() => tab.locator("#status").textContent(), { timeout: 10_000 }).toMatch(/Live\.$/);
      await tab.evaluate("source.close(); globalThis.pageState = state");
      await play(tab);
    } finally {
      await tab.close();
    }
  }

  it("keeps each delivery's newest summary whatever order the list, the delivery and the app's answer reach the page in", async () => {
    await inDetachedPage(async (tab) => {
      const outcomes = await tab.evaluate(() => {
        type Summary = { id: number; forward?: { status: number } };
        const page = globalThis as unknown as {
          pageState: { deliveries: Summary[] };
          keepDelivery(d: Summary): void;
          keepDeliveries(list: Summary[]): void;
        };
        const first = { id: 7 };
        const answered = { id: 7, forward: { status: 202 } };
        const second = { id: 8 };
        // Serve's list was read before the app answered; the events come in any order around it.
        const steps: (() => void)[] = [
          () => page.keepDeliveries([{ ...first }, { id: 6 }]),
          () => page.keepDelivery({ ...first }),
          () => page.keepDelivery({ ...answered }),
          () => page.keepDelivery({ ...second }),
        ];
        const orders: number[][] = [];
        const permute = (rest: number[], done: number[]): void => {
          if (rest.length === 0) orders.push(done);
          for (const step of rest)
            permute(
              rest.filter((each) => each !== step),
              [...done, step],
            );
        };
        permute([0, 1, 2, 3], []);
        return orders.map((order) => {
          page.pageState.deliveries = [];
          for (const step of order) steps[step]!();
          return JSON.stringify(page.pageState.deliveries.filter((d) => d.id !== 6));
        });
      });
      expect(outcomes).toHaveLength(24);
      expect(new Set(outcomes)).toEqual(new Set([JSON.stringify([{ id: 8 }, { id: 7, forward: { status: 202 } }])]));
    });
  });

  it("keeps each business's newest view, and the last timeline asked for, whatever order the page's answers come back in", async () => {
    // Its fetches are answered by hand: each order is played out exactly.
    await inDetachedPage(async (tab) => {
      const outcomes = await tab.evaluate(async () => {
        type View = { id: string; n: number };
        const page = globalThis as unknown as {
          pageState: { businesses: Map<string, View> };
          getJson(url: string): Promise<unknown>;
          renderBusinesses(): void;
          reloadAll(): Promise<void>;
          refreshBusinesses(ids: string[]): Promise<void>;
        };
        const pending: { url: string; resolve: (value: unknown) => void }[] = [];
        page.getJson = (url) => new Promise((resolve) => pending.push({ url, resolve }));
        page.renderBusinesses = () => undefined;
        const answer = async (index: number, views: View[]) => {
          const asked = pending[index]!;
          asked.resolve(asked.url.startsWith("/api/deliveries") ? [] : views);
          for (let turn = 0; turn < 5; turn++) await Promise.resolve();
        };
        const run = async (play: () => Promise<void>) => {
          pending.length = 0;
          page.pageState.businesses = new Map();
          await play();
          return page.pageState.businesses.get("B")?.n;
        };
        return [
          // The list is asked for, then one business; the business answers first.
          await run(async () => {
            void page.reloadAll();
            void page.refreshBusinesses(["B"]);
            await answer(2, [{ id: "B", n: 2 }]);
            await answer(0, []);
            await answer(1, [{ id: "B", n: 1 }]);
          }),
          // Two refreshes of one business answered in the other order.
          await run(async () => {
            void page.refreshBusinesses(["B"]);
            void page.refreshBusinesses(["B"]);
            await answer(1, [{ id: "B", n: 3 }]);
            await answer(0, [{ id: "B", n: 2 }]);
          }),
          // A refresh asked before the list, answered after it.
          await run(async () => {
            void page.refreshBusinesses(["B"]);
            void page.reloadAll();
            await answer(1, []);
            await answer(2, [{ id: "B", n: 4 }]);
            await answer(0, [{ id: "B", n: 3 }]);
          }),
        ];
      });
      expect(outcomes).toEqual([2, 3, 4]);
      // Two timelines asked for (one conversation, then another): the last asked is shown, whatever answers first.
      const shown = await tab.evaluate(async () => {
        const page = globalThis as unknown as {
          pageState: { conversation?: { key: string; entries: unknown[] } };
          getJson(url: string): Promise<unknown>;
          renderConversation(): void;
          loadConversation(business: string, key: string, label: string, count: number): Promise<void>;
        };
        const pending: ((value: unknown) => void)[] = [];
        page.getJson = () => new Promise((resolve) => pending.push(resolve));
        page.renderConversation = () => undefined;
        const first = page.loadConversation("B", "p:1", "+1", 50);
        const second = page.loadConversation("B", "p:2", "+2", 50);
        pending[1]!([{ id: "wamid.2" }]);
        await second;
        pending[0]!([{ id: "wamid.1" }]);
        await first;
        return [page.pageState.conversation?.key, page.pageState.conversation?.entries];
      });
      expect(shown).toEqual(["p:2", [{ id: "wamid.2" }]]);
    });
  });

  it("forwards to the app behind it, shows the app's answer, replays to the app, and keeps the deliveries across a restart", async () => {
    // The user's app: it answers 202 "queued" and keeps what it was sent.
    const received: { body: string; signature: string | undefined }[] = [];
    const app = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        received.push({ body: Buffer.concat(chunks).toString("utf8"), signature: request.headers["x-hub-signature-256"] as string | undefined });
        response.writeHead(202, { "content-type": "text/plain" }).end("queued");
      });
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/hook`;
    const snapshot = join(mkdtempSync(join(tmpdir(), "inspector-")), "book.json");
    const options = ["--secret", SECRET, "--forward-to", appUrl, "--snapshot", snapshot];
    let forwarding = await startServe(options);
    const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    try {
      await tab.goto(`${forwarding.url}/`);
      const body = fixtureText("meta/state-sync-initial.json");
      const signature = await signPayload(body, SECRET);
      expect(
        (await fetch(`${forwarding.url}/webhook`, { method: "POST", body, headers: { "content-type": "application/json", "x-hub-signature-256": signature } }))
          .status,
      ).toBe(200);
      const rows = tab.locator("#delivery-list li");
      await expect.poll(() => rows.first().textContent(), { timeout: 10_000 }).toMatch(/→ app 202 in \d+ ms/);
      // The app got the body byte for byte, signed as Meta signed it.
      expect(received).toEqual([{ body, signature }]);
      await rows.first().click();
      await expect
        .poll(() => tab.locator("#delivery").textContent(), { timeout: 10_000 })
        .toMatch(new RegExp(`Forwarded to ${appUrl}: 202 in \\d+ ms, answer: queued`));
      await tab.locator('button[data-replay="app"]').click();
      await expect.poll(() => tab.locator("#delivery-action-result").textContent(), { timeout: 10_000 }).toMatch(/202/);
      expect(received).toHaveLength(2);
      expect(received[1]).toEqual({ body, signature });
      await tab.screenshot({ path: join(ROOT, ".artifacts", "inspector-forward.png"), fullPage: true });
      // A restart (same snapshot): the deliveries and the book are still there, the app's answer too.
      await forwarding.stop();
      forwarding = await startServe(options);
      await tab.goto(`${forwarding.url}/`);
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
      expect(await rows.first().textContent()).toMatch(/smb_app_state_sync · 3 events · → app 202 in \d+ ms/);
      await expect.poll(() => tab.locator("#businesses").textContent(), { timeout: 10_000 }).toContain("Ana Lima");
    } finally {
      await tab.close();
      await forwarding.stop();
      await new Promise((resolve) => app.close(resolve));
    }
  }, 60_000);
});
