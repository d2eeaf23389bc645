/**
 * `trigger <kind>`: each kind's body is what real traffic sends (it parses without an issue into
 * the events of its kind, aimed at the business and customer given), signed as Meta signs it.
 */
import { describe, expect, it } from "vitest";
import { TRIGGER_KINDS, trigger, type TriggerTarget } from "../../src/cli/trigger.js";
import { UsageError } from "../../src/cli/usage.js";
import {
  applyEvents,
  createContactBook,
  getContact,
  getIdentity,
  getHistorySync,
  listMessages,
  safeParseWebhook,
  type CoexistenceEvent,
} from "../../src/index.js";
import { runCliAsync, startServe } from "../support/cli.js";

const target: TriggerTarget = { phoneNumberId: "111222333444555", businessNumber: "15550783881", customer: "4915123456789", now: 1_800_000_000, unique: "abc" };

/** The event types each kind must make. */
const EXPECTED: Record<string, CoexistenceEvent["type"][]> = {
  "contact-added": ["ContactAdded"],
  "contact-edited": ["ContactAdded"],
  "contact-removed": ["ContactRemoved"],
  "echo-text": ["MessageEchoed"],
  "echo-image": ["MessageEchoed"],
  "echo-document": ["MessageEchoed"],
  "echo-location": ["MessageEchoed"],
  "echo-reaction": ["MessageEchoed"],
  "message-received": ["MessageReceived"],
  status: ["MessageStatusUpdated"],
  "history-chunk": ["HistoryChunk"],
  "history-chunk-360dialog": ["HistoryChunk"],
  "history-declined": ["HistoryDeclined"],
  "history-media": ["HistoryMedia"],
  "bsuid-rotation": ["UserIdChanged"],
};

describe("trigger's kinds", () => {
  it("cover the kinds the developer's loop needs, each parsing cleanly into its events for the business given", () => {
    expect(Object.keys(TRIGGER_KINDS).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [kind, { body }] of Object.entries(TRIGGER_KINDS)) {
      const result = safeParseWebhook(JSON.stringify(body(target)));
      expect(result.success ? [] : result.issues, kind).toEqual([]);
      expect(
        result.events.map((event) => event.type),
        kind,
      ).toEqual(EXPECTED[kind]);
      for (const event of result.events) expect(event.phoneNumberId, kind).toBe(target.phoneNumberId);
    }
  });

  it("aim at the customer given: the book folds them into that customer's contact, timeline and history", () => {
    // Triggered one after the other, each at its own time (the edit a second after the add).
    const events = ["contact-added", "contact-edited", "message-received", "echo-reaction", "echo-text", "history-chunk", "bsuid-rotation"].flatMap(
      (kind, index) => safeParseWebhook(JSON.stringify(TRIGGER_KINDS[kind]!.body({ ...target, now: target.now + index }))).events,
    );
    const book = applyEvents(createContactBook(), events);
    expect(getContact(book, target.phoneNumberId, "+49 151 23456789")).toMatchObject({ fullName: "Ana Lima Souza" });
    expect(getIdentity(book, target.phoneNumberId, "US.20000000000000000002")?.phoneNumbers).toEqual([target.customer]);
    const timeline = listMessages(book, target.phoneNumberId, target.customer, { limit: 10 });
    expect(timeline.map((entry) => entry.origin).sort()).toEqual(["echo", "history", "history", "received"]);
    expect(timeline.find((entry) => entry.origin === "received")?.reactions).toEqual([{ emoji: "👍", from: "15550783881", timestamp: target.now + 3 }]);
    expect(getHistorySync(book, target.phoneNumberId)).toMatchObject({ status: "complete", messages: 2 });
  });

  it("names the kinds when none or an unknown one is given", async () => {
    const options = { to: "http://127.0.0.1:1/", secret: undefined, phoneNumberId: "1", businessNumber: "2", customer: "3" };
    await expect(trigger({ ...options, kind: undefined })).rejects.toThrow(UsageError);
    await expect(trigger({ ...options, kind: "toString" })).rejects.toThrow(/Unknown kind "toString"\. The kinds:\n {2}contact-added/);
  });
});

describe("whatsapp-coexistence trigger", () => {
  it("sends signed webhooks that serve verifies and folds, and says what it answered", async () => {
    const secret = "trigger-secret";
    const server = await startServe(["--secret", secret]);
    try {
      const sent = await runCliAsync(["trigger", "contact-added", "--to", `${server.url}/webhook`, "--secret", secret, "--customer", "+49 151 23456789"]);
      expect(sent.status).toBe(0);
      expect(sent.stdout).toMatch(/^✓ contact-added to http:\/\/127\.0\.0\.1:\d+\/webhook: 200/);
      const contacts = (await (await fetch(`${server.url}/summary`)).json()) as { businesses: Record<string, { contacts: { fullName?: string }[] }> };
      expect(contacts.businesses["106540352242922"]?.contacts.map((contact) => contact.fullName)).toEqual(["Ana Lima"]);
      const forged = await runCliAsync(["trigger", "echo-text", "--to", `${server.url}/webhook`, "--secret", "not-the-secret"]);
      expect(forged.status).toBe(1);
      expect(forged.stdout).toMatch(/^✗ echo-text to .*: 401/);
      const nobody = await runCliAsync(["trigger", "status", "--to", "http://127.0.0.1:1/webhook"]);
      expect(nobody.status).toBe(1);
      expect(nobody.stdout).toMatch(/^✗ status to http:\/\/127\.0\.0\.1:1\/webhook: /);
    } finally {
      await server.stop();
    }
  });
});
