/**
 * Hostile and unlucky input for the book: keys crafted to collide, one user id shared by thousands
 * of contacts, and ids that look like the book's own separators or like prototype keys. Costs are
 * compared as ratios to the same work on ordinary keys in the same run (the best of a few rounds),
 * with wide margins: they catch a quadratic path, not a slow machine.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyEvents,
  BookFormatError,
  handleWebhookRequest,
  listConversations,
  parseWebhook,
  safeParseWebhook,
  createContactBook,
  deserializeBook,
  getContact,
  getConversation,
  getIdentity,
  listBusinesses,
  listContacts,
  mergeBooks,
  parseChange,
  serializeBook,
  type CoexistenceEvent,
} from "../../src/index.js";
import { hashKey } from "../../src/book/persistent-map.js";
import { MAX_ISSUES } from "../../src/core/parse-run.js";
import { fixtureText, validBodies } from "../support/fixtures.js";
import { mutatedArbitrary } from "../support/mutate.js";

const BUSINESS = { display_phone_number: "15550783881", phone_number_id: "106540352242922" };

function addressBook(contacts: Record<string, string>[], business: Record<string, string> = BUSINESS): CoexistenceEvent[] {
  const state_sync = contacts.map((contact) => ({ type: "contact", contact, action: "add", metadata: { timestamp: 1 } }));
  return parseChange({ field: "smb_app_state_sync", value: { messaging_product: "whatsapp", metadata: business, state_sync } }, { wabaId: "1" });
}

/** The best time of `rounds` runs of each function, interleaved. */
function bestOf(rounds: number, fns: Record<string, () => void>): Record<string, number> {
  const best: Record<string, number> = Object.fromEntries(Object.keys(fns).map((name) => [name, Infinity]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(fns)) {
      const start = performance.now();
      fn();
      best[name] = Math.min(best[name] as number, performance.now() - start);
    }
  }
  return best;
}

describe("keys crafted to collide (hash flooding)", () => {
  const { hash, phones } = JSON.parse(fixtureText("hostile/fnv-collisions.json")) as { hash: number; phones: string[] };
  const ordinary = phones.map((_, index) => String(491510000000000 + index * 7919));

  it("the fixture's 12,000 phone numbers really share one hash", () => {
    expect(phones).toHaveLength(12_000);
    expect(new Set(phones.map((phone) => hashKey(`p:${phone}`)))).toEqual(new Set([hash]));
  });

  it("one address-book sync of them costs about what ordinary numbers cost, and lookups too", { timeout: 120_000 }, () => {
    const flood = addressBook(phones.map((phone_number) => ({ phone_number, full_name: "x" })));
    const plain = addressBook(ordinary.map((phone_number) => ({ phone_number, full_name: "x" })));
    const build = bestOf(3, { flood: () => applyEvents(createContactBook(), flood), plain: () => applyEvents(createContactBook(), plain) });
    expect(build.flood! / build.plain!).toBeLessThan(8); // was about 150x: a sorted list copied on every insert
    const floodBook = applyEvents(createContactBook(), flood);
    const plainBook = applyEvents(createContactBook(), plain);
    const lookups = bestOf(3, {
      flood: () => phones.forEach((phone) => getContact(floodBook, BUSINESS.phone_number_id, phone)),
      plain: () => ordinary.forEach((phone) => getContact(plainBook, BUSINESS.phone_number_id, phone)),
    });
    expect(lookups.flood! / lookups.plain!).toBeLessThan(8);
    expect(listContacts(floodBook, BUSINESS.phone_number_id)).toHaveLength(12_000);
    expect(getContact(floodBook, BUSINESS.phone_number_id, phones[6000]!)?.phoneNumber).toBe(phones[6000]);
  });
});

describe("one user id shared by many contacts", () => {
  it("20,000 phone-keyed contacts carrying one user id cost about what 20,000 contacts with a user id each cost", { timeout: 120_000 }, () => {
    const phones = Array.from({ length: 20_000 }, (_, index) => String(14150000000 + index));
    const shared = addressBook(phones.map((phone_number) => ({ phone_number, user_id: "US.1", full_name: "x" })));
    // The same work but for the sharing: two identifiers linked per contact (a contact with a phone
    // number alone is not linked at all, so it would not be the same work).
    const plain = addressBook(phones.map((phone_number, index) => ({ phone_number, user_id: `US.${index + 2}`, full_name: "x" })));
    const cost = bestOf(3, { shared: () => applyEvents(createContactBook(), shared), plain: () => applyEvents(createContactBook(), plain) });
    expect(cost.shared! / cost.plain!).toBeLessThan(8); // was about 200x: an array copied and re-sorted on every add
    const book = applyEvents(createContactBook(), shared);
    expect(getIdentity(book, BUSINESS.phone_number_id, "US.1")?.phoneNumbers).toHaveLength(20_000); // one person
  });
});

