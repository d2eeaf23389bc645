/**
 * A business's connection to the provider, from the lifecycle bodies of the corpus (Meta sends
 * them per WABA, without metadata): the book learns each number's WABA from its other events.
 */
import { describe, expect, it } from "vitest";
import {
  applyEvents,
  createContactBook,
  deserializeBook,
  foldEvents,
  getConnection,
  mergeBooks,
  parseWebhook,
  serializeBook,
  serializeBookLines,
  deserializeBookLines,
} from "../../src/index.js";
import { fixtureText } from "../support/fixtures.js";

const ID = "106540352242922";
const WABA = "102290129340398";
const echo = parseWebhook(fixtureText("meta/echo-text.json"));
const removed = parseWebhook(fixtureText("meta/account-update-partner-removed.json"));
const offboardedThenBack = parseWebhook(fixtureText("meta/account-update-offboarded-reconnected.json"));

describe("getConnection", () => {
  it("is unknown before any lifecycle event", () => {
    expect(getConnection(applyEvents(createContactBook(), echo), ID)).toEqual({ state: "unknown" });
    expect(getConnection(createContactBook(), ID)).toEqual({ state: "unknown" });
  });

  it("says disconnected after PARTNER_REMOVED, with its reason and who did it, for every number of the WABA", () => {
    const book = applyEvents(createContactBook(), [...removed, ...echo]);
    const expected = { state: "disconnected", since: 1739400000, event: "PARTNER_REMOVED", reason: "COMPANION_INACTIVITY", initiatedBy: "SYSTEM" };
    expect(getConnection(book, ID)).toEqual(expected);
    expect(getConnection(book, WABA)).toEqual(expected);
    // A number of another WABA is not concerned.
    expect(getConnection(book, "999")).toEqual({ state: "unknown" });
  });

  it("follows the newest event whatever the order: offboarded, then reconnected", () => {
    for (const events of [
      [...echo, ...removed, ...offboardedThenBack],
      [...offboardedThenBack, ...removed, ...echo],
      [...offboardedThenBack.slice().reverse(), ...echo, ...removed, ...offboardedThenBack],
    ]) {
      const book = applyEvents(createContactBook(), events);
      expect(getConnection(book, ID)).toEqual({ state: "connected", since: 1739500300, event: "ACCOUNT_RECONNECTED" });
    }
    const offboarded = applyEvents(createContactBook(), [...echo, ...offboardedThenBack.slice(0, 1)]);
    expect(getConnection(offboarded, ID)).toEqual({ state: "disconnected", since: 1739500000, event: "ACCOUNT_OFFBOARDED" });
  });

  it("applies an event that names a number only to that number of the WABA", () => {
    const offboarded = offboardedThenBack.slice(0, 1);
    const otherNumber = parseWebhook(fixtureText("meta/echo-text.json").replaceAll("15550783881", "15550000000").replaceAll(ID, "777"));
    const book = applyEvents(createContactBook(), [...echo, ...otherNumber, ...removed, ...offboarded]);
    expect(getConnection(book, ID).event).toBe("ACCOUNT_OFFBOARDED");
    expect(getConnection(book, "777").event).toBe("PARTNER_REMOVED");
  });

  it("reads Meta's documented shape (the WABA only as the entry id, the number with a plus) and other providers' reasons", () => {
    const body = (time: number, value: Record<string, unknown>) =>
      parseWebhook(JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: WABA, time, changes: [{ field: "account_update", value }] }] }));
    const removedByUser = body(1739212624, {
      phone_number: "+15550783881",
      event: "PARTNER_REMOVED",
      disconnection_info: { reason: "USER_INITIATED_DISCONNECT", initiated_by: "USER" },
    });
    const book = applyEvents(createContactBook(), [...echo, ...removedByUser]);
    expect(getConnection(book, ID)).toEqual({
      state: "disconnected",
      since: 1739212624,
      event: "PARTNER_REMOVED",
      reason: "USER_INITIATED_DISCONNECT",
      initiatedBy: "USER",
    });
    // About that number only: the WABA as a whole has no word yet.
    expect(getConnection(book, WABA)).toEqual({ state: "unknown" });
    // A body that spells disconnection_info otherwise keeps it (as extras) and still disconnects.
    const otherSpelling = body(1739212700, {
      phone_number: "15550783881",
      event: "PARTNER_REMOVED",
      disconnection_info: { disconnect_reason: "partner_removed", initiator: "business" },
    });
    expect(getConnection(applyEvents(book, otherSpelling), ID)).toEqual({ state: "disconnected", since: 1739212700, event: "PARTNER_REMOVED" });
  });

  it("takes the newest record whichever key it is under, says no time without one, and names only what the event said", () => {
    const wabaWide = (time: number | undefined, value: Record<string, unknown>) =>
      parseWebhook(
        JSON.stringify({
          object: "whatsapp_business_account",
          entry: [{ id: WABA, ...(time === undefined ? {} : { time }), changes: [{ field: "account_update", value }] }],
        }),
      );
    // The number's own offboarding first, the WABA's removal later: the later wins, though it is under the WABA's key.
    const book = applyEvents(createContactBook(), [
      ...echo,
      ...wabaWide(100, { event: "ACCOUNT_OFFBOARDED", phone_number: "15550783881" }),
      ...wabaWide(200, { event: "PARTNER_REMOVED", disconnection_info: { reason: "ACCOUNT_DISCONNECTED" } }),
    ]);
    expect(getConnection(book, ID)).toStrictEqual({ state: "disconnected", since: 200, event: "PARTNER_REMOVED", reason: "ACCOUNT_DISCONNECTED" });
    // An event with no entry time: no `since`, and nothing it did not say.
    const timeless = applyEvents(createContactBook(), [...echo, ...wabaWide(undefined, { event: "PARTNER_ADDED" })]);
    expect(getConnection(timeless, ID)).toStrictEqual({ state: "connected", event: "PARTNER_ADDED" });
  });

  it("keys an event parsed with the phoneNumberId option to that number alone", () => {
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [{ id: WABA, time: 300, changes: [{ field: "account_update", value: { event: "PARTNER_REMOVED" } }] }],
    });
    const events = parseWebhook(body, { phoneNumberId: ID });
    const otherNumber = parseWebhook(fixtureText("meta/echo-text.json").replaceAll("15550783881", "15550000000").replaceAll(ID, "777"));
    const book = applyEvents(createContactBook(), [...echo, ...otherNumber, ...events]);
    expect(serializeBook(book).accounts.map((account) => account.key)).toEqual([`n:${ID}`]);
    expect(getConnection(book, ID)).toStrictEqual({ state: "disconnected", since: 300, event: "PARTNER_REMOVED" });
    expect(getConnection(book, "777")).toStrictEqual({ state: "unknown" });
  });

  it("keeps a display number that is no number out of the book (a placeholder in real traffic)", () => {
    const placeholder = parseWebhook(fixtureText("meta/metadata-placeholder.json"));
    const book = applyEvents(createContactBook(), placeholder);
    for (const business of serializeBook(book).businesses) expect(business.displayNumber === undefined || /^\d+$/.test(business.displayNumber)).toBe(true);
    // The parser leaves such a number out; an event built by hand may carry it: the book keeps none either.
    const [event] = echo;
    const handBuilt = applyEvents(createContactBook(), [{ ...event!, displayPhoneNumber: "DISPLAY_PHONE_NUMBER" }]);
    const without = applyEvents(createContactBook(), [{ ...event!, displayPhoneNumber: undefined }]);
    expect(serializeBook(handBuilt)).toStrictEqual(serializeBook(without));
  });

  it("keeps the lifecycle through merging and serialising, and counts a lifecycle event naming no account as unplaced", () => {
    const a = applyEvents(createContactBook(), [...echo, ...removed]);
    const b = applyEvents(createContactBook(), offboardedThenBack);
    const merged = mergeBooks(a, b);
    expect(getConnection(merged, ID).event).toBe("ACCOUNT_RECONNECTED");
    expect(getConnection(deserializeBook(JSON.parse(JSON.stringify(serializeBook(merged)))), ID)).toEqual(getConnection(merged, ID));
    expect(getConnection(deserializeBookLines(serializeBookLines(merged)), ID)).toEqual(getConnection(merged, ID));
    expect(serializeBook(merged).accounts.map((account) => account.key)).toEqual([`w:${WABA}`, `w:${WABA}/15550783881`]);
    const nameless = parseWebhook(
      JSON.stringify({ object: "whatsapp_business_account", entry: [{ changes: [{ field: "account_update", value: { event: "PARTNER_ADDED" } }] }] }),
    );
    expect(nameless.map((event) => event.type)).toEqual(["AccountLifecycleChanged"]);
    expect(foldEvents(createContactBook(), nameless).unplaced).toEqual({ count: 1, byReason: { "no-business": 1, "no-customer": 0, group: 0 } });
  });

  it("refuses a stored account record that is not one", () => {
    const data = serializeBook(applyEvents(createContactBook(), removed));
    expect(() => deserializeBook({ ...data, accounts: [{ key: "x:1", event: "PARTNER_REMOVED", timestamp: 1 }] })).toThrow(
      /at accounts\[0\].key: Expected an account key/,
    );
    expect(() => deserializeBook({ ...data, accounts: [{ key: "w:1", event: "LOGGED_IN", timestamp: 1 }] })).toThrow(/accounts\[0\].event/);
    const header = JSON.stringify({ format: "whatsapp-coexistence/contact-book", version: 4, form: "lines" });
    expect(() => deserializeBookLines([header, JSON.stringify({ account: { key: "x:1", event: "PARTNER_ADDED", timestamp: 1 } })])).toThrow(
      /line 2\.account\.key: Expected an account key/,
    );
  });
});
