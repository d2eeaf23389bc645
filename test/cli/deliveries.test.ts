import { describe, expect, it } from "vitest";
import { DeliveryLog, verdictOf } from "../../src/cli/deliveries.js";
import { parseWebhook, safeParseWebhook, type WebhookOutcome } from "../../src/index.js";
import { fixtureText } from "../support/fixtures.js";

const ok = (body: string): WebhookOutcome => ({ status: 200, body: "OK", headers: {}, events: parseWebhook(body), issues: [] });
const bytes = (text: string) => new TextEncoder().encode(text);
const reparse = (raw: Uint8Array) => {
  const result = safeParseWebhook(raw);
  return { events: result.events, issues: result.success ? [] : result.issues };
};

describe("the delivery log of serve's inspector", () => {
  it("names the fields a delivery's events came from, and judges its signature", () => {
    const log = new DeliveryLog(reparse);
    const body = fixtureText("meta/conversation-out-of-order.json");
    const summary = log.add("POST", ok(body), true, bytes(body));
    expect(summary).toMatchObject({
      id: 1,
      method: "POST",
      status: 200,
      signature: "valid",
      fields: ["history", "messages", "smb_message_echoes"],
      events: 11,
      issues: 0,
    });
    expect(verdictOf("POST", { ...ok(body), status: 401 }, true)).toBe("invalid");
    expect(verdictOf("POST", { ...ok(body), status: 413 }, true)).toBe("not read");
    expect(verdictOf("POST", ok(body), false)).toBe("not checked");
    expect(verdictOf("GET", ok(body), true)).toBe("not read");
  });

  it("keeps every summary up to its capacity, and raw bodies only within its byte budget (the newest always)", () => {
    const log = new DeliveryLog(reparse, 3, 2_000, 6_000);
    const body = fixtureText("meta/state-sync-initial.json"); // about 1.2 kB
    for (let index = 0; index < 5; index++) log.add("POST", ok(body), true, bytes(body));
    expect(log.summaries().map((summary) => summary.id)).toEqual([5, 4, 3]);
    expect(log.detail(5)?.body).toBe(body);
    expect(log.detail(4)?.body).toBeUndefined();
    expect(log.detail(4)?.parsed).toBeUndefined();
    expect(log.detail(1)).toBeUndefined();
    const huge = "x".repeat(5_000);
    log.add("POST", { status: 400, body: "bad", headers: {}, events: [], issues: [] }, true, bytes(huge));
    expect(log.detail(6)?.body).toBe(huge);
    expect(log.detail(6)?.answer).toBe("bad");
    expect(log.detail(6)?.issueList).toMatchObject([{ path: "", message: expect.stringMatching(/not valid JSON/) }]);
    // A refused body counts against the refused budget: the accepted one is still kept.
    expect(log.detail(5)?.body).toBe(body);
  });

  it("keeps refused bodies apart: unsigned junk never pushes accepted deliveries out", () => {
    const log = new DeliveryLog(reparse, 500, 10_000, 3_000);
    const body = fixtureText("meta/state-sync-initial.json");
    log.add("POST", ok(body), true, bytes(body));
    const junk = "y".repeat(1_000);
    for (let index = 0; index < 50; index++) log.add("POST", { status: 401, body: "no", headers: {}, events: [], issues: [] }, true, bytes(junk));
    expect(log.detail(1)?.body).toBe(body);
    expect(log.keptBytes()).toEqual({ accepted: bytes(body).byteLength, refused: 3_000 });
    // What is kept is the raw body alone: its events are made again, exactly as parsed.
    expect(log.detail(1)?.parsed).toEqual(parseWebhook(body));
  });
});
