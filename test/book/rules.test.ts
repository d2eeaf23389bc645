import { describe, expect, it } from "vitest";
import { compareKeys } from "../../src/book/persistent-map.js";
import {
  applyEvent,
  applyEvents,
  BookFormatError,
  createContactBook,
  deserializeBook,
  getContact,
  getConversation,
  getHistorySync,
  getIdentity,
  listBusinesses,
  listContacts,
  listConversations,
  listMessages,
  mergeBooks,
  BOOK_VERSION,
  parseChange,
  parseWebhook,
  serializeBook,
  type CoexistenceEvent,
} from "../../src/index.js";
import { fixtureText, fixturesIn, validBodies } from "../support/fixtures.js";

const ACME = { phone_number_id: "106540352242922", display_phone_number: "15550783881" };
const OTHER = { phone_number_id: "301928374650192", display_phone_number: "447700900123" };

function contactEvent(action: "add" | "remove", timestamp: number, contact: Record<string, string>, business = ACME): CoexistenceEvent {
  const [event] = parseChange(
    { field: "smb_app_state_sync", value: { metadata: business, state_sync: [{ type: "contact", contact, action, metadata: { timestamp } }] } },
    { wabaId: "1" },
  );
  return event!;
}
const ana = (name = "Ana Lima") => ({ full_name: name, phone_number: "+1 650-555-1234" });

describe("contacts", () => {
  it("a late older add does not resurrect a removed contact", () => {
    const book = applyEvents(createContactBook(), [contactEvent("remove", 20, { phone_number: "16505551234" }), contactEvent("add", 10, ana())]);
    expect(getContact(book, ACME.phone_number_id, "16505551234")).toBeUndefined();
  });

  it("a newer add after a removal restores the contact", () => {
    const book = applyEvents(createContactBook(), [contactEvent("remove", 20, { phone_number: "16505551234" }), contactEvent("add", 30, ana("Ana Restored"))]);
    expect(getContact(book, ACME.phone_number_id, "16505551234")).toEqual({
      phoneNumber: "16505551234",
      fullName: "Ana Restored",
      identity: { phoneNumbers: ["16505551234"], userIds: [], parentUserIds: [] },
      updatedAt: 30,
    });
  });

  it("on equal timestamps a removal wins over an add, in both orders", () => {
    const add = contactEvent("add", 10, ana());
    const remove = contactEvent("remove", 10, { phone_number: "16505551234" });
    for (const order of [
      [add, remove],
      [remove, add],
    ]) {
      expect(getContact(applyEvents(createContactBook(), order), ACME.phone_number_id, "16505551234")).toBeUndefined();
    }
  });

  it("between two adds with equal timestamps, the same one wins in both orders", () => {
    const first = contactEvent("add", 10, ana("Ana A"));
    const second = contactEvent("add", 10, ana("Ana B"));
    const a = getContact(applyEvents(createContactBook(), [first, second]), ACME.phone_number_id, "16505551234");
    const b = getContact(applyEvents(createContactBook(), [second, first]), ACME.phone_number_id, "16505551234");
    expect(a).toEqual(b);
    expect(a?.fullName).toBe("Ana B"); // the fields that serialise greater win
  });

  it("the newest add wins, whatever the arrival order", () => {
    const book = applyEvents(createContactBook(), [
      contactEvent("add", 30, ana("Newest")),
      contactEvent("add", 10, ana("Oldest")),
      contactEvent("add", 20, ana("Middle")),
    ]);
    expect(listContacts(book, ACME.phone_number_id)).toEqual([
      {
        phoneNumber: "16505551234",
        fullName: "Newest",
        identity: { phoneNumbers: ["16505551234"], userIds: [], parentUserIds: [] },
        updatedAt: 30,
        cursor: "p:16505551234",
      },
    ]);
  });

  it("finds a contact by its phone number in any format, or by its user id", () => {
    const book = applyEvents(createContactBook(), [
      contactEvent("add", 1, { full_name: "Ana", phone_number: "16505551234", user_id: "US.111" }),
      contactEvent("add", 1, { full_name: "Davi", phone_number: "", user_id: "BR.2186878922080769" }),
    ]);
    for (const key of ["16505551234", "+1 650-555-1234", "+1 (650) 555 1234", " 1.650.555.1234 "]) {
      expect(getContact(book, ACME.phone_number_id, key)?.fullName).toBe("Ana");
    }
    expect(getContact(book, ACME.phone_number_id, "US.111")?.fullName).toBe("Ana");
    expect(getContact(book, ACME.phone_number_id, "BR.2186878922080769")).toEqual({
      userId: "BR.2186878922080769",
      fullName: "Davi",
      countryCode: "BR",
      identity: { phoneNumbers: [], userIds: ["BR.2186878922080769"], parentUserIds: [] },
      updatedAt: 1,
    });
    expect(getContact(book, ACME.phone_number_id, "16505550000")).toBeUndefined();
  });

  it("one business never sees another's contacts", () => {
    const book = applyEvents(createContactBook(), [contactEvent("add", 1, ana(), ACME), contactEvent("remove", 2, { phone_number: "16505551234" }, OTHER)]);
    expect(getContact(book, ACME.phone_number_id, "16505551234")?.fullName).toBe("Ana Lima");
    expect(getContact(book, OTHER.phone_number_id, "16505551234")).toBeUndefined();
    expect(listContacts(book, OTHER.phone_number_id)).toEqual([]);
    expect(listBusinesses(book)).toEqual([ACME.phone_number_id, OTHER.phone_number_id].sort());
  });

  it("returns the same book for a duplicate, an older add and an unhandled change", () => {
    const add = contactEvent("add", 10, ana());
    const book = applyEvent(createContactBook(), add);
    expect(applyEvent(book, add)).toBe(book);
    expect(applyEvent(book, contactEvent("add", 5, ana("Older")))).toBe(book);
    const [unhandled] = parseChange({ field: "account_update", value: { event: "VERIFIED_ACCOUNT" } }, { wabaId: "1" });
    expect(applyEvent(book, unhandled!)).toBe(book);
  });
});

