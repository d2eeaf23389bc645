/**
 * Retention (`HistoryRetained`): a business keeps its messages from a horizon on. Checked on the
 * corpus's history chunk, retried after the horizon was set (Meta retries for days), as the
 * properties check it on generated streams in any order.
 */
import { describe, expect, it } from "vitest";
import {
  applyEvent,
  applyEvents,
  createContactBook,
  deserializeBook,
  getConversation,
  getHistorySync,
  getIdentity,
  historyRetained,
  listMessages,
  mergeBooks,
  parseWebhook,
  serializeBook,
} from "../../src/index.js";
import { expectSameBook } from "../support/books.js";
import { fixtureText } from "../support/fixtures.js";

const ID = "106540352242922";
const chunk = parseWebhook(fixtureText("meta/history-chunk.json"));
/** Between the chunk's first thread's second (1739230120) and third (1739230180) message. */
const HORIZON = 1739230150;

describe("HistoryRetained", () => {
  it("drops the messages older than the horizon, keeps the newer, and does not take the old ones back from a retried chunk", () => {
    const before = applyEvents(createContactBook(), chunk);
    expect(getConversation(before, ID, "16505551234")?.messageCount).toBe(3);
    const retained = applyEvent(before, historyRetained(ID, { before: HORIZON }));
    expect(listMessages(retained, ID, "16505551234").map((entry) => entry.timestamp)).toEqual([1739230180]);
    expect(getConversation(retained, ID, "16505551234")).toMatchObject({ messageCount: 1, lastMessageAt: 1739230180 });
    // The other thread is newer: kept whole.
    expect(getConversation(retained, ID, "5511987654321")).toEqual(getConversation(before, ID, "5511987654321"));
    // Everything older still: no conversation left, and the customer is still known (retention keeps the address book).
    const all = applyEvent(retained, historyRetained(ID, { before: 1739240000 }));
    expect(getConversation(all, ID, "16505551234")).toBeUndefined();
    expect(listMessages(all, ID, "5511987654321")).toEqual([]);
    expect(getIdentity(all, ID, "16505551234")).toEqual(getIdentity(before, ID, "16505551234"));
    // The sync's own count of history messages is what Meta sent, retained or not.
    expect(getHistorySync(retained, ID)).toEqual(getHistorySync(before, ID));
    // Meta retries the chunk: nothing older comes back, and the book is the same book.
    expect(applyEvents(retained, chunk)).toBe(retained);
    // The horizon first, then the chunk: the same book.
    expectSameBook(applyEvents(createContactBook(), [historyRetained(ID, { before: HORIZON }), ...chunk]), retained);
  });

  it("frees what it dropped: no content of a dropped message is kept, only its id", () => {
    const retained = applyEvents(createContactBook(), [...chunk, historyRetained(ID, { before: HORIZON })]);
    const data = serializeBook(retained);
    const business = data.businesses.find((each) => each.phoneNumberId === ID)!;
    expect(business.messages.map((message) => message.timestamp).sort()).toEqual([1739230180, 1739231000]);
    expect(business.dropped.map(([, key]) => key)).toEqual(["p:16505551234", "p:16505551234"]);
    expect(JSON.stringify(data)).not.toContain("blue dress");
    expect(JSON.stringify(data)).not.toContain("Size M and L");
    expect(business.retainedBefore).toBe(HORIZON);
    // Restored and merged, it keeps refusing the old messages.
    const restored = deserializeBook(JSON.parse(JSON.stringify(data)));
    expect(applyEvents(restored, chunk)).toBe(restored);
    expectSameBook(mergeBooks(applyEvents(createContactBook(), chunk), restored), retained);
  });

  it("only rises: an earlier horizon changes nothing", () => {
    const retained = applyEvents(createContactBook(), [...chunk, historyRetained(ID, { before: HORIZON })]);
    expect(applyEvent(retained, historyRetained(ID, { before: HORIZON - 1000 }))).toBe(retained);
  });

  it("is made by historyRetained from days or a time, and refuses what is not one", () => {
    const now = new Date("2026-12-04T00:00:00Z");
    expect(historyRetained(ID, { days: 180, now })).toEqual({ type: "HistoryRetained", phoneNumberId: ID, before: now.getTime() / 1000 - 180 * 86_400 });
    expect(historyRetained(ID, { before: new Date(1739230150_000) }).before).toBe(1739230150);
    expect(historyRetained(ID, { before: 5 }).before).toBe(5);
    expect(() => historyRetained("", { days: 1 })).toThrow(/phoneNumberId/);
    expect(() => historyRetained(ID, { days: 1.5 })).toThrow(/whole number of days/);
    expect(() => historyRetained(ID, { before: -1 })).toThrow(/unix seconds/);
    expect(() => historyRetained(ID, { before: new Date(Number.NaN) })).toThrow(/before must be unix seconds/);
    expect(() => historyRetained(ID, { days: 1, now: -5 })).toThrow(/now must be unix seconds or a Date, not -5/);
    expect(() => historyRetained(ID, { days: -1 })).toThrow(/whole number of days, not -1/);
    // Zero days keeps nothing before now; a horizon at 0 keeps everything.
    expect(historyRetained(ID, { days: 0, now: 1739230150 }).before).toBe(1739230150);
    expect(historyRetained(ID, { before: 0 }).before).toBe(0);
    // From plain JavaScript: an id that is not a string is refused by name, not used.
    expect(() => historyRetained(106540352242922 as unknown as string, { days: 1 })).toThrow(/phoneNumberId/);
  });
});
