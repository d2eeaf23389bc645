/**
 * A small persistent hash map (a hash array mapped trie): every update returns a new map that
 * shares all untouched nodes with the old one, so one update costs O(log32 n) and the old map stays
 * valid and unchanged. Updates made under the same `owner` token may reuse the nodes that token
 * created (as Clojure's transients do), which makes a batch of updates nearly as cheap as a
 * mutable map while everything reachable from an earlier map is never touched.
 *
 * The structure is history-independent: the same set of keys gives the same shape whatever the
 * insertion order, so iteration order depends on the keys alone.
 *
 * @module
 */

/** A token that marks the nodes one batch of updates created and may still mutate. */
export type Owner = object;

const BITS = 5;
const MASK = 31;

/**
 * A node of the trie (CHAMP layout: "compressed hash-array mapped prefix tree"): the entries that
 * end here sit inline in `content` as key/value pairs (`dataMap` says which 5-bit slots they take),
 * followed by the sub-nodes (`nodeMap`). No object per entry: a map of n entries holds about 2n
 * array slots and n/4 nodes.
 */
class Branch {
  constructor(
    public owner: Owner | undefined,
    public dataMap: number,
    public nodeMap: number,
    public content: unknown[],
  ) {}
}

/**
 * Keys whose 32-bit hashes are all equal. They sit in a balanced search tree (AVL, ordered by key),
 * so even a key set crafted to collide (hash flooding) costs O(log n) per operation, never a list
 * copied on every insert.
 */
class Collision {
  constructor(
    readonly hash: number,
    readonly tree: TreeNode<unknown>,
  ) {}
}

/** An entry of a collision tree. */
interface Leaf<V> {
  readonly key: string;
  readonly value: V;
}

/** A persistent AVL tree of leaves. */
interface TreeNode<V> {
  readonly leaf: Leaf<V>;
  readonly left: Tree<V>;
  readonly right: Tree<V>;
  readonly height: number;
}
type Tree<V> = TreeNode<V> | undefined;

/**
 * An immutable map from strings to `V`.
 *
 * @example
 * ```ts
 * const empty = emptyMap<number>();
 * const one = setEntry(empty, "a", 1);
 * getEntry(one, "a"); // 1
 * getEntry(empty, "a"); // undefined: the old map is unchanged
 * ```
 */
export interface PersistentMap<V> {
  /** @internal */
  readonly root: Branch;
  readonly size: number;
  /** Only to carry `V`. @internal */
  readonly __value?: V;
}

const EMPTY_ROOT = /* @__PURE__ */ Object.freeze(new Branch(undefined, 0, 0, Object.freeze([] as unknown[]) as unknown[]));
const EMPTY: PersistentMap<never> = /* @__PURE__ */ Object.freeze({ root: EMPTY_ROOT, size: 0 });

/** The empty map. @example `const map = emptyMap<string>();` */
export function emptyMap<V>(): PersistentMap<V> {
  return EMPTY;
}

