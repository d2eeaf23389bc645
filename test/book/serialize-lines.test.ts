/**
 * Books of any size can be stored: the streamed form (one record a line) answers like the book, and
 * restoring refuses, with a `BookFormatError`, what the parser would never have produced (nesting
 * too deep to walk, times past any date).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyEvents,
  BookFormatError,
  createContactBook,
  deserializeBook,
  deserializeBookLines,
  serializeBook,
  serializeBookLines,
  safeParseWebhook,
} from "../../src/index.js";
import { eventsArbitrary } from "../support/event-streams.js";
import { validBodies } from "../support/fixtures.js";

const corpus = applyEvents(
  createContactBook(),
  validBodies().flatMap((fixture) => safeParseWebhook(fixture.text).events),
);

describe("the streamed form", () => {
  it("restores the corpus's book exactly, one record a line", () => {
    const lines = [...serializeBookLines(corpus)];
    expect(lines.length).toBeGreaterThan(100);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThan(JSON.stringify(serializeBook(corpus)).length / 10);
    expect(serializeBook(deserializeBookLines(lines))).toEqual(serializeBook(corpus));
    expect(JSON.parse(lines[0]!)).toEqual({ format: "whatsapp-coexistence/contact-book", version: 4, form: "lines" });
  });

  it("restores any book", () => {
    fc.assert(
      fc.property(eventsArbitrary, (events) => {
        const book = applyEvents(createContactBook(), events);
        expect(serializeBook(deserializeBookLines(serializeBookLines(book)))).toEqual(serializeBook(book));
      }),
      { numRuns: 100 },
    );
  });

  it("refuses malformed lines with the line's number", () => {
    const lines = [...serializeBookLines(corpus)];
    expect(() => deserializeBookLines([lines[0]!, "{torn"])).toThrow(/line 2: Not valid JSON/);
    expect(() => deserializeBookLines([lines[0]!, '{"messages":{}}'])).toThrow(/A record before any business line/);
    expect(() => deserializeBookLines([])).toThrow(BookFormatError);
    expect(() => deserializeBook(lines[0]!)).toThrow(/read its lines with deserializeBookLines/);
    const broken = lines.map((line) => (line.startsWith('{"messages"') ? line.replace(/"timestamp":\d+/, '"timestamp":"soon"') : line));
    expect(() => deserializeBookLines(broken)).toThrow(BookFormatError);
  });
});

describe("restoring refuses what the parser never produces", () => {
  it("content nested 20,000 deep is a BookFormatError, not a RangeError", () => {
    let deep: unknown = "bottom";
    for (let level = 0; level < 20_000; level++) deep = { type: "text", next: deep };
    const data = serializeBook(corpus) as unknown as { businesses: { messages: { message?: unknown }[] }[] };
    const copy = structuredClone(data);
    copy.businesses[0]!.messages[0]!.message = deep;
    expect(() => deserializeBook(copy)).toThrow(BookFormatError);
    expect(() => deserializeBook(copy)).toThrow(/nested deeper than 128 levels/);
  });

  it("a time past the latest a Date holds, which the parser refuses, is refused here too", () => {
    const data = structuredClone(serializeBook(corpus)) as unknown as { businesses: { messages: { timestamp: number }[] }[] };
    data.businesses[0]!.messages[0]!.timestamp = 8_640_000_000_001;
    expect(() => deserializeBook(data)).toThrow(/at most 8640000000000/);
  });
});
