import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyMap, forEachEntry, getEntry, hashKey, removeEntry, setEntry, sortedEntries, type PersistentMap } from "../../src/book/persistent-map.js";
import { fixtureText } from "../support/fixtures.js";

// Two keys whose 32-bit FNV-1a hashes are equal, to exercise collision nodes.
const COLLIDING = ["p:15550022789", "p:15550239192"] as const;
const keyArbitrary = fc.oneof(fc.constantFrom(...COLLIDING), fc.string({ maxLength: 3 }), fc.stringMatching(/^p:\d{1,6}$/));
const operations = fc.array(fc.tuple(keyArbitrary, fc.integer({ min: 0, max: 5 })), { maxLength: 300 });

function order(entries: [string, number][]): [string, number][] {
  return [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

describe("the persistent map", () => {
  it("the colliding keys really collide", () => {
    expect(hashKey(COLLIDING[0])).toBe(hashKey(COLLIDING[1]));
  });

  it("behaves like a Map, with or without an owner", () => {
    fc.assert(
      fc.property(operations, fc.boolean(), (ops, owned) => {
        const owner = owned ? {} : undefined;
        const model = new Map<string, number>();
        let map: PersistentMap<number> = emptyMap();
        for (const [key, value] of ops) {
          model.set(key, value);
          map = setEntry(map, key, value, owner);
        }
        expect(map.size).toBe(model.size);
        for (const [key, value] of model) expect(getEntry(map, key)).toBe(value);
        expect(getEntry(map, "absent-key")).toBeUndefined();
        expect(sortedEntries(map)).toEqual(order([...model]));
      }),
      { numRuns: 300 },
    );
  });

  it("keys that all share one hash behave like a Map, in key order, and stay balanced", () => {
    // 12,000 phone-number keys whose FNV-1a hashes are all equal (fixtures/hostile, from scripts/fnv-collisions.mjs).
    const { hash, phones } = JSON.parse(fixtureText("hostile/fnv-collisions.json")) as { hash: number; phones: string[] };
    const colliding = phones.map((phone) => `p:${phone}`);
    expect(new Set(colliding.slice(0, 50).map(hashKey))).toEqual(new Set([hash]));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...colliding.slice(0, 60)), fc.integer({ min: 0, max: 5 })), { maxLength: 400 }), (ops) => {
        const model = new Map<string, number>();
        let map: PersistentMap<number> = emptyMap();
        const kept: [PersistentMap<number>, [string, number][]][] = [];
        for (const [key, value] of ops) {
          model.set(key, value);
          map = setEntry(map, key, value);
          if (kept.length < 5) kept.push([map, order([...model])]);
        }
        expect(map.size).toBe(model.size);
        for (const [key, value] of model) expect(getEntry(map, key)).toBe(value);
        expect(getEntry(map, colliding[100]!)).toBeUndefined();
        const visited: [string, number][] = [];
        forEachEntry(map, (key, value) => visited.push([key, value]));
        // One key sits inline; two or more share one collision node, whose tree keeps them sorted.
        expect(visited).toEqual(order([...model]));
        for (const [earlier, entries] of kept) expect(sortedEntries(earlier)).toEqual(entries); // persistent
      }),
      { numRuns: 200 },
    );
    // 12,000 colliding keys: a tree, not a list copied per insert (this finishes at once).
    let big: PersistentMap<number> = emptyMap();
    colliding.forEach((key, index) => (big = setEntry(big, key, index)));
    expect(getEntry(big, colliding[1234]!)).toBe(1234);
    expect(big.size).toBe(colliding.length);
  });

  it("never changes an earlier map, whatever owner later updates use", () => {
    fc.assert(
      fc.property(operations, operations, (first, second) => {
        let map: PersistentMap<number> = emptyMap();
        const owner = {};
        for (const [key, value] of first) map = setEntry(map, key, value, owner);
        const snapshot = sortedEntries(map);
        const size = map.size;
        let later = map;
        const laterOwner = {};
        for (const [key, value] of second) later = setEntry(later, key, value, laterOwner);
        expect(sortedEntries(map)).toEqual(snapshot);
        expect(map.size).toBe(size);
      }),
      { numRuns: 200 },
    );
  });

  it("returns the same map when a key already holds the value", () => {
    const map = setEntry(setEntry(emptyMap<number>(), "a", 1), COLLIDING[0], 2);
    expect(setEntry(map, "a", 1)).toBe(map);
    expect(setEntry(map, COLLIDING[0], 2)).toBe(map);
    expect(setEntry(map, "a", 2)).not.toBe(map);
  });

  it("removes like Map.delete, with or without an owner, never changing an earlier map", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(keyArbitrary, fc.integer({ min: 0, max: 5 }), fc.boolean()), { maxLength: 300 }), fc.boolean(), (ops, owned) => {
        const owner = owned ? {} : undefined;
        const model = new Map<string, number>();
        let map: PersistentMap<number> = emptyMap();
        const snapshots: [PersistentMap<number>, [string, number][]][] = [];
        for (const [key, value, remove] of ops) {
          if (remove) {
            const had = model.delete(key);
            const next = removeEntry(map, key, owner);
            if (!had) expect(next).toBe(map);
            map = next;
          } else {
            model.set(key, value);
            map = setEntry(map, key, value, owner);
          }
          if (!owned) snapshots.push([map, order([...model])]);
        }
        expect(map.size).toBe(model.size);
        expect(sortedEntries(map)).toEqual(order([...model]));
        for (const key of COLLIDING) expect(getEntry(map, key)).toBe(model.get(key));
        for (const [earlier, entries] of snapshots) expect(sortedEntries(earlier)).toEqual(entries);
      }),
      { numRuns: 300 },
    );
  });

  it("is canonical after removals: the same keys give the same trie, however they came and went", () => {
    const shape = (node: unknown): unknown =>
      node !== null && typeof node === "object" && "content" in node
        ? [
            (node as unknown as { dataMap: number }).dataMap,
            (node as unknown as { nodeMap: number }).nodeMap,
            (node as { content: unknown[] }).content.map(shape),
          ]
        : node !== null && typeof node === "object" && "tree" in node
          ? ["collision", JSON.stringify((node as { tree: unknown }).tree)]
          : node;
    fc.assert(
      fc.property(fc.uniqueArray(keyArbitrary, { maxLength: 150 }), fc.array(fc.nat(), { maxLength: 150 }), (keys, removals) => {
        const removed = new Set(removals.map((index) => keys[index % Math.max(keys.length, 1)]).filter((key) => key !== undefined));
        let map = keys.reduce((built, key) => setEntry(built, key, 1), emptyMap<number>());
        for (const key of removed) map = removeEntry(map, key);
        const direct = keys.filter((key) => !removed.has(key)).reduce((built, key) => setEntry(built, key, 1), emptyMap<number>());
        expect(shape(map.root)).toEqual(shape(direct.root));
      }),
      { numRuns: 300 },
    );
  });

  it("is history-independent: any insertion order gives the same iteration order", () => {
    fc.assert(
      fc.property(fc.uniqueArray(keyArbitrary, { maxLength: 200 }), fc.nat(), (keys, seed) => {
        const shuffled = [...keys].sort((a, b) => hashKey(`${seed}${a}`) - hashKey(`${seed}${b}`));
        const build = (list: string[]) => list.reduce((map, key) => setEntry(map, key, 1), emptyMap<number>());
        const visit = (map: PersistentMap<number>) => {
          const seen: string[] = [];
          forEachEntry(map, (key) => seen.push(key));
          return seen;
        };
        expect(visit(build(shuffled))).toEqual(visit(build(keys)));
      }),
      { numRuns: 200 },
    );
  });

  it("updates a deep-frozen map without writing to it", () => {
    const deepFreeze = (value: unknown): void => {
      if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const child of Object.values(value)) deepFreeze(child);
      }
    };
    const owner = {};
    let map = emptyMap<number>();
    for (let index = 0; index < 2000; index++) map = setEntry(map, `k${index}`, index, owner);
    deepFreeze(map);
    const next = setEntry(map, "k5", 99, {}); // a book's later updates always come with a new owner
    expect(getEntry(next, "k5")).toBe(99);
    expect(getEntry(map, "k5")).toBe(5);
  });
});
