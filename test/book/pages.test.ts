/**
 * The inbox's lists are pages: conversations newest first, contacts by each person's smallest
 * identifier, each with a stable cursor. Their pages join into the whole list in every order of
 * the events, and a page's cost does not grow with the business (counted, not timed).
 */
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { applyEvents, createContactBook, listContacts, listConversations, parseChange, type CoexistenceEvent, type ContactBook } from "../../src/index.js";
import { conversationOrder, everyPage } from "../../src/book/pages.js";
import { compareKeys } from "../../src/book/persistent-map.js";
import { BUSINESS_IDS, eventsArbitrary } from "../support/event-streams.js";

/** Map reads the queries make, counted. */
const { reads } = vi.hoisted(() => ({ reads: { count: 0 } }));
vi.mock("../../src/book/persistent-map.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/book/persistent-map.js")>();
  return {
    ...real,
    getEntry: (...args: Parameters<typeof real.getEntry>) => {
      reads.count++;
      return real.getEntry(...args);
    },
  };
});

const BUSINESS = { display_phone_number: "15550783881", phone_number_id: "106540352242922" };
const ID = BUSINESS.phone_number_id;

function received(from: string, id: string, timestamp: number): CoexistenceEvent[] {
  return parseChange(
    { field: "messages", value: { metadata: BUSINESS, messages: [{ from, id, timestamp, type: "text", text: { body: "hi" } }] } },
    { wabaId: "1" },
  );
}
function contact(phone: string, name: string, timestamp: number, action = "add"): CoexistenceEvent[] {
  return parseChange(
    {
      field: "smb_app_state_sync",
      value: { metadata: BUSINESS, state_sync: [{ type: "contact", contact: { full_name: name, phone_number: phone }, action, metadata: { timestamp } }] },
    },
    { wabaId: "1" },
  );
}

/** A business of `people` customers, each with a contact and `perPerson` messages. */
function business(people: number, perPerson = 2): ContactBook {
  const events: CoexistenceEvent[] = [];
  for (let person = 0; person < people; person++) {
    const phone = String(4915100000000 + person);
    events.push(...contact(phone, `Customer ${person}`, 1));
    for (let message = 0; message < perPerson; message++)
      events.push(...received(phone, `wamid.${person}.${message}`, 1_000 + ((person * 7919 + message) % 5_000)));
  }
  return applyEvents(createContactBook(), events);
}