describe("conversations and history", () => {
  const fixtures = validBodies();
  const allEvents = fixtures.flatMap((fixture) => parseWebhook(fixture.text));

  it("counts a wamid seen twice once", () => {
    const events = parseWebhook(fixtures.find((fixture) => fixture.name === "meta/history-duplicate-wamids.json")!.text);
    const book = applyEvents(createContactBook(), [...events, ...events]);
    expect(getConversation(book, ACME.phone_number_id, "16505551234")).toEqual({
      messageCount: 2,
      lastMessageAt: 1739300000,
      lastMessageId: "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBJISVNUT1JZRFVQMDAwMDAxAA==",
      lastDirection: "inbound",
      phoneNumber: "16505551234",
      identity: { phoneNumbers: ["16505551234"], userIds: [], parentUserIds: [] },
    });
    expect(getHistorySync(book, ACME.phone_number_id)).toEqual({ status: "syncing", progress: 40, chunks: 2, messages: 2 });
  });

  it("joins echoes, received messages, history and media into one timeline per customer", () => {
    const book = applyEvents(createContactBook(), allEvents);
    const conversation = getConversation(book, ACME.phone_number_id, "+1 650 555 1234");
    expect(conversation?.messageCount).toBeGreaterThan(15);
    // Ana's phone, her BSUID (US.1000...) and the number she changed to are one person: her newest
    // message is the echo sent to her BSUID alone (meta/echo-contacts-username-only.json).
    expect(conversation).toMatchObject({ lastMessageAt: 1739401500, lastDirection: "outbound", phoneNumber: "16505551234" });
    expect(getConversation(book, ACME.phone_number_id, "US.10000000000000000001")).toEqual(conversation);
    expect(getConversation(book, ACME.phone_number_id, "+1 650 555 9999")).toEqual(conversation);
    // Davi writes by BSUID alone (his parent BSUID came with a status): one person, listed once, by user id.
    const davi = listConversations(book, ACME.phone_number_id).filter((entry) => entry.identity.userIds.includes("BR.2186878922080769"));
    expect(davi.map((entry) => [entry.customer, entry.identity])).toEqual([
      [{ userId: "BR.2186878922080769" }, { phoneNumbers: [], userIds: ["BR.2186878922080769"], parentUserIds: ["BR.ENT.5521000000000001"] }],
    ]);
  });

  it("complete at progress 100 even when more chunks follow; a refusal is sticky", () => {
    const more = parseWebhook(fixtures.find((fixture) => fixture.name === "meta/history-complete-then-more.json")!.text);
    const syncing = parseWebhook(fixtures.find((fixture) => fixture.name === "meta/history-chunk.json")!.text);
    const declined = parseWebhook(fixtures.find((fixture) => fixture.name === "meta/history-declined.json")!.text);
    const complete = applyEvents(createContactBook(), [...more, ...syncing]);
    expect(getHistorySync(complete, ACME.phone_number_id)).toMatchObject({ status: "complete", progress: 100, chunks: 3 });
    for (const order of [
      [...declined, ...syncing, ...more],
      [...syncing, ...more, ...declined],
    ]) {
      expect(getHistorySync(applyEvents(createContactBook(), order), ACME.phone_number_id)).toMatchObject({ status: "declined", declined: { code: 2593109 } });
    }
    expect(getHistorySync(createContactBook(), ACME.phone_number_id)).toEqual({ status: "none", progress: 0, chunks: 0, messages: 0 });
  });

  it("the fixtures folded in any order give one book", () => {
    const expected = JSON.stringify(serializeBook(applyEvents(createContactBook(), allEvents)));
    const reversed = [...allEvents].reverse();
    const interleaved = allEvents.filter((_, index) => index % 2 === 0).concat(allEvents.filter((_, index) => index % 2 === 1));
    for (const order of [reversed, interleaved, [...allEvents, ...reversed]]) {
      expect(JSON.stringify(serializeBook(applyEvents(createContactBook(), order)))).toBe(expected);
    }
    const half = Math.floor(allEvents.length / 2);
    const merged = mergeBooks(applyEvents(createContactBook(), allEvents.slice(0, half)), applyEvents(createContactBook(), allEvents.slice(half)));
    expect(JSON.stringify(serializeBook(merged))).toBe(expected);
  });
});

