import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromSortableText, sortableText } from "../../src/postgres/atom-batch.js";

const sign = (value: number) => Math.sign(value);
const jsOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
const text = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: fc.constantFrom("a", "\uD7FE", "\uD7FF", "\uE000", "\uFFFF", "😀", "\u{10000}", "é") }));

describe("sortableText", () => {
  it("makes PostgreSQL's byte order (COLLATE \"C\") agree with JavaScript's string order", () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(sign(utf8Order(sortableText(a), sortableText(b)))).toBe(jsOrder(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it("round-trips, and leaves ordinary text alone", () => {
    fc.assert(
      fc.property(text, (a) => {
        expect(fromSortableText(sortableText(a))).toBe(a);
      }),
      { numRuns: 2000 },
    );
    expect(sortableText('{"fullName":"Ana Lima"}')).toBe('{"fullName":"Ana Lima"}');
  });

  it("is needed: the plain orders disagree on astral characters", () => {
    expect(jsOrder("😀", "\uE000")).toBe(-1);
    expect(sign(utf8Order("😀", "\uE000"))).toBe(1);
  });
});
