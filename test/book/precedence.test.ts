/**
 * Each precedence rule's order key, pinned by fixed values: the book compares these keys and the
 * store stores them, so a change to a rule changes a value here.
 */
import { describe, expect, it } from "vitest";
import {
  accountValueWins,
  contactOrder,
  contentOrder,
  declinedOrder,
  editOrder,
  lifecycleOrder,
  reactionOrder,
  statusOrder,
} from "../../src/book/precedence.js";
import type { MessageRecord } from "../../src/book/timeline-records.js";

const record = (overrides: Partial<MessageRecord>): MessageRecord => ({
  key: "p:16505551234",
  timestamp: 100,
  direction: "inbound",
  origin: "received",
  message: { id: "wamid.1", timestamp: 100, type: "text", text: { body: "hi" } },
  status: undefined,
  errors: undefined,
  history: false,
  firstAt: 100,
  ...overrides,
});

describe("the order keys", () => {
  it("contact: time, removal over add, then the fields' JSON", () => {
    expect(contactOrder({ kind: "remove", timestamp: 50, contact: { phoneNumber: "1" } })).toBe('00000000000501{"phoneNumber":"1"}');
    expect(contactOrder({ kind: "add", timestamp: 50, contact: { phoneNumber: "1", fullName: "Zed" } })).toBe(
      '00000000000500{"phoneNumber":"1","fullName":"Zed"}',
    );
  });

  it("content: content over none, media over placeholder, origin, the earlier time, outbound", () => {
    expect(contentOrder(record({}))).toBe("2299999999998990");
    expect(contentOrder(record({ origin: "history" }))).toBe("2199999999998990");
    expect(contentOrder(record({ origin: "echo", direction: "outbound" }))).toBe("2399999999998991");
    expect(contentOrder(record({ origin: "api", message: undefined }))).toBe("0099999999998990");
    expect(contentOrder(record({ message: { id: "wamid.1", timestamp: 100, type: "media_placeholder" } as MessageRecord["message"] }))).toBe(
      "1299999999998990",
    );
  });

  it("status: the rank, then the errors' JSON", () => {
    expect(statusOrder({ status: undefined, errors: undefined })).toBe("0");
    expect(statusOrder({ status: "played", errors: undefined })).toBe("4");
    expect(statusOrder({ status: "failed", errors: [{ code: 131047 }] })).toBe('5[{"code":131047}]');
  });

  it("edit: time, then the content's JSON; reaction: time, then the emoji; refusal: its JSON", () => {
    expect(editOrder({ timestamp: 30, content: { type: "text", text: { body: "b" } } })).toBe('0000000000030{"type":"text","text":{"body":"b"}}');
    expect(reactionOrder({ from: "16505551234", emoji: "👍", timestamp: 20 })).toBe("0000000000020👍");
    expect(declinedOrder({ code: 2593109, title: "off" })).toBe('{"code":2593109,"title":"off"}');
  });

  it("lifecycle: time, disconnecting over connecting, then the record's JSON", () => {
    expect(lifecycleOrder({ event: "PARTNER_REMOVED", timestamp: 5, reason: "COMPANION_INACTIVITY" })).toBe(
      '00000000000051{"event":"PARTNER_REMOVED","timestamp":5,"reason":"COMPANION_INACTIVITY"}',
    );
    expect(lifecycleOrder({ event: "ACCOUNT_RECONNECTED", timestamp: 5 })).toBe('00000000000050{"event":"ACCOUNT_RECONNECTED","timestamp":5}');
  });

  it("a business's WABA id and display number: the greater, never none over one", () => {
    expect([accountValueWins("2", "1"), accountValueWins("1", "2"), accountValueWins("1", "1")]).toEqual([true, false, false]);
    expect([accountValueWins("1", undefined), accountValueWins(undefined, "1")]).toEqual([true, false]);
  });
});
