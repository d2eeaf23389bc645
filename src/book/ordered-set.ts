/**
 * A small persistent sorted set of `(timestamp, id)` pairs (a B+tree): the order of a person's
 * timeline. Every update returns a new set that shares untouched nodes with the old one, so one
 * update costs O(log n) and the old set stays valid; updates under the same `owner` token may
 * change the nodes that token created in place (as the persistent map does), which makes a
 * 12,000-message history chunk nearly as cheap as appending to an array.
 *
 * Pairs sort by timestamp, then by id in JavaScript's string order.
 *
 * @module
 */
import { withInserted, type Owner } from "./persistent-map.js";

/** Children (or pairs) per node: small enough that copying a node is cheap. */
const WIDTH = 32;

/** A node: a leaf holds pairs; an inner node holds children and, beside each, its greatest pair. */
interface Node {
  owner: Owner | undefined;
  times: number[];
  ids: string[];
  /** Absent on leaves. */
  children: Node[] | undefined;
}

/**
 * An immutable sorted set of `(timestamp, id)` pairs.
 *
 * @example
 * ```ts
 * const set = insertPair(insertPair(EMPTY_SET, 20, "b"), 10, "a");
 * lastPair(set); // [20, "b"]
 * ```
 */
export interface OrderedSet {
  readonly root: Node | undefined;
  readonly size: number;
  /** The batch that made this set, which may still change it in place. @internal */
  readonly owner: Owner | undefined;
}

/** The empty set. */
export const EMPTY_SET: OrderedSet = /* @__PURE__ */ Object.freeze({ root: undefined, size: 0, owner: undefined });

/** A set with this root and size: the set itself, changed in place, when `owner` made it. */
function withRoot(set: OrderedSet, root: Node | undefined, size: number, owner: Owner): OrderedSet {
  if (set.owner !== owner) return { root, size, owner };
  const mutable = set as { root: Node | undefined; size: number };
  mutable.root = root;
  mutable.size = size;
  return set;
}

function compare(time: number, id: string, otherTime: number, otherId: string): number {
  if (time !== otherTime) return time < otherTime ? -1 : 1;
  return id < otherId ? -1 : id > otherId ? 1 : 0;
}