/** 32-bit FNV-1a. */
export function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function popcount(bits: number): number {
  let count = bits - ((bits >>> 1) & 0x55555555);
  count = (count & 0x33333333) + ((count >>> 2) & 0x33333333);
  return Math.imul((count + (count >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Where the sub-node for `bit` sits in a node's content. */
function nodeIndex(node: Branch, bit: number): number {
  return 2 * popcount(node.dataMap) + popcount(node.nodeMap & (bit - 1));
}

/**
 * The value for `key`, or `undefined`. `hash` may be given when the caller already has
 * `hashKey(key)`.
 *
 * @example
 * ```ts
 * getEntry(setEntry(emptyMap(), "k", 1), "k"); // 1
 * ```
 */
export function getEntry<V>(map: PersistentMap<V>, key: string, hash: number = hashKey(key)): V | undefined {
  let node = map.root;
  for (let shift = 0; ; shift += BITS) {
    const bit = 1 << ((hash >>> shift) & MASK);
    if ((node.dataMap & bit) !== 0) {
      const index = 2 * popcount(node.dataMap & (bit - 1));
      return node.content[index] === key ? (node.content[index + 1] as V) : undefined;
    }
    if ((node.nodeMap & bit) === 0) return undefined;
    const child = node.content[nodeIndex(node, bit)] as Branch | Collision;
    if (child instanceof Collision) return child.hash === hash ? (treeGet(child.tree, key) as V | undefined) : undefined;
    node = child;
  }
}

/**
 * What one `setEntry` (or `removeEntry`) did, filled in as it walks down: whether it added a key,
 * and whether it changed anything. Passed down the walk (as immutable-js passes its "did alter" refs), not kept
 * in module state.
 */
interface SetOutcome {
  inserted: boolean;
  modified: boolean;
}

/**
 * A map with `key` set to `value`. Returns `map` itself when the key already holds this exact
 * value. With an `owner`, nodes created earlier under the same owner are updated in place.
 *
 * @example
 * ```ts
 * const a = setEntry(emptyMap<number>(), "x", 1);
 * setEntry(a, "x", 1) === a; // true
 * ```
 */
export function setEntry<V>(map: PersistentMap<V>, key: string, value: V, owner?: Owner, hash: number = hashKey(key)): PersistentMap<V> {
  const outcome: SetOutcome = { inserted: false, modified: false };
  const root = setIn(map.root, 0, hash, key, value, owner, outcome);
  if (!outcome.modified) return map;
  return { root, size: outcome.inserted ? map.size + 1 : map.size };
}

/** A copy of `items` with `item` at `index`, in an array of exactly that length. */
export function withInserted<T>(items: readonly T[], index: number, item: T): T[] {
  const out = new Array<T>(items.length + 1);
  for (let at = 0; at < index; at++) out[at] = items[at] as T;
  out[index] = item;
  for (let at = index; at < items.length; at++) out[at + 1] = items[at] as T;
  return out;
}

/** The node with its content replaced: in place when the owner made it, else a copy. */
function withContent(node: Branch, owner: Owner | undefined, dataMap: number, nodeMap: number, content: unknown[]): Branch {
  if (owner !== undefined && node.owner === owner) {
    node.dataMap = dataMap;
    node.nodeMap = nodeMap;
    node.content = content;
    return node;
  }
  return new Branch(owner, dataMap, nodeMap, content);
}

function setIn(node: Branch, shift: number, hash: number, key: string, value: unknown, owner: Owner | undefined, outcome: SetOutcome): Branch {
  const bit = 1 << ((hash >>> shift) & MASK);
  const editable = owner !== undefined && node.owner === owner;
  if ((node.dataMap & bit) !== 0) {
    const index = 2 * popcount(node.dataMap & (bit - 1));
    const existing = node.content[index] as string;
    if (existing === key) {
      if (node.content[index + 1] === value) return node;
      outcome.modified = true;
      if (editable) {
        node.content[index + 1] = value;
        return node;
      }
      const content = node.content.slice();
      content[index + 1] = value;
      return new Branch(owner, node.dataMap, node.nodeMap, content);
    }
    // Another key ends here: both move down into a sub-node (or a collision, when their hashes are equal).
    outcome.inserted = true;
    outcome.modified = true;
    const sub = pair(existing, node.content[index + 1], hashKey(existing), key, value, hash, shift + BITS, owner);
    const dataMap = node.dataMap ^ bit;
    const nodeMap = node.nodeMap | bit;
    const at = 2 * popcount(dataMap) + popcount(nodeMap & (bit - 1));
    const content = new Array<unknown>(node.content.length - 1);
    for (let from = 0, to = 0; from < node.content.length; from++) {
      if (from === index || from === index + 1) continue;
      if (to === at) content[to++] = sub;
      content[to++] = node.content[from];
    }
    if (at === content.length - 1) content[at] = sub;
    return withContent(node, owner, dataMap, nodeMap, content);
  }
  if ((node.nodeMap & bit) !== 0) {
    const index = nodeIndex(node, bit);
    const child = node.content[index] as Branch | Collision;
    const next =
      child instanceof Collision
        ? setInCollision(child, hash, key, value, shift + BITS, owner, outcome)
        : setIn(child, shift + BITS, hash, key, value, owner, outcome);
    if (next === child) return node;
    if (editable) {
      node.content[index] = next;
      return node;
    }
    const content = node.content.slice();
    content[index] = next;
    return new Branch(owner, node.dataMap, node.nodeMap, content);
  }
  outcome.inserted = true;
  outcome.modified = true;
  const index = 2 * popcount(node.dataMap & (bit - 1));
  // New arrays of exactly the new length: growing one in place leaves spare capacity in every small node.
  const content = new Array<unknown>(node.content.length + 2);
  for (let at = 0; at < index; at++) content[at] = node.content[at];
  content[index] = key;
  content[index + 1] = value;
  for (let at = index; at < node.content.length; at++) content[at + 2] = node.content[at];
  return withContent(node, owner, node.dataMap | bit, node.nodeMap, content);
}

/** A node holding two entries whose hashes agree on the bits above `shift`. */
function pair(
  keyA: string,
  valueA: unknown,
  hashA: number,
  keyB: string,
  valueB: unknown,
  hashB: number,
  shift: number,
  owner: Owner | undefined,
): Branch | Collision {
  if (hashA === hashB) {
    const built: SetOutcome = { inserted: false, modified: false };
    return new Collision(hashA, treeSet(treeSet(undefined, { key: keyA, value: valueA }, built), { key: keyB, value: valueB }, built));
  }
  const bitA = 1 << ((hashA >>> shift) & MASK);
  const bitB = 1 << ((hashB >>> shift) & MASK);
  if (bitA === bitB) return new Branch(owner, 0, bitA, [pair(keyA, valueA, hashA, keyB, valueB, hashB, shift + BITS, owner)]);
  // Compare as unsigned: bit 31 is negative as a signed 32-bit number.
  const content = bitA >>> 0 < bitB >>> 0 ? [keyA, valueA, keyB, valueB] : [keyB, valueB, keyA, valueA];
  return new Branch(owner, bitA | bitB, 0, content);
}

function setInCollision(
  node: Collision,
  hash: number,
  key: string,
  value: unknown,
  shift: number,
  owner: Owner | undefined,
  outcome: SetOutcome,
): Branch | Collision {
  if (node.hash !== hash) {
    // Not a collision with this key: push the collision down beside the new entry.
    const branch = new Branch(owner, 0, 1 << ((node.hash >>> shift) & MASK), [node]);
    return setIn(branch, shift, hash, key, value, owner, outcome);
  }
  const tree = treeSet(node.tree, { key, value }, outcome);
  return tree === node.tree ? node : new Collision(hash, tree);
}

function treeGet(tree: Tree<unknown>, key: string): unknown {
  for (let node = tree; node !== undefined; node = key < node.leaf.key ? node.left : node.right) {
    if (node.leaf.key === key) return node.leaf.value;
  }
  return undefined;
}

const heightOf = (tree: Tree<unknown>): number => (tree === undefined ? 0 : tree.height);

function treeNode(leaf: Leaf<unknown>, left: Tree<unknown>, right: Tree<unknown>): TreeNode<unknown> {
  return { leaf, left, right, height: Math.max(heightOf(left), heightOf(right)) + 1 };
}

/** Rebuilds a node whose subtrees differ in height by at most 2, rotating it back into balance. */
function balanced(leaf: Leaf<unknown>, left: Tree<unknown>, right: Tree<unknown>): TreeNode<unknown> {
  const lean = heightOf(left) - heightOf(right);
  if (lean > 1) {
    const l = left as TreeNode<unknown>;
    if (heightOf(l.left) >= heightOf(l.right)) return treeNode(l.leaf, l.left, treeNode(leaf, l.right, right));
    const lr = l.right as TreeNode<unknown>;
    return treeNode(lr.leaf, treeNode(l.leaf, l.left, lr.left), treeNode(leaf, lr.right, right));
  }
  if (lean < -1) {
    const r = right as TreeNode<unknown>;
    if (heightOf(r.right) >= heightOf(r.left)) return treeNode(r.leaf, treeNode(leaf, left, r.left), r.right);
    const rl = r.left as TreeNode<unknown>;
    return treeNode(rl.leaf, treeNode(leaf, left, rl.left), treeNode(r.leaf, rl.right, r.right));
  }
  return treeNode(leaf, left, right);
}

/** The tree with `leaf` set (the same tree when its key already holds that exact value). */
function treeSet(tree: Tree<unknown>, leaf: Leaf<unknown>, outcome: SetOutcome): TreeNode<unknown> {
  if (tree === undefined) {
    outcome.inserted = true;
    outcome.modified = true;
    return treeNode(leaf, undefined, undefined);
  }
  if (leaf.key === tree.leaf.key) {
    if (leaf.value === tree.leaf.value) return tree;
    outcome.modified = true;
    return { leaf, left: tree.left, right: tree.right, height: tree.height };
  }
  if (leaf.key < tree.leaf.key) {
    const left = treeSet(tree.left, leaf, outcome);
    return left === tree.left ? tree : balanced(tree.leaf, left, tree.right);
  }
  const right = treeSet(tree.right, leaf, outcome);
  return right === tree.right ? tree : balanced(tree.leaf, tree.left, right);
}

/**
 * A map without `key` (`map` itself when it has no such key). The trie stays in its canonical
 * shape (a sub-node that is left with one entry is folded into its parent), so a map is the same
 * whatever insertions and removals made it.
 *
 * @example
 * ```ts
 * const a = setEntry(setEntry(emptyMap<number>(), "x", 1), "y", 2);
 * getEntry(removeEntry(a, "x"), "x"); // undefined
 * ```
 */
export function removeEntry<V>(map: PersistentMap<V>, key: string, owner?: Owner, hash: number = hashKey(key)): PersistentMap<V> {
  const outcome: SetOutcome = { inserted: false, modified: false };
  const root = removeIn(map.root, 0, hash, key, owner, outcome);
  return outcome.modified ? { root, size: map.size - 1 } : map;
}

/** Whether a sub-node holds a single entry (and so belongs inline in its parent). */
function single(node: Branch | Collision): [string, unknown] | undefined {
  if (node instanceof Collision) return node.tree.left === undefined && node.tree.right === undefined ? [node.tree.leaf.key, node.tree.leaf.value] : undefined;
  return node.nodeMap === 0 && node.content.length === 2 ? [node.content[0] as string, node.content[1]] : undefined;
}

function removeIn(node: Branch, shift: number, hash: number, key: string, owner: Owner | undefined, outcome: SetOutcome): Branch {
  const bit = 1 << ((hash >>> shift) & MASK);
  if ((node.dataMap & bit) !== 0) {
    const index = 2 * popcount(node.dataMap & (bit - 1));
    if (node.content[index] !== key) return node;
    outcome.modified = true;
    const content = node.content.filter((_, at) => at !== index && at !== index + 1);
    return withContent(node, owner, node.dataMap ^ bit, node.nodeMap, content);
  }
  if ((node.nodeMap & bit) === 0) return node;
  const index = nodeIndex(node, bit);
  const child = node.content[index] as Branch | Collision;
  let next: Branch | Collision;
  if (child instanceof Collision) {
    if (child.hash !== hash) return node;
    const tree = treeRemove(child.tree, key);
    if (tree === child.tree) return node;
    outcome.modified = true;
    next = new Collision(hash, tree as TreeNode<unknown>);
  } else {
    next = removeIn(child, shift + BITS, hash, key, owner, outcome);
    if (!outcome.modified) return node;
    // A branch left holding one collision and nothing else: the collision takes its place (as an insertion would have put it).
    if (next.dataMap === 0 && next.content.length === 1 && next.content[0] instanceof Collision) next = next.content[0];
  }
  const only = single(next);
  if (only === undefined) {
    if (next === child) return node; // changed in place (a node this owner made)
    const content = node.content.slice();
    content[index] = next;
    return withContent(node, owner, node.dataMap, node.nodeMap, content);
  }
  // The sub-node kept one entry: it moves up into this node's data.
  const dataMap = node.dataMap | bit;
  const at = 2 * popcount(dataMap & (bit - 1));
  const content = node.content.filter((_, position) => position !== index);
  content.splice(at, 0, only[0], only[1]);
  return withContent(node, owner, dataMap, node.nodeMap ^ bit, content);
}

/** The tree without `key` (the same tree when it has no such key); never empties a collision (it holds two keys or more). */
function treeRemove(tree: Tree<unknown>, key: string): Tree<unknown> {
  if (tree === undefined) return undefined;
  if (key < tree.leaf.key) {
    const left = treeRemove(tree.left, key);
    return left === tree.left ? tree : balanced(tree.leaf, left, tree.right);
  }
  if (key > tree.leaf.key) {
    const right = treeRemove(tree.right, key);
    return right === tree.right ? tree : balanced(tree.leaf, tree.left, right);
  }
  if (tree.left === undefined) return tree.right;
  if (tree.right === undefined) return tree.left;
  let least = tree.right;
  while (least.left !== undefined) least = least.left;
  return balanced(least.leaf, tree.left, treeRemove(tree.right, least.leaf.key));
}

function visitTree<V>(tree: Tree<unknown>, visit: (key: string, value: V) => void): void {
  if (tree === undefined) return;
  visitTree(tree.left, visit);
  visit(tree.leaf.key, tree.leaf.value as V);
  visitTree(tree.right, visit);
}

/**
 * Calls `visit` for every entry, in an order that depends on the keys alone.
 *
 * @example
 * ```ts
 * forEachEntry(map, (key, value) => console.log(key, value));
 * ```
 */
export function forEachEntry<V>(map: PersistentMap<V>, visit: (key: string, value: V) => void): void {
  visitNode(map.root, visit);
}

function visitNode<V>(node: Branch, visit: (key: string, value: V) => void): void {
  const content = node.content;
  const data = 2 * popcount(node.dataMap);
  for (let index = 0; index < data; index += 2) visit(content[index] as string, content[index + 1] as V);
  for (let index = data; index < content.length; index++) {
    const child = content[index] as Branch | Collision;
    if (child instanceof Collision) visitTree(child.tree, visit);
    else visitNode(child, visit);
  }
}

/**
 * JavaScript's string order (UTF-16 code units), the one order every listing of the book uses.
 *
 * @example
 * ```ts
 * ["b", "a"].sort(compareKeys); // ["a", "b"]
 * ```
 */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Every entry as `[key, value]`, sorted by key.
 *
 * @example
 * ```ts
 * sortedEntries(map); // [["a", 1], ["b", 2]]
 * ```
 */
export function sortedEntries<V>(map: PersistentMap<V>): [string, V][] {
  const entries: [string, V][] = [];
  forEachEntry(map, (key, value) => entries.push([key, value]));
  return entries.sort((a, b) => compareKeys(a[0], b[0]));
}