describe("serialised books", () => {
  const book = applyEvents(
    createContactBook(),
    validBodies().flatMap((fixture) => parseWebhook(fixture.text)),
  );
  const data = serializeBook(book);

  it("are JSON-safe, versioned and sorted", () => {
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    expect(data).toMatchObject({ format: "whatsapp-coexistence/contact-book", version: BOOK_VERSION });
    const keys = Object.values(data.businesses)[0]!.contacts.map((contact) => contact.key);
    expect(keys).toEqual([...keys].sort());
  });

  it("restore from data or JSON text", () => {
    expect(serializeBook(deserializeBook(JSON.stringify(data)))).toEqual(data);
  });

  it.each([
    ["not JSON", "{", "", /Not valid JSON/],
    ["another document", { hello: "world" }, "format", /format/],
    ["a future version", { ...data, version: BOOK_VERSION + 1 }, "version", new RegExp(`version ${BOOK_VERSION + 1}.*Upgrade`)],
    ["a bad contact kind", JSON.parse(JSON.stringify(data).replace('"kind":"add"', '"kind":"edit"')), "businesses", /add.*remove|Invalid/],
    ["a negative timestamp", JSON.parse(JSON.stringify(data).replace(/"timestamp":\d+/, '"timestamp":-1')), "businesses", /Expected >=0 but received -1/],
    ["an unknown field", { ...data, extra: true }, "extra", /Invalid key: Expected never but received "extra"/],
  ])("reject %s with a clear error", (_, input, path, message) => {
    let error: unknown;
    try {
      deserializeBook(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BookFormatError);
    const issues = (error as BookFormatError).issues;
    expect(issues[0]?.path.startsWith(path)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});

describe("a book serialised by 0.1.0 (format version 1)", () => {
  const stored = JSON.parse(fixtureText("books/v1-contact-book.json"));
  const answers = JSON.parse(fixtureText("books/v1-answers.json")) as Record<
    string,
    { contacts: Record<string, unknown>[]; conversations: { customer: Record<string, string>; messageCount: number }[]; historySync: unknown }
  >;
  const book = deserializeBook(stored);

  it("still loads, and answers what 0.1.0 answered, now with each person's identity", () => {
    for (const [id, expected] of Object.entries(answers)) {
      expect(listContacts(book, id).map(({ identity: _, cursor: __, ...contact }) => contact)).toEqual(expected.contacts);
      expect(getHistorySync(book, id)).toEqual(expected.historySync);
      for (const { customer, messageCount } of expected.conversations) {
        const key = customer.phoneNumber ?? customer.userId!;
        expect(getConversation(book, id, key)?.messageCount, key).toBe(messageCount);
      }
    }
  });

  it("links what version 1 knew together: an address-book record's phone number and user ids", () => {
    expect(getIdentity(book, ACME.phone_number_id, "US.13491208655302741918")).toEqual({
      phoneNumbers: [],
      userIds: ["US.13491208655302741918"],
      parentUserIds: ["US.ENT.11815799212886844830"],
    });
  });

  it("is written back in the current version, and that round-trips", () => {
    const data = serializeBook(book);
    expect(data.version).toBe(BOOK_VERSION);
    expect(serializeBook(deserializeBook(JSON.parse(JSON.stringify(data))))).toEqual(data);
  });
});

describe("a book serialised in format version 3 (before 0.3.0 was released: no accounts, retention or erasure)", () => {
  const stored = JSON.parse(fixtureText("books/v3-contact-book.json"));
  const corpus = applyEvents(
    createContactBook(),
    fixturesIn("meta").flatMap((fixture) => parseWebhook(fixture.text)),
  );

  it("loads, and answers every query about contacts, conversations, messages and history as the book it was written from", () => {
    expect(stored.version).toBe(3);
    const book = deserializeBook(stored);
    expect(listBusinesses(book)).toEqual(listBusinesses(corpus));
    for (const id of listBusinesses(corpus)) {
      expect(listContacts(book, id, { limit: 500 })).toEqual(listContacts(corpus, id, { limit: 500 }));
      const conversations = listConversations(book, id, { limit: 500 });
      expect(conversations).toEqual(listConversations(corpus, id, { limit: 500 }));
      let messages = 0;
      for (const { customer } of conversations) {
        const key = "phoneNumber" in customer ? customer.phoneNumber : customer.userId;
        const entries = listMessages(corpus, id, key, { limit: 1000 });
        messages += entries.length;
        expect(listMessages(book, id, key, { limit: 1000 }), key).toEqual(entries);
      }
      expect(messages).toBe(conversations.reduce((sum, conversation) => sum + conversation.messageCount, 0));
      expect(getHistorySync(book, id)).toEqual(getHistorySync(corpus, id));
    }
    // Written back in the current version.
    expect(serializeBook(book).version).toBe(BOOK_VERSION);
  });
});

describe("a book serialised by 0.2.0 (format version 2, messages without their content)", () => {
  const stored = JSON.parse(fixtureText("books/v2-contact-book.json"));
  const answers = JSON.parse(fixtureText("books/v2-answers.json")) as Record<string, { contacts: unknown[]; conversations: unknown[]; historySync: unknown }>;
  const book = deserializeBook(stored);

  it("still loads, and answers every query version 2 answered", () => {
    expect(stored.version).toBe(2);
    for (const [id, expected] of Object.entries(answers)) {
      // Version 2 listed both by each person's smallest identifier; the conversations are now newest first.
      expect(listContacts(book, id).map(({ cursor: _, ...contact }) => contact)).toEqual(expected.contacts);
      const bySmallestIdentifier = (entry: unknown) => JSON.stringify((entry as { identity: unknown }).identity);
      const conversations = listConversations(book, id).map(({ cursor: _, ...entry }) => entry);
      expect(conversations.sort((a, b) => compareKeys(bySmallestIdentifier(a), bySmallestIdentifier(b)))).toEqual(
        [...expected.conversations].sort((a, b) => compareKeys(bySmallestIdentifier(a), bySmallestIdentifier(b))),
      );
      expect(getHistorySync(book, id)).toEqual(expected.historySync);
    }
  });

  it("lists each message it kept, without content, with the origin it can tell (history, echo or received)", () => {
    const [business] = Object.keys(answers);
    for (const conversation of listConversations(book, business!)) {
      const key = "phoneNumber" in conversation.customer ? conversation.customer.phoneNumber : conversation.customer.userId;
      const entries = listMessages(book, business!, key, { limit: 1000 });
      expect(entries).toHaveLength(conversation.messageCount);
      for (const entry of entries) {
        expect(entry.message).toBeUndefined();
        expect(entry.origin).toBe(stored.businesses[0].historyMessages.includes(entry.id) ? "history" : entry.direction === "outbound" ? "echo" : "received");
      }
    }
  });

  it("takes each message's content when the same events arrive again", () => {
    const [business] = Object.keys(answers);
    const refreshed = applyEvents(
      book,
      validBodies().flatMap((fixture) => parseWebhook(fixture.text)),
    );
    const fresh = applyEvents(
      createContactBook(),
      validBodies().flatMap((fixture) => parseWebhook(fixture.text)),
    );
    const conversations = listConversations(fresh, business!);
    expect(conversations.length).toBeGreaterThan(3);
    for (const { identity } of conversations) {
      const key = identity.phoneNumbers[0] ?? identity.userIds[0]!;
      expect(listMessages(refreshed, business!, key, { limit: 1000 })).toEqual(listMessages(fresh, business!, key, { limit: 1000 }));
    }
  });
});
