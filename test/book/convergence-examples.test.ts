// The book's laws on fixed examples: the fixture corpus and thirty generated streams (a fixed seed),
// each folded, reordered, repeated, split and merged, serialised and read back. The property tests
// check the same laws on fresh streams every run; these fixed ones are fast enough to run for every
// mutant when mutation testing the book (mutation/vitest.book.config.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyEvent,
  applyEvents,
  createContactBook,
  deserializeBook,
  getHistorySync,
  mergeBooks,
  parseWebhook,
  serializeBook,
  type BookEvent,
} from "../../src/index.js";
import { expectSameBook, fold } from "../support/books.js";
import { validBodies } from "../support/fixtures.js";
import { eventsArbitrary } from "../support/event-streams.js";

/** A fixed shuffle (a seeded Fisher–Yates), so a failure names the same order every time. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let index = out.length - 1; index > 0; index--) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const other = state % (index + 1);
    [out[index], out[other]] = [out[other] as T, out[index] as T];
  }
  return out;
}

const corpus = validBodies().flatMap((fixture) => parseWebhook(fixture.text));
const streams = fc.sample(eventsArbitrary, { seed: 20261122, numRuns: 30 });
const examples: [string, BookEvent[]][] = [
  ["the fixture corpus", corpus],
  ...streams.map((events, index): [string, BookEvent[]] => [`generated stream ${index}`, events]),
];

describe.each(examples)("%s", (_, events) => {
  const expected = fold(events);

  it("any order, with every event twice, gives the same book", () => {
    for (const seed of [1, 2, 3]) expectSameBook(fold(shuffled([...events, ...events], seed)), expected);
    expectSameBook(fold([...events].reverse()), expected);
  });

  it("applyEvents is the fold; applying everything again returns the same book", () => {
    expectSameBook(applyEvents(createContactBook(), events), expected);
    expect(applyEvents(expected, events)).toBe(expected);
    for (const event of events) expect(applyEvent(expected, event)).toBe(expected);
  });

  it("two halves merged, either way round, are the whole; merging is idempotent", () => {
    const left = fold(events.filter((__, index) => index % 2 === 0));
    const right = fold(events.filter((__, index) => index % 2 === 1));
    expectSameBook(mergeBooks(left, right), expected);
    expectSameBook(mergeBooks(right, left), expected);
    expect(mergeBooks(expected, expected)).toBe(expected);
    expectSameBook(mergeBooks(expected, right), expected);
    const third = Math.floor(events.length / 3);
    expectSameBook(mergeBooks(mergeBooks(fold(events.slice(0, third)), fold(events.slice(third, 2 * third))), fold(events.slice(2 * third))), expected);
  });

  it("counts what the events hold, computed apart: distinct history ids (reactions, edits and system messages too), chunks, progress", () => {
    const ids = new Map<string, Set<string>>();
    const chunks = new Map<string, Set<string>>();
    const progress = new Map<string, number>();
    const add = (map: Map<string, Set<string>>, business: string, value: string) => map.set(business, (map.get(business) ?? new Set()).add(value));
    for (const event of events) {
      const business = event.phoneNumberId;
      if (business === undefined) continue;
      if (event.type === "HistoryChunk") {
        for (const thread of event.threads) for (const message of thread.messages) add(ids, business, message.id);
        if (event.phase !== undefined && event.chunkOrder !== undefined) add(chunks, business, `${event.phase}:${event.chunkOrder}`);
        progress.set(business, Math.max(progress.get(business) ?? 0, event.progress ?? 0));
      }
      if (event.type === "HistoryMedia") for (const message of event.messages) add(ids, business, message.id);
    }
    for (const business of new Set([...ids.keys(), ...chunks.keys()])) {
      expect(getHistorySync(expected, business)).toMatchObject({
        messages: ids.get(business)?.size ?? 0,
        chunks: chunks.get(business)?.size ?? 0,
        progress: progress.get(business) ?? 0,
      });
    }
  });

  it("a serialised book reads back to the same book, which keeps converging", () => {
    const half = fold(events.slice(0, Math.floor(events.length / 2)));
    const restored = deserializeBook(JSON.parse(JSON.stringify(serializeBook(half))) as unknown);
    expectSameBook(restored, half);
    expectSameBook(applyEvents(restored, events), expected);
  });
});
