import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EMPTY_SET, forEachPair, idsBefore, insertPair, lastPair, removePair, type OrderedSet } from "../../src/book/ordered-set.js";

type Pair = [number, string];
const byOrder = (a: Pair, b: Pair) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
const pairsOf = (set: OrderedSet): Pair[] => {
  const pairs: Pair[] = [];
  forEachPair(set, (time, id) => pairs.push([time, id]));
  return pairs;
};

// Few timestamps and ids, so ties and repeats are common; sets large enough to grow several levels.
const pair = fc.tuple(
  fc.integer({ min: 0, max: 60 }),
  fc.integer({ min: 0, max: 400 }).map((n) => `m${n}`),
);
const operations = fc.array(fc.tuple(fc.boolean(), pair), { maxLength: 1500 });

describe("the timeline's ordered set", () => {
  it("behaves like a sorted set of (timestamp, id), with or without an owner, and pages like a sorted array", () => {
    fc.assert(
      fc.property(operations, fc.boolean(), fc.nat(), (ops, owned, cut) => {
        const owner = owned ? {} : undefined;
        const model = new Map<string, Pair>();
        let set = EMPTY_SET;
        for (const [remove, [time, id]] of ops) {
          const key = `${time}\n${id}`;
          if (remove) {
            model.delete(key);
            set = removePair(set, time, id, owner);
          } else {
            model.set(key, [time, id]);
            set = insertPair(set, time, id, owner);
          }
        }
        const sorted = [...model.values()].sort(byOrder);
        expect(set.size).toBe(sorted.length);
        expect(pairsOf(set)).toEqual(sorted);
        expect(lastPair(set)).toEqual(sorted.at(-1));
        const newestFirst = sorted.map(([, id]) => id).reverse();
        expect(idsBefore(set, undefined, 7)).toEqual(newestFirst.slice(0, 7));
        if (sorted.length > 0) {
          const index = cut % sorted.length;
          const bound = sorted[index]!;
          // Everything strictly below the bound, newest first.
          expect(idsBefore(set, bound, 1000)).toEqual(
            sorted
              .slice(0, index)
              .map(([, id]) => id)
              .reverse(),
          );
          expect(idsBefore(set, bound, 3)).toEqual(
            sorted
              .slice(0, index)
              .map(([, id]) => id)
              .reverse()
              .slice(0, 3),
          );
          // A bound between pairs works too.
          const between: Pair = [bound[0], `${bound[1]}~`];
          const below = sorted.filter((each) => byOrder(each, between) < 0);
          expect(idsBefore(set, between, 1000)).toEqual(below.map(([, id]) => id).reverse());
        }
        expect(idsBefore(set, undefined, 0)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it("returns the set itself for a pair already there, or one not there to remove", () => {
    const one = insertPair(EMPTY_SET, 5, "a");
    expect(insertPair(one, 5, "a")).toBe(one);
    expect(removePair(one, 5, "b")).toBe(one);
    expect(removePair(one, 6, "a")).toBe(one);
    expect(removePair(EMPTY_SET, 1, "a")).toBe(EMPTY_SET);
    expect(removePair(one, 5, "a").size).toBe(0);
    expect(lastPair(EMPTY_SET)).toBeUndefined();
    expect(idsBefore(EMPTY_SET, undefined, 5)).toEqual([]);
  });

  it("never changes an earlier set, whatever owner later updates use", () => {
    let set = EMPTY_SET;
    const owner = {};
    for (let index = 0; index < 3000; index++) set = insertPair(set, index % 97, `m${index}`, owner);
    const before = pairsOf(set);
    let later = set;
    const other = {};
    for (let index = 0; index < 3000; index += 3) later = removePair(later, index % 97, `m${index}`, other);
    for (let index = 0; index < 500; index++) later = insertPair(later, 1000 + index, `n${index}`, other);
    expect(pairsOf(set)).toEqual(before);
    expect(set.size).toBe(3000);
    expect(later.size).toBe(3000 - 1000 + 500);
  });

  it("appends in time order into full nodes (a history imported oldest first), and still splits evenly elsewhere", () => {
    let appended = EMPTY_SET;
    const owner = {};
    for (let index = 0; index < 10_000; index++) appended = insertPair(appended, index, `m${index}`, owner);
    expect(idsBefore(appended, undefined, 2)).toEqual(["m9999", "m9998"]);
    expect(idsBefore(appended, [5000, "m5000"], 2)).toEqual(["m4999", "m4998"]);
    let reversed = EMPTY_SET;
    for (let index = 10_000; index > 0; index--) reversed = insertPair(reversed, index, `m${index}`);
    expect(pairsOf(reversed).length).toBe(10_000);
    expect(lastPair(reversed)).toEqual([10_000, "m10000"]);
  });
});

describe("the content tie-break's string order", () => {
  it('compares strings by code point: the order of their UTF-8 bytes, as PostgreSQL\'s COLLATE "C" does', async () => {
    const { compareCodePoints } = await import("../../src/book/precedence.js");
    const sign = (value: number) => Math.sign(value);
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (a, b) => {
        expect(sign(compareCodePoints(a, b))).toBe(sign(Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"))));
      }),
      { numRuns: 2000 },
    );
    // Where UTF-16 order and code point order disagree: an astral character against U+E000 to U+FFFF.
    expect(compareCodePoints("😀", "\uFFFD")).toBeGreaterThan(0);
    expect("😀" < "\uFFFD").toBe(true);
    expect(compareCodePoints("a", "ab")).toBeLessThan(0);
    expect(compareCodePoints("same", "same")).toBe(0);
  });
});