describe("conversation pages", () => {
  it("list newest first (the greater id first on a tie), each page after the cursor, joining into the whole list", () => {
    const book = applyEvents(createContactBook(), [
      ...received("16505551234", "wamid.a", 10),
      ...received("34612345678", "wamid.b", 30),
      ...received("5511987654321", "wamid.c", 20),
      ...received("4915112345678", "wamid.d", 30),
    ]);
    const first = listConversations(book, ID, { limit: 2 });
    expect(first.map((entry) => entry.lastMessageId)).toEqual(["wamid.d", "wamid.b"]);
    expect(first.map((entry) => entry.cursor)).toEqual(["30:wamid.d", "30:wamid.b"]);
    const second = listConversations(book, ID, { before: first[1]!.cursor, limit: 2 });
    expect(second.map((entry) => entry.lastMessageId)).toEqual(["wamid.c", "wamid.a"]);
    expect(listConversations(book, ID, { before: second[1]!.cursor })).toEqual([]);
    // A cursor stays where it was when a conversation moves to the top.
    const moved = applyEvents(book, received("16505551234", "wamid.e", 40));
    expect(listConversations(moved, ID, { before: first[1]!.cursor }).map((entry) => entry.lastMessageId)).toEqual(["wamid.c"]);
    expect(listConversations(moved, ID, { limit: 1 })[0]).toMatchObject({ lastMessageId: "wamid.e", messageCount: 2 });
  });

  it("join into the same list whatever the order of the events and the size of a page", () => {
    const stream = Array.from({ length: 40 }, (_, index) => received(String(4915100000000 + (index % 12)), `wamid.${index}`, 100 + (index % 9))).flat();
    fc.assert(
      fc.property(fc.shuffledSubarray(stream, { minLength: stream.length }), fc.integer({ min: 1, max: 7 }), (order, limit) => {
        const book = applyEvents(createContactBook(), order);
        const pages = everyPage((before) => listConversations(book, ID, { before, limit }));
        expect(pages).toEqual(everyPage((before) => listConversations(applyEvents(createContactBook(), stream), ID, { before, limit: 100 })));
        const sorted = [...pages].sort((a, b) => conversationOrder(a.lastMessageAt, a.lastMessageId, b.lastMessageAt, b.lastMessageId));
        expect(pages).toEqual(sorted);
        expect(new Set(pages.map((entry) => entry.lastMessageId)).size).toBe(12);
      }),
      { numRuns: 100 },
    );
  });

  it("follow people who turn out to be one: one entry, its newest message", () => {
    let book = applyEvents(createContactBook(), [
      ...received("16505551234", "wamid.1", 10),
      ...parseChange(
        {
          field: "messages",
          value: { metadata: BUSINESS, messages: [{ from: "", from_user_id: "US.1", id: "wamid.2", timestamp: 20, type: "text", text: { body: "x" } }] },
        },
        { wabaId: "1" },
      ),
    ]);
    expect(listConversations(book, ID)).toHaveLength(2);
    book = applyEvents(
      book,
      parseChange(
        {
          field: "messages",
          value: {
            metadata: BUSINESS,
            messages: [{ from: "16505551234", from_user_id: "US.1", id: "wamid.3", timestamp: 5, type: "text", text: { body: "y" } }],
          },
        },
        { wabaId: "1" },
      ),
    );
    expect(listConversations(book, ID)).toMatchObject([{ lastMessageId: "wamid.2", messageCount: 3 }]);
  });

  it("refuse a cursor that is none, and say the new form to a caller of the old", () => {
    const book = business(3);
    expect(() => listConversations(book, ID, { before: "wamid.1" })).toThrow(/before must be an entry's cursor/);
    expect(() => listConversations(book, ID, { limit: 0 })).toThrow(RangeError);
    expect(() => listConversations(book, ID, "p:1" as never)).toThrow(/takes \(book, phoneNumberId, \{ before\?, limit\? \}\) and returns a page/);
  });
});

describe("contact pages", () => {
  it("list by each person's smallest identifier, after the cursor; a removed contact leaves, a re-added one returns", () => {
    let book = applyEvents(createContactBook(), [
      ...contact("34612345678", "Lucía", 1),
      ...contact("16505551234", "Ana", 1),
      ...contact("4915112345678", "Jonas", 1),
    ]);
    const first = listContacts(book, ID, { limit: 2 });
    expect(first.map((entry) => entry.fullName)).toEqual(["Ana", "Lucía"]);
    expect(listContacts(book, ID, { after: first[1]!.cursor }).map((entry) => entry.fullName)).toEqual(["Jonas"]);
    book = applyEvents(book, contact("34612345678", "Lucía", 2, "remove"));
    expect(listContacts(book, ID).map((entry) => entry.fullName)).toEqual(["Ana", "Jonas"]);
    book = applyEvents(book, contact("34612345678", "Lucía again", 3));
    expect(listContacts(book, ID).map((entry) => entry.fullName)).toEqual(["Ana", "Lucía again", "Jonas"]);
  });

  it("join into the same list whatever the order of the events, with each person once", () => {
    const stream = Array.from({ length: 30 }, (_, index) =>
      contact(String(4915100000000 + (index % 10)), `Name ${index}`, index % 4, index % 5 === 0 ? "remove" : "add"),
    ).flat();
    fc.assert(
      fc.property(fc.shuffledSubarray(stream, { minLength: stream.length }), fc.integer({ min: 1, max: 6 }), (order, limit) => {
        const pages = everyPage((after) => listContacts(applyEvents(createContactBook(), order), ID, { after, limit }));
        expect(pages).toEqual(everyPage((after) => listContacts(applyEvents(createContactBook(), stream), ID, { after, limit: 100 })));
        expect(pages.map((entry) => entry.cursor)).toEqual([...pages.map((entry) => entry.cursor)].sort(compareKeys));
      }),
      { numRuns: 100 },
    );
  });
});

describe("a person whose identifiers were first seen without a time (a history media profile)", () => {
  it("is listed once, by its smallest identifier, on pages of one", () => {
    const media = parseChange(
      {
        field: "history",
        value: {
          messaging_product: "whatsapp",
          metadata: BUSINESS,
          contacts: [{ wa_id: "16505551234", user_id: "US.9", profile: { name: "Ana" } }],
          messages: [{ from: "447700900456", id: "wamid.m", timestamp: "1", type: "image", image: { id: "m1" } }],
        },
      },
      { wabaId: "1" },
    );
    const byUserId = parseChange(
      {
        field: "smb_app_state_sync",
        value: {
          messaging_product: "whatsapp",
          metadata: BUSINESS,
          state_sync: [{ type: "contact", contact: { user_id: "US.9", full_name: "Ana" }, action: "add", metadata: { timestamp: 5 } }],
        },
      },
      { wabaId: "1" },
    );
    const book = applyEvents(createContactBook(), [...contact("10000000001", "Abel", 1), ...media, ...byUserId]);
    const pages = everyPage((after) => listContacts(book, ID, { after, limit: 1 }));
    expect(pages.map((entry) => entry.fullName)).toEqual(["Abel", "Ana"]);
    expect(pages.map((entry) => entry.cursor)).toEqual(["p:10000000001", "p:16505551234"]);
  });
});

describe("the contact list, once listed, kept as the book folds", () => {
  it("after a listing, later events (people joining, removals, new people) give the list a fresh book builds", () => {
    fc.assert(
      fc.property(eventsArbitrary, fc.nat(), (events, cut) => {
        const at = cut % (events.length + 1);
        let book = applyEvents(createContactBook(), events.slice(0, at));
        for (const id of BUSINESS_IDS) listContacts(book, id, { limit: 2 }); // builds the lists
        for (const event of events.slice(at)) book = applyEvents(book, [event]);
        const fresh = applyEvents(createContactBook(), events);
        for (const id of BUSINESS_IDS) {
          expect(everyPage((after) => listContacts(book, id, { after, limit: 2 }))).toEqual(everyPage((after) => listContacts(fresh, id, { after, limit: 2 })));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("counted in map reads: a page of 20,000 people's list costs no more than of 1,000's, once listed", () => {
    const [small, large] = [business(1_000, 0), business(20_000, 0)];
    const readsOf = (run: () => unknown) => {
      reads.count = 0;
      run();
      return reads.count;
    };
    const middle = (book: ContactBook, people: number) => listContacts(book, ID, { limit: people / 2 }).at(-1)!.cursor;
    const [afterSmall, afterLarge] = [middle(small, 1_000), middle(large, 20_000)];
    expect(readsOf(() => listContacts(large, ID, { after: afterLarge, limit: 20 }))).toBeLessThanOrEqual(
      2 * readsOf(() => listContacts(small, ID, { after: afterSmall, limit: 20 })),
    );
  });
});

describe("a conversation page costs what its entries cost, whatever the business's size", () => {
  it("counted in map reads: 20,000 people cost no more than 1,000 for the same page", () => {
    const small = business(1_000);
    const large = business(20_000);
    const readsOf = (run: () => unknown) => {
      reads.count = 0;
      run();
      return reads.count;
    };
    for (const page of [
      (book: ContactBook) => listConversations(book, ID, { limit: 20 }),
      (book: ContactBook) => listConversations(book, ID, { before: listConversations(book, ID, { limit: 500 })[499]!.cursor, limit: 20 }),
    ]) {
      const [cheap, costly] = [readsOf(() => page(small)), readsOf(() => page(large))];
      expect(costly).toBeLessThanOrEqual(cheap * 2);
    }
  });
});
