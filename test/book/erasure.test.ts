/**
 * Erasure (`PersonErased`): a customer of the corpus asks to be forgotten. Everything of theirs at
 * or before the erasure goes and stays gone through retries; what they do later starts anew; the
 * erasure in any position of any order of the corpus (with repeats) gives the same book.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyEvent,
  applyEvents,
  createContactBook,
  deserializeBook,
  deserializeBookLines,
  historyRetained,
  serializeBookLines,
  getContact,
  getConversation,
  getIdentity,
  listContacts,
  listConversations,
  listMessages,
  mergeBooks,
  parseWebhook,
  personErased,
  serializeBook,
  type BookEvent,
} from "../../src/index.js";
import { expectSameBook } from "../support/books.js";
import { reorderedWithDuplicates } from "../support/event-streams.js";
import { fixturesIn } from "../support/fixtures.js";

const ID = "106540352242922";
const corpus = fixturesIn("meta").flatMap((fixture) => parseWebhook(fixture.text));
/** After every event of the corpus about Ana (16505551234). */
const AFTER = 1_739_500_000;
const erased = personErased(ID, "+1 (650) 555-1234", AFTER);
const before = applyEvents(createContactBook(), corpus);
const after = applyEvent(before, erased);
const business = (book: typeof before) => serializeBook(book).businesses.find((each) => each.phoneNumberId === ID)!;

describe("PersonErased", () => {
  it("forgets every identifier, record, message and reaction of the person", () => {
    const identity = getIdentity(before, ID, "16505551234")!;
    expect(identity.phoneNumbers).toContain("16505551234");
    expect(getConversation(before, ID, "16505551234")?.messageCount).toBeGreaterThan(5);
    for (const key of [...identity.phoneNumbers, ...identity.userIds, ...identity.parentUserIds]) {
      expect(getIdentity(after, ID, key)).toBeUndefined();
      expect(getContact(after, ID, key)).toBeUndefined();
      expect(getConversation(after, ID, key)).toBeUndefined();
      expect(listMessages(after, ID, key)).toEqual([]);
    }
    expect(listContacts(after, ID).map((contact) => contact.fullName)).not.toContain("Ana Lima");
    expect(listConversations(after, ID).flatMap((entry) => entry.identity.phoneNumbers)).not.toContain("16505551234");
    // Others are untouched.
    expect(getContact(after, ID, "+55 11 98765-4321")).toEqual(getContact(before, ID, "+55 11 98765-4321"));
  });

  it("keeps nothing of them but the ids it must refuse: memory falls to what the rest needs", () => {
    const [was, is] = [business(before), business(after)];
    const hers = listMessages(before, ID, "16505551234", { limit: 1000 }).map((entry) => entry.id);
    expect(is.messages.map((message) => message.id)).toEqual(was.messages.map((message) => message.id).filter((id) => !hers.includes(id)));
    expect(is.dropped.map(([id]) => id).sort()).toEqual([...hers].sort());
    expect(is.contacts.map((contact) => contact.contact.fullName)).not.toContain("Ana Lima");
    const text = JSON.stringify(is);
    for (const trace of ["Ana Lima", "Hi Ana", "Can I change the address", "blue dress"]) expect(text).not.toContain(trace);
    // What stays of her: her identifiers (hidden, holding the erasure) and each dropped message's id.
    expect(is.erasures).toEqual([["p:16505551234", AFTER]]);
    expect(is.messages.length + is.dropped.length).toBe(was.messages.length);
  });

  it("stays gone through Meta's retries, and what comes later starts a new record", () => {
    expect(applyEvents(after, corpus)).toBe(after);
    const later = parseWebhook(
      JSON.stringify({
        object: "whatsapp_business_account",
        entry: [
          {
            id: "102290129340398",
            changes: [
              {
                field: "messages",
                value: {
                  messaging_product: "whatsapp",
                  metadata: { display_phone_number: "15550783881", phone_number_id: ID },
                  messages: [{ from: "16505551234", id: "wamid.after", timestamp: String(AFTER + 60), type: "text", text: { body: "Hello again" } }],
                },
              },
            ],
          },
        ],
      }),
    );
    const back = applyEvents(after, later);
    expect(getIdentity(back, ID, "16505551234")).toEqual({ phoneNumbers: ["16505551234"], userIds: [], parentUserIds: [] });
    expect(listMessages(back, ID, "16505551234").map((entry) => entry.id)).toEqual(["wamid.after"]);
    expect(getContact(back, ID, "16505551234")).toBeUndefined();
    // Erased again, later: gone again.
    expect(getIdentity(applyEvent(back, personErased(ID, "16505551234", AFTER + 120)), ID, "16505551234")).toBeUndefined();
  });

  it("in any position of any order of the corpus, with repeats, gives the same book; merged and restored too", () => {
    fc.assert(
      fc.property(
        reorderedWithDuplicates<BookEvent>(corpus).chain((stream) => fc.tuple(fc.constant(stream), fc.nat({ max: stream.length }))),
        ([stream, at]) => {
          const events = [...stream.slice(0, at), erased, ...stream.slice(at)];
          expectSameBook(applyEvents(createContactBook(), events), after);
        },
      ),
      { numRuns: 40 },
    );
    expectSameBook(mergeBooks(before, applyEvent(createContactBook(), erased)), after);
    expectSameBook(deserializeBook(JSON.parse(JSON.stringify(serializeBook(after)))), after);
    const retained = applyEvent(after, historyRetained(ID, { before: 1_739_321_100 }));
    expectSameBook(deserializeBookLines(serializeBookLines(retained)), retained);
  });

  it("is made by personErased, which refuses what names no one", () => {
    expect(personErased(ID, "BR.2186878922080769", new Date(1739400000_000))).toEqual({
      type: "PersonErased",
      phoneNumberId: ID,
      key: "BR.2186878922080769",
      timestamp: 1739400000,
    });
    expect(() => personErased("", "16505551234")).toThrow(/phoneNumberId/);
    expect(() => personErased(ID, " ")).toThrow(/identifier/);
    expect(() => personErased(ID, "16505551234", 0)).toThrow(/unix seconds/);
    expect(() => personErased(ID, "16505551234", 1.5)).toThrow(/or a Date, not 1\.5/);
    expect(personErased(ID, "16505551234", 1).timestamp).toBe(1);
    // From plain JavaScript: what is not a string or a number is refused by name, not used.
    expect(() => personErased(106540352242922 as unknown as string, "16505551234")).toThrow(/phoneNumberId/);
    expect(() => personErased(ID, 16505551234 as unknown as string)).toThrow(/identifier/);
    expect(() => personErased(ID, "16505551234", "1739400000" as unknown as number)).toThrow(/unix seconds/);
    expect(personErased(ID, "16505551234").timestamp).toBeGreaterThan(1_700_000_000);
  });
});
