/**
 * Never two customers made one: a body links only identifiers that one of its items pairs. Checked
 * on every body of the corpus (and on pairs of them), with fixed examples for each way it once went
 * wrong: a profile that describes someone else, the business's own number, group traffic.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyEvents,
  createContactBook,
  foldEvents,
  getConversation,
  getIdentity,
  listMessages,
  safeParseWebhook,
  type ContactBook,
  type Identity,
} from "../../src/index.js";
import { fixtureText, fixturesIn } from "../support/fixtures.js";

const BUSINESS = "106540352242922";

/** The arrays whose elements are items: each names at most one customer (or a rotation of one). */
const ITEM_ARRAYS = new Set(["messages", "message_echoes", "statuses", "state_sync", "threads", "user_id_update", "user_preferences", "contacts"]);

/** Every string leaf of a value, phone-like ones also as digits. */
function leafTexts(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => leafTexts(item, into));
  else if (typeof value === "object" && value !== null) Object.values(value).forEach((item) => leafTexts(item, into));
  else if (typeof value === "string") {
    into.add(value);
    if (/^\+?[0-9\s().-]+$/.test(value)) into.add(value.replace(/[^0-9]/g, ""));
  }
  return into;
}

/** The top-level items of a body (an item's nested arrays, a thread's messages, belong to it). */
function itemsOf(value: unknown, key?: string, into: unknown[] = []): unknown[] {
  if (Array.isArray(value)) {
    if (key !== undefined && ITEM_ARRAYS.has(key)) into.push(...value);
    else value.forEach((item) => itemsOf(item, undefined, into));
  } else if (typeof value === "object" && value !== null) {
    for (const [child, item] of Object.entries(value)) itemsOf(item, child, into);
  }
  return into;
}

const identifiersOf = (identity: Identity) => [...identity.phoneNumbers, ...identity.userIds, ...identity.parentUserIds];

/**
 * The people of a book that no single item of the bodies explains: identifiers of one person that
 * are not connected through identifiers that items hold together.
 */
function unexplainedPeople(bodies: readonly unknown[], book: ContactBook, businesses: readonly string[]): string[][] {
  const items = bodies.flatMap((body) => itemsOf(body)).map((item) => leafTexts(item));
  const candidates = new Set(items.flatMap((texts) => [...texts]));
  const problems: string[][] = [];
  for (const business of businesses) {
    const seen = new Set<string>();
    for (const candidate of candidates) {
      if (seen.has(candidate)) continue;
      const identity = getIdentity(book, business, candidate);
      if (identity === undefined) continue;
      const members = identifiersOf(identity);
      members.forEach((member) => seen.add(member));
      // Grow a component from one member through items that hold a member already reached.
      const reached = new Set([members[0]!]);
      for (let grown = true; grown;) {
        grown = false;
        for (const texts of items) {
          if (![...reached].some((member) => texts.has(member))) continue;
          for (const member of members) {
            if (reached.has(member) || !texts.has(member)) continue;
            reached.add(member);
            grown = true;
          }
        }
      }
      if (reached.size !== members.length) problems.push(members);
    }
  }
  return problems;
}

const bodies = fixturesIn("meta", "360dialog", "reported").map((fixture) => ({ name: fixture.name, body: JSON.parse(fixture.text) as unknown }));
/** The businesses of the corpus. */
const BUSINESSES = [BUSINESS, "301928374650192"];
const fold = (...documents: unknown[]) =>
  applyEvents(
    createContactBook(),
    documents.flatMap((body) => safeParseWebhook(body as object).events),
  );