describe("ids that look like the book's own structure", () => {
  it("a user id with a newline, and a message id with one, survive serialisation and merging", () => {
    const user = "US.1\nmessage";
    const events = parseChange(
      {
        field: "messages",
        value: { metadata: BUSINESS, messages: [{ from: "", from_user_id: user, id: "wamid.1\nx", timestamp: "5", type: "text", text: { body: "hi" } }] },
      },
      { wabaId: "1" },
    );
    const book = applyEvents(createContactBook(), events);
    const expected = getConversation(book, BUSINESS.phone_number_id, user);
    expect(expected).toMatchObject({ messageCount: 1, lastMessageId: "wamid.1\nx", userId: user });
    const restored = deserializeBook(JSON.parse(JSON.stringify(serializeBook(book))));
    expect(getConversation(restored, BUSINESS.phone_number_id, user)).toEqual(expected);
    expect(
      getConversation(mergeBooks(restored, applyEvents(createContactBook(), addressBook([{ phone_number: "1" }]))), BUSINESS.phone_number_id, user),
    ).toEqual(expected);
  });

  it.each(["__proto__", "constructor", "prototype", "toString"])("a business whose phone_number_id is %s is a business like any other", (id) => {
    const events = addressBook([{ phone_number: "16505551234", full_name: "Ana" }], { display_phone_number: "15550783881", phone_number_id: id });
    const book = applyEvents(createContactBook(), events);
    expect(listBusinesses(book)).toEqual([id]);
    const restored = deserializeBook(JSON.parse(JSON.stringify(serializeBook(book))));
    expect(listBusinesses(restored)).toEqual([id]);
    expect(getContact(restored, id, "16505551234")?.fullName).toBe("Ana");
    expect(({} as Record<string, unknown>).fullName).toBeUndefined();
  });
});

describe("deserializeBook on hostile data", () => {
  const original = serializeBook(
    applyEvents(
      createContactBook(),
      validBodies().flatMap((fixture) => parseWebhook(fixture.text)),
    ),
  );

  it("10,000 mutated books: a BookFormatError or a book that is stable and answerable, never anything else", () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutatedArbitrary(original), (mutated) => {
        let book;
        try {
          book = deserializeBook(mutated);
        } catch (error) {
          expect(error).toBeInstanceOf(BookFormatError);
          return;
        }
        accepted++;
        const data = serializeBook(book);
        expect(serializeBook(deserializeBook(JSON.parse(JSON.stringify(data))))).toEqual(data);
        for (const id of listBusinesses(book)) {
          listContacts(book, id);
          for (const entry of listConversations(book, id))
            expect(getConversation(book, id, entry.identity.phoneNumbers[0] ?? entry.identity.userIds[0] ?? entry.identity.parentUserIds[0]!)).toBeDefined();
        }
      }),
      { numRuns: 10_000 },
    );
    expect(accepted).toBeGreaterThan(100); // the mutations also make acceptable books, not only refusals
  }, 300_000); // about 40 s on a busy 2-core machine: room for a slower one

  it("three million bad elements give one clear issue, not three million", { timeout: 60_000 }, () => {
    const hostile = `{"format":"whatsapp-coexistence/contact-book","version":2,"businesses":[{"phoneNumberId":"1","contacts":[${"1,".repeat(3_000_000)}1]}]}`;
    let error: unknown;
    try {
      deserializeBook(hostile);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BookFormatError);
    expect((error as BookFormatError).issues).toHaveLength(1);
  });

  it("allocates a small multiple of its input, not an issue per bad element", { timeout: 60_000 }, () => {
    const data = JSON.parse(
      `{"format":"whatsapp-coexistence/contact-book","version":2,"businesses":[{"phoneNumberId":"1","contacts":[${'{"bad":1},'.repeat(500_000)}1]}]}`,
    ) as unknown;
    const size = JSON.stringify(data).length;
    const before = process.memoryUsage().heapUsed;
    expect(() => deserializeBook(data)).toThrow(BookFormatError);
    // The heap right after the call holds what it allocated (a synchronous call leaves little time
    // to collect): 500,000 issues with their paths would be many times the input.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(20 * size);
  });
});

describe("bodies full of bad items", () => {
  it("a 3.5 MB body of empty echoes lists 100 issues and says how many more, and the handler's answer stays small", async () => {
    const items = "{},".repeat(1_160_000);
    const body = `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"smb_message_echoes","value":{"message_echoes":[${items}{}]}}]}]}`;
    expect(body.length).toBeGreaterThan(3_400_000);
    const result = safeParseWebhook(body);
    expect(result.success).toBe(false);
    const issues = result.success ? [] : result.issues;
    expect(issues).toHaveLength(MAX_ISSUES + 1);
    expect(issues.at(-1)?.message).toMatch(/^…and \d+ more issues \(only the first 100 are listed\)\.$/);
    const { response } = await handleWebhookRequest(new Request("https://example.com/webhook", { method: "POST", body }), { allowUnsigned: true });
    expect(response.status).toBe(400);
    expect((await response.text()).length).toBeLessThan(32_000);
  }, 120_000);
});
