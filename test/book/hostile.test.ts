/**
 * Hostile and unlucky input for the book: keys crafted to collide, one user id shared by thousands
 * of contacts, and ids that look like the book's own separators or like prototype keys. Costs are
 * checked without a clock (these machines are shared and busy): by the shape of what the book
 * built (a collision tree's height) and by counting the book's own work (map writes, person links
 * made) against the same work on ordinary keys. They catch a quadratic path, whatever the machine.
 */
import { everyPage } from "../../src/book/pages.js";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
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
import { MAX_ISSUES } from "../../src/core/parse-issue.js";
import { fixtureText, validBodies } from "../support/fixtures.js";
import { mutatedArbitrary } from "../support/mutate.js";

/** The book's own work, counted: entries written into its maps, person links made. */
const { work, counting } = vi.hoisted(() => {
  const work = { mapWrites: 0, personLinks: 0 };
  /** `real`, counting each call under `name`. */
  const counting =
    <A extends unknown[], R>(real: (...args: A) => R, name: keyof typeof work) =>
    (...args: A): R => {
      work[name]++;
      return real(...args);
    };
  return { work, counting };
});
vi.mock("../../src/book/persistent-map.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/book/persistent-map.js")>();
  return { ...real, setEntry: counting(real.setEntry, "mapWrites") };
});
vi.mock("../../src/book/book-state.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/book/book-state.js")>();
  return { ...real, personLink: counting(real.personLink, "personLinks") };
});

/** The work `run` made the book do. */
function workOf(run: () => void): { mapWrites: number; personLinks: number } {
  work.mapWrites = 0;
  work.personLinks = 0;
  run();
  return { ...work };
}

interface CollisionTree {
  readonly height: number;
  readonly left: CollisionTree | undefined;
  readonly right: CollisionTree | undefined;
}

/** Every collision tree in a value (keys whose hashes are equal sit in one), found by shape. */
function collisionTrees(root: unknown): CollisionTree[] {
  const found: CollisionTree[] = [];
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== "object" || value === null || seen.has(value)) continue;
    seen.add(value);
    const node = value as { hash?: unknown; tree?: { height?: unknown } };
    if (typeof node.hash === "number" && typeof node.tree?.height === "number") found.push(node.tree as CollisionTree);
    for (const child of Object.values(value)) stack.push(child);
  }
  return found;
}

function sizeOf(tree: CollisionTree | undefined): number {
  return tree === undefined ? 0 : 1 + sizeOf(tree.left) + sizeOf(tree.right);
}

const BUSINESS = { display_phone_number: "15550783881", phone_number_id: "106540352242922" };

function addressBook(contacts: Record<string, string>[], business: Record<string, string> = BUSINESS): CoexistenceEvent[] {
  const state_sync = contacts.map((contact) => ({ type: "contact", contact, action: "add", metadata: { timestamp: 1 } }));
  return parseChange({ field: "smb_app_state_sync", value: { messaging_product: "whatsapp", metadata: business, state_sync } }, { wabaId: "1" });
}

describe("keys crafted to collide (hash flooding)", () => {
  const { hash, phones } = JSON.parse(fixtureText("hostile/fnv-collisions.json")) as { hash: number; phones: string[] };
  const ordinary = phones.map((_, index) => String(491510000000000 + index * 7919));

  it("the fixture's 12,000 phone numbers really share one hash", () => {
    expect(phones).toHaveLength(12_000);
    expect(new Set(phones.map((phone) => hashKey(`p:${phone}`)))).toEqual(new Set([hash]));
  });

  it("one address-book sync of them does the work ordinary numbers do, into a balanced tree", () => {
    const flood = addressBook(phones.map((phone_number) => ({ phone_number, full_name: "x" })));
    const plain = addressBook(ordinary.map((phone_number) => ({ phone_number, full_name: "x" })));
    let floodBook = createContactBook();
    let plainBook = createContactBook();
    const floodWork = workOf(() => (floodBook = applyEvents(createContactBook(), flood)));
    const plainWork = workOf(() => (plainBook = applyEvents(createContactBook(), plain)));
    expect(floodWork).toEqual(plainWork);
    // The colliding keys share one AVL tree (was a sorted list copied on every insert, about 150x
    // the time): its height bounds every lookup and insert at O(log n).
    const trees = collisionTrees(floodBook);
    const largest = Math.max(...trees.map(sizeOf));
    expect(largest).toBeGreaterThanOrEqual(12_000);
    for (const tree of trees) expect(tree.height).toBeLessThanOrEqual(Math.ceil(1.4405 * Math.log2(sizeOf(tree) + 2)));
    expect(collisionTrees(plainBook).every((tree) => sizeOf(tree) <= 4)).toBe(true);
    expect(everyPage((after) => listContacts(floodBook, BUSINESS.phone_number_id, { after, limit: 1000 }))).toHaveLength(12_000);
    for (const phone of [phones[0]!, phones[6000]!, phones[11_999]!]) expect(getContact(floodBook, BUSINESS.phone_number_id, phone)?.phoneNumber).toBe(phone);
  });
});

describe("one user id shared by many contacts", () => {
  it("3,000 phone-keyed contacts carrying one user id do the work of 3,000 contacts with a user id each", () => {
    // Counted work needs no large n to tell linear from quadratic (and a quadratic run stays short).
    const phones = Array.from({ length: 3_000 }, (_, index) => String(14150000000 + index));
    const shared = addressBook(phones.map((phone_number) => ({ phone_number, user_id: "US.1", full_name: "x" })));
    // The same work but for the sharing: two identifiers linked per contact.
    const plain = addressBook(phones.map((phone_number, index) => ({ phone_number, user_id: `US.${index + 2}`, full_name: "x" })));
    let book = createContactBook();
    const sharedWork = workOf(() => (book = applyEvents(createContactBook(), shared)));
    const plainWork = workOf(() => applyEvents(createContactBook(), plain));
    // Joining a contact to the big person re-points only the small side: about the links of joining
    // two new identifiers. Re-pointing the big side would make about 4.5 million.
    expect(sharedWork.personLinks).toBeLessThanOrEqual(2 * plainWork.personLinks);
    expect(sharedWork.mapWrites).toBeLessThanOrEqual(2 * plainWork.mapWrites);
    expect(plainWork.personLinks).toBeLessThan(10 * phones.length);
    expect(getIdentity(book, BUSINESS.phone_number_id, "US.1")?.phoneNumbers).toHaveLength(3_000); // one person
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
