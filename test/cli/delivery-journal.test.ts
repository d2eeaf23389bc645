/**
 * With --snapshot, the inspector's deliveries survive a restart (within the kept-bodies budget),
 * forwarding answers included; a torn last line is skipped.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DeliveryLog } from "../../src/cli/deliveries.js";
import { DeliveryJournal } from "../../src/cli/delivery-journal.js";
import { signPayload } from "../../src/index.js";
import { fixtureText } from "../support/fixtures.js";
import { startServe } from "../support/cli.js";

const work = mkdtempSync(join(tmpdir(), "deliveries-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const reparse = () => ({ events: [], issues: [] });
const outcome = (status: 200 | 401) => ({ status, headers: {}, body: status === 200 ? "" : "no", events: [], issues: [] });

describe("the deliveries' journal", () => {
  it("gives back every kept delivery, its body, headers and the app's answer, and skips a torn line", () => {
    const path = join(work, "a.deliveries");
    const first = new DeliveryLog(reparse);
    new DeliveryJournal(path, first).load();
    const body = new TextEncoder().encode('{"object":"whatsapp_business_account"}');
    const one = first.add("POST", outcome(200), true, body, [], { "x-hub-signature-256": "sha256=ab" });
    first.add("POST", outcome(401), true, new TextEncoder().encode("forged"));
    first.attachForward(one.id, { to: "http://app", status: 202, answer: "ok", ms: 4 });
    appendFileSync(path, '{"summary":{"id":'); // a crash mid-line

    const second = new DeliveryLog(reparse);
    expect(new DeliveryJournal(path, second).load()).toBe(2);
    expect(second.summaries().map((summary) => [summary.id, summary.status, summary.forward?.status])).toEqual([
      [2, 401, undefined],
      [1, 200, 202],
    ]);
    expect(second.detail(1)?.body).toBe('{"object":"whatsapp_business_account"}');
    expect(second.detail(1)?.headers).toEqual({ "x-hub-signature-256": "sha256=ab" });
    // New deliveries number on from the old ones, and are journalled in turn.
    expect(second.add("POST", outcome(200), true, body).id).toBe(3);
    expect(readFileSync(path, "utf8").trim().split("\n")).toHaveLength(3);
  });

  it("stays within the kept-bodies budget: bodies that fell out are not written again", () => {
    const path = join(work, "b.deliveries");
    const log = new DeliveryLog(reparse, 500, 1_000, 1_000);
    new DeliveryJournal(path, log).load();
    for (let index = 0; index < 200; index++) log.add("POST", outcome(200), true, new Uint8Array(400));
    // The log keeps two 400-byte bodies; the file is rewritten before it grows past twice that (and a margin).
    expect(readFileSync(path).byteLength).toBeLessThan(200 * 400);
    const again = new DeliveryLog(reparse, 500, 1_000, 1_000);
    new DeliveryJournal(path, again).load();
    expect(again.keptBytes().accepted).toBeLessThanOrEqual(1_000);
  });
});

describe("serve --snapshot", () => {
  it("shows the deliveries from before a restart", async () => {
    const secret = "journal-secret";
    const snapshot = join(work, "book.jsonl");
    const body = fixtureText("meta/echo-text.json");
    const first = await startServe(["--secret", secret, "--snapshot", snapshot]);
    try {
      await fetch(`${first.url}/webhook`, { method: "POST", body, headers: { "x-hub-signature-256": await signPayload(body, secret) } });
    } finally {
      await first.stop();
    }
    const second = await startServe(["--secret", secret, "--snapshot", snapshot]);
    try {
      expect(second.output()).toContain("1 delivery kept from before the restart");
      const deliveries = (await (await fetch(`${second.url}/api/deliveries`)).json()) as { id: number; status: number }[];
      expect(deliveries.map((delivery) => [delivery.id, delivery.status])).toEqual([[1, 200]]);
      expect(((await (await fetch(`${second.url}/api/deliveries/1`)).json()) as { body: string }).body).toBe(body);
    } finally {
      await second.stop();
    }
  });
});