/** The first position whose pair is not below `(time, id)`. */
function lowerBound(node: Node, time: number, id: string): number {
  let low = 0;
  let high = node.times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(node.times[middle] as number, node.ids[middle] as string, time, id) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function editable(node: Node, owner: Owner): Node {
  if (node.owner === owner) return node;
  return { owner, times: node.times.slice(), ids: node.ids.slice(), children: node.children?.slice() };
}

/** Splits an over-full node: evenly, or (after an append at its end) leaving the left one full. */
function split(node: Node, owner: Owner, appended: boolean): [Node, Node] {
  const at = appended ? WIDTH : node.times.length >>> 1;
  const left: Node = { owner, times: node.times.slice(0, at), ids: node.ids.slice(0, at), children: node.children?.slice(0, at) };
  const right: Node = { owner, times: node.times.slice(at), ids: node.ids.slice(at), children: node.children?.slice(at) };
  return [left, right];
}

function lastIndex(node: Node): number {
  return node.times.length - 1;
}

/** Inserts into a subtree: the new node (or two, after a split), or `undefined` when present. */
function insertInto(node: Node, time: number, id: string, owner: Owner): Node[] | undefined {
  let position = lowerBound(node, time, id);
  if (node.children === undefined) {
    if (position < node.times.length && node.times[position] === time && node.ids[position] === id) return undefined;
    // New arrays of exactly the new length (growing in place would leave spare capacity in every node).
    const leaf: Node = { owner, times: withInserted(node.times, position, time), ids: withInserted(node.ids, position, id), children: undefined };
    return leaf.times.length > WIDTH ? split(leaf, owner, position === WIDTH) : [leaf];
  }
  const appended = position === node.times.length;
  if (appended) position--;
  const result = insertInto(node.children[position] as Node, time, id, owner);
  if (result === undefined) return undefined;
  const inner = editable(node, owner);
  for (let index = 0; index < result.length; index++) {
    const children = inner.children as Node[];
    const child = result[index] as Node;
    const last = lastIndex(child);
    if (index === 0) {
      children[position] = child;
      inner.times[position] = child.times[last] as number;
      inner.ids[position] = child.ids[last] as string;
    } else {
      inner.children = withInserted(children, position + index, child);
      inner.times = withInserted(inner.times, position + index, child.times[last] as number);
      inner.ids = withInserted(inner.ids, position + index, child.ids[last] as string);
    }
  }
  return (inner.children as Node[]).length > WIDTH ? split(inner, owner, appended && position === WIDTH - 1) : [inner];
}

/**
 * The set with `(time, id)` added; the set itself when it is there already.
 *
 * @example
 * ```ts
 * insertPair(EMPTY_SET, 1739321400, "wamid.1").size; // 1
 * ```
 */
export function insertPair(set: OrderedSet, time: number, id: string, owner: Owner = {}): OrderedSet {
  if (set.root === undefined) return withRoot(set, { owner, times: [time], ids: [id], children: undefined }, 1, owner);
  const result = insertInto(set.root, time, id, owner);
  if (result === undefined) return set;
  if (result.length === 1) return withRoot(set, result[0], set.size + 1, owner);
  const [left, right] = result as [Node, Node];
  const root: Node = {
    owner,
    times: [left.times[lastIndex(left)] as number, right.times[lastIndex(right)] as number],
    ids: [left.ids[lastIndex(left)] as string, right.ids[lastIndex(right)] as string],
    children: [left, right],
  };
  return withRoot(set, root, set.size + 1, owner);
}

const ABSENT = Symbol("absent");

/** Removes from a subtree: the new node, `undefined` when it became empty, {@link ABSENT} when not there. */
function removeFrom(node: Node, time: number, id: string, owner: Owner): Node | undefined | typeof ABSENT {
  const position = lowerBound(node, time, id);
  if (position === node.times.length) return ABSENT;
  if (node.children === undefined) {
    if (node.times[position] !== time || node.ids[position] !== id) return ABSENT;
    if (node.times.length === 1) return undefined;
    const leaf = editable(node, owner);
    leaf.times.splice(position, 1);
    leaf.ids.splice(position, 1);
    return leaf;
  }
  const result = removeFrom(node.children[position] as Node, time, id, owner);
  if (result === ABSENT) return ABSENT;
  if (result === undefined && node.children.length === 1) return undefined;
  const inner = editable(node, owner);
  const children = inner.children as Node[];
  if (result === undefined) {
    children.splice(position, 1);
    inner.times.splice(position, 1);
    inner.ids.splice(position, 1);
  } else {
    children[position] = result;
    inner.times[position] = result.times[lastIndex(result)] as number;
    inner.ids[position] = result.ids[lastIndex(result)] as string;
  }
  return inner;
}

/**
 * The set without `(time, id)`; the set itself when it is not there. (Nodes may be left under-full:
 * the height only grows with the number of pairs ever inserted, so every operation stays O(log n).)
 *
 * @example
 * ```ts
 * removePair(insertPair(EMPTY_SET, 1, "a"), 1, "a").size; // 0
 * ```
 */
export function removePair(set: OrderedSet, time: number, id: string, owner: Owner = {}): OrderedSet {
  if (set.root === undefined) return set;
  const result = removeFrom(set.root, time, id, owner);
  if (result === ABSENT) return set;
  return withRoot(set, result, set.size - 1, owner);
}

/**
 * The greatest pair, or `undefined` for the empty set.
 *
 * @example
 * ```ts
 * lastPair(insertPair(EMPTY_SET, 5, "x")); // [5, "x"]
 * ```
 */
export function lastPair(set: OrderedSet): [number, string] | undefined {
  const root = set.root;
  if (root === undefined) return undefined;
  return [root.times[lastIndex(root)] as number, root.ids[lastIndex(root)] as string];
}

function collectBefore(node: Node, bound: [number, string] | undefined, limit: number, out: string[]): void {
  let start = bound === undefined ? node.times.length : lowerBound(node, bound[0], bound[1]);
  if (node.children === undefined) {
    for (let index = start - 1; index >= 0 && out.length < limit; index--) out.push(node.ids[index] as string);
    return;
  }
  // The child at `start` holds the bound's neighbours; every child before it lies wholly below.
  if (start === node.times.length) start--;
  for (let index = start; index >= 0 && out.length < limit; index--) {
    collectBefore(node.children[index] as Node, index === start ? bound : undefined, limit, out);
  }
}

/**
 * The ids of up to `limit` pairs below `bound` (all pairs when it is `undefined`), greatest first.
 * Costs O(log n + limit).
 *
 * @example
 * ```ts
 * idsBefore(set, undefined, 50); // the 50 newest ids
 * idsBefore(set, [1739321400, "wamid.9"], 50); // the 50 just older than wamid.9
 * ```
 */
export function idsBefore(set: OrderedSet, bound: [number, string] | undefined, limit: number): string[] {
  const out: string[] = [];
  if (set.root !== undefined && limit > 0) collectBefore(set.root, bound, limit, out);
  return out;
}

/** The first position whose pair is above `(time, id)`. */
function upperBound(node: Node, time: number, id: string): number {
  let low = 0;
  let high = node.times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(node.times[middle] as number, node.ids[middle] as string, time, id) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function collectAfter(node: Node, bound: [number, string] | undefined, limit: number, out: string[]): void {
  const start = bound === undefined ? 0 : upperBound(node, bound[0], bound[1]);
  if (node.children === undefined) {
    for (let index = start; index < node.times.length && out.length < limit; index++) out.push(node.ids[index] as string);
    return;
  }
  // Each child holds pairs up to the pair beside it: the child at `start` is the first with any above the bound.
  for (let index = start; index < node.times.length && out.length < limit; index++) {
    collectAfter(node.children[index] as Node, index === start ? bound : undefined, limit, out);
  }
}

/**
 * The ids of up to `limit` pairs above `bound` (from the smallest when it is `undefined`), smallest
 * first. Costs O(log n + limit).
 *
 * @example
 * ```ts
 * idsAfter(set, [0, "p:16505551234"], 50); // the 50 ids just after p:16505551234
 * ```
 */
export function idsAfter(set: OrderedSet, bound: [number, string] | undefined, limit: number): string[] {
  const out: string[] = [];
  if (set.root !== undefined && limit > 0) collectAfter(set.root, bound, limit, out);
  return out;
}

/**
 * Whether `(time, id)` is in the set. Costs O(log n).
 *
 * @example
 * ```ts
 * hasPair(insertPair(EMPTY_SET, 0, "p:1"), 0, "p:1"); // true
 * ```
 */
export function hasPair(set: OrderedSet, time: number, id: string): boolean {
  let node = set.root;
  while (node !== undefined) {
    const position = lowerBound(node, time, id);
    if (position === node.times.length) return false;
    if (node.children === undefined) return node.times[position] === time && node.ids[position] === id;
    node = node.children[position];
  }
  return false;
}

/**
 * Visits every pair in ascending order.
 *
 * @example
 * ```ts
 * forEachPair(set, (time, id) => console.log(time, id));
 * ```
 */
export function forEachPair(set: OrderedSet, visit: (time: number, id: string) => void): void {
  const walk = (node: Node): void => {
    if (node.children === undefined) for (let index = 0; index < node.times.length; index++) visit(node.times[index] as number, node.ids[index] as string);
    else for (const child of node.children) walk(child);
  };
  if (set.root !== undefined) walk(set.root);
}
