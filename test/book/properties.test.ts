import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyEvent,
  applyEvents,
  createContactBook,
  deserializeBook,
  getContact,
  getConversation,
  getIdentity,
  listConversations,
  mergeBooks,
  serializeBook,
} from "../../src/index.js";
import { expectSameBook, fold } from "../support/books.js";
import { BUSINESS_IDS, eventsArbitrary, LOOKUP_KEYS, reorderedWithDuplicates } from "../support/event-streams.js";

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const RUNS = { numRuns: 250 };

describe("the book converges", () => {
  it("any order, with any event repeated, gives an equal book", () => {
    fc.assert(
      fc.property(
        eventsArbitrary.chain((events) => fc.tuple(fc.constant(events), reorderedWithDuplicates(events))),
        ([events, reordered]) => expectSameBook(fold(reordered), fold(events)),
      ),
      RUNS,
    );
  });

  it("applyEvents equals folding applyEvent", () => {
    fc.assert(
      fc.property(eventsArbitrary, eventsArbitrary, (first, second) => {
        const start = fold(first);
        expectSameBook(applyEvents(start, second), fold(second, start));
      }),
      RUNS,
    );
  });

  it("an event applied twice changes nothing the second time (the same book comes back)", () => {
    fc.assert(
      fc.property(eventsArbitrary, (events) => {
        let book = createContactBook();
        for (const event of events) {
          book = applyEvent(book, event);
          expect(applyEvent(book, event)).toBe(book);
        }
        expect(applyEvents(book, events)).toBe(book);
      }),
      RUNS,
    );
  });

  it("never changes the book it is given, even deep-frozen", () => {
    fc.assert(
      fc.property(eventsArbitrary, eventsArbitrary, (first, second) => {
        const book = deepFreeze(fold(first));
        const before = JSON.stringify(serializeBook(book));
        applyEvents(book, second);
        fold(second, book);
        mergeBooks(book, fold(second));
        expect(JSON.stringify(serializeBook(book))).toBe(before);
      }),
      RUNS,
    );
  });
});

describe("merging books", () => {
  const threeShares = eventsArbitrary.chain((events) =>
    fc
      .array(fc.nat({ max: 2 }), { minLength: events.length, maxLength: events.length })
      .map((owners) => [0, 1, 2].map((share) => events.filter((_, index) => owners[index] === share))),
  );

  it("merge(fold A, fold B) answers like fold(A ∪ B)", () => {
    fc.assert(
      fc.property(eventsArbitrary, eventsArbitrary, (a, b) => expectSameBook(mergeBooks(fold(a), fold(b)), fold([...a, ...b]))),
      RUNS,
    );
  });

  it("is commutative, associative and idempotent", () => {
    fc.assert(
      fc.property(threeShares, ([a, b, c]) => {
        const [x, y, z] = [fold(a!), fold(b!), fold(c!)];
        expectSameBook(mergeBooks(x, y), mergeBooks(y, x));
        expectSameBook(mergeBooks(mergeBooks(x, y), z), mergeBooks(x, mergeBooks(y, z)));
        expect(mergeBooks(x, x)).toBe(x);
        const xy = mergeBooks(x, y);
        expectSameBook(mergeBooks(xy, y), xy);
      }),
      RUNS,
    );
  });

  it("a merged book keeps converging with later events", () => {
    fc.assert(
      fc.property(threeShares, ([a, b, c]) => {
        expectSameBook(applyEvents(mergeBooks(fold(a!), fold(b!)), c!), fold([...a!, ...b!, ...c!]));
      }),
      RUNS,
    );
  });
});

describe("serialisation", () => {
  it("a JSON round trip keeps every answer, and the restored book keeps converging", () => {
    fc.assert(
      fc.property(eventsArbitrary, eventsArbitrary, (first, second) => {
        const book = fold(first);
        const restored = deserializeBook(JSON.parse(JSON.stringify(serializeBook(book))));
        expectSameBook(restored, book);
        expectSameBook(applyEvents(restored, second), applyEvents(book, second));
      }),
      RUNS,
    );
  });
});

describe("one person, many identifiers", () => {
  it("every identifier of a person gets the same answers (contact, conversation, identity), in any order", () => {
    fc.assert(
      fc.property(
        eventsArbitrary.chain((events) => fc.tuple(fc.constant(events), reorderedWithDuplicates(events))),
        ([events, reordered]) => {
          const book = fold(events);
          const again = fold(reordered);
          for (const id of BUSINESS_IDS) {
            for (const key of LOOKUP_KEYS) {
              const identity = getIdentity(book, id, key);
              expect(getIdentity(again, id, key)).toEqual(identity);
              if (identity === undefined) continue;
              const answer = [getContact(book, id, key), getConversation(book, id, key)];
              for (const other of [...identity.phoneNumbers, ...identity.userIds, ...identity.parentUserIds]) {
                expect(getIdentity(book, id, other)).toEqual(identity);
                expect([getContact(book, id, other), getConversation(book, id, other)]).toEqual(answer);
              }
            }
            // Each person is listed once: no identifier appears in two listed identities.
            const listed = listConversations(book, id).flatMap((entry) => [
              ...entry.identity.phoneNumbers,
              ...entry.identity.userIds,
              ...entry.identity.parentUserIds,
            ]);
            expect(new Set(listed).size).toBe(listed.length);
          }
        },
      ),
      RUNS,
    );
  });
});