describe("a body links only identifiers that one of its items pairs", () => {
  for (const { name, body } of bodies) {
    it(name, () => {
      const book = fold(body);
      expect(unexplainedPeople([body], book, BUSINESSES)).toEqual([]);
    });
  }

  it("so do any two bodies together", () => {
    fc.assert(
      fc.property(fc.constantFrom(...bodies), fc.constantFrom(...bodies), (a, b) => {
        const book = fold(a.body, b.body);
        expect(unexplainedPeople([a.body, b.body], book, BUSINESSES)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe("never two customers made one", () => {
  it("a change's only profile that shares no identifier with its event lends no identity", () => {
    const book = fold(JSON.parse(fixtureText("meta/preferences-profile-of-someone-else.json")));
    expect(getIdentity(book, BUSINESS, "16505551234")).toEqual({ phoneNumbers: ["16505551234"], userIds: [], parentUserIds: [] });
    expect(getIdentity(book, BUSINESS, "972987654321")).toBeUndefined();
  });

  it("a profile that shares an identifier with its event links the rest of it", () => {
    const body = JSON.parse(fixtureText("meta/preferences-profile-of-someone-else.json"));
    body.entry[0].changes[0].value.contacts[0].wa_id = "16505551234";
    const book = fold(body);
    expect(getIdentity(book, BUSINESS, "IL.50000000000000000001")).toEqual({
      phoneNumbers: ["16505551234"],
      userIds: ["IL.50000000000000000001"],
      parentUserIds: ["IL.ENT.60000000000000000001"],
    });
  });

  it("an event that names no customer takes its profile as the customer", () => {
    const body = JSON.parse(fixtureText("meta/echo-text.json"));
    const echo = body.entry[0].changes[0].value.message_echoes[0];
    delete echo.to;
    body.entry[0].changes[0].value.contacts = [{ wa_id: "4915112345678", user_id: "DE.1" }];
    const book = fold(body);
    expect(getConversation(book, BUSINESS, "DE.1")).toMatchObject({ messageCount: 1, lastMessageId: echo.id });
  });

  it("the business's own phone_number_id is never one of a customer's numbers (the change's profile names the customer)", () => {
    const body = JSON.parse(fixtureText("reported/messages-from-business-own-id.json"));
    const { book, unplaced } = foldEvents(createContactBook(), safeParseWebhook(body).events);
    expect(getIdentity(book, BUSINESS, BUSINESS)).toBeUndefined();
    expect(getIdentity(book, BUSINESS, "16505551234")).toEqual({ phoneNumbers: ["16505551234"], userIds: [], parentUserIds: [] });
    expect(unplaced.count).toBe(0);
    // Without the profile, the message names no customer: it is counted, not placed.
    delete body.entry[0].changes[0].value.contacts;
    const alone = foldEvents(createContactBook(), safeParseWebhook(body).events);
    expect(getIdentity(alone.book, BUSINESS, BUSINESS)).toBeUndefined();
    expect(alone.unplaced).toEqual({ count: 1, byReason: { "no-business": 0, "no-customer": 1, group: 0 } });
  });

  it("a customer who writes with a user id beside the business's number keeps the user id, not the number", () => {
    const body = JSON.parse(fixtureText("reported/messages-from-business-own-id.json"));
    body.entry[0].changes[0].value.messages[0].from = "+1 555-078-3881";
    body.entry[0].changes[0].value.messages[0].from_user_id = "US.7";
    const book = fold(body);
    expect(getIdentity(book, BUSINESS, "US.7")).toEqual({ phoneNumbers: [], userIds: ["US.7"], parentUserIds: [] });
  });

  it("group traffic stays out of one-to-one conversations; each participant's own ids are linked", () => {
    const body = JSON.parse(fixtureText("meta/group-message-and-statuses.json"));
    const { book, unplaced } = foldEvents(createContactBook(), safeParseWebhook(body).events);
    expect(getConversation(book, BUSINESS, "16505551234")).toBeUndefined();
    expect(listMessages(book, BUSINESS, "351912345678")).toEqual([]);
    expect(getIdentity(book, BUSINESS, "16505551234")).toEqual({ phoneNumbers: ["16505551234"], userIds: ["US.10000000000000000001"], parentUserIds: [] });
    expect(getIdentity(book, BUSINESS, "PT.ENT.77000000000000000001")).toEqual({
      phoneNumbers: ["351912345678"],
      userIds: ["PT.88000000000000000001"],
      parentUserIds: ["PT.ENT.77000000000000000001"],
    });
    // The group itself is nobody.
    expect(getIdentity(book, BUSINESS, "Y2FwaV9ncm91cDoxNTU1MDc4Mzg4MToxMjAzNjMwMjUwMDAwMDAwMDE")).toBeUndefined();
    expect(unplaced).toEqual({ count: 3, byReason: { "no-business": 0, "no-customer": 0, group: 3 } });
  });
});
