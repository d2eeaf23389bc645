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

const LEAF = 0;
const BRANCH = 1;
const COLLISION = 2;
const BITS = 5;
const MASK = 31;

interface Leaf<V> {
  readonly kind: typeof LEAF;
  readonly key: string;
  readonly hash: number;
  readonly value: V;
}

interface Branch<V> {
  readonly kind: typeof BRANCH;
  owner: Owner | undefined;
  bitmap: number;
  children: Child<V>[];
}

/**
 * Keys whose 32-bit hashes are all equal. They sit in a balanced search tree (AVL, ordered by key),
 * so even a key set crafted to collide (hash flooding) costs O(log n) per operation, never a list
 * copied on every insert.
 */
interface Collision<V> {
  readonly kind: typeof COLLISION;
  readonly hash: number;
  readonly tree: Tree<V>;
}

/** A persistent AVL tree of leaves. */
interface TreeNode<V> {
  readonly leaf: Leaf<V>;
  readonly left: Tree<V>;
  readonly right: Tree<V>;
  readonly height: number;
}
type Tree<V> = TreeNode<V> | undefined;

type Child<V> = Leaf<V> | Branch<V> | Collision<V>;

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
  readonly root: Branch<V>;
  readonly size: number;
}

const EMPTY_ROOT: Branch<never> = Object.freeze({ kind: BRANCH, owner: undefined, bitmap: 0, children: Object.freeze([]) as never[] }) as Branch<never>;
const EMPTY: PersistentMap<never> = Object.freeze({ root: EMPTY_ROOT, size: 0 });

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
  let node: Child<V> = map.root;
  for (let shift = 0; ; shift += BITS) {
    if (node.kind === BRANCH) {
      const bit = 1 << ((hash >>> shift) & MASK);
      if ((node.bitmap & bit) === 0) return undefined;
      node = node.children[popcount(node.bitmap & (bit - 1))] as Child<V>;
    } else if (node.kind === LEAF) {
      return node.key === key ? node.value : undefined;
    } else {
      return node.hash === hash ? treeGet(node.tree, key) : undefined;
    }
  }
}

let inserted = false;
let modified = false;

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
  inserted = false;
  modified = false;
  const root = setIn(map.root, 0, hash, key, value, owner);
  if (!modified) return map;
  return { root, size: inserted ? map.size + 1 : map.size };
}

function setIn<V>(node: Branch<V>, shift: number, hash: number, key: string, value: V, owner: Owner | undefined): Branch<V> {
  const bit = 1 << ((hash >>> shift) & MASK);
  const index = popcount(node.bitmap & (bit - 1));
  const editable = owner !== undefined && node.owner === owner;
  if ((node.bitmap & bit) === 0) {
    inserted = true;
    modified = true;
    const leaf: Leaf<V> = { kind: LEAF, key, hash, value };
    if (editable) {
      node.children.splice(index, 0, leaf);
      node.bitmap |= bit;
      return node;
    }
    const children = node.children.slice(0, index);
    children.push(leaf);
    for (let at = index; at < node.children.length; at++) children.push(node.children[at] as Child<V>);
    return { kind: BRANCH, owner, bitmap: node.bitmap | bit, children };
  }
  const child = node.children[index] as Child<V>;
  let next: Child<V>;
  if (child.kind === BRANCH) next = setIn(child, shift + BITS, hash, key, value, owner);
  else if (child.kind === LEAF) {
    if (child.key === key) {
      if (child.value === value) return node;
      modified = true;
      next = { kind: LEAF, key, hash, value };
    } else {
      inserted = true;
      modified = true;
      next = split(child, { kind: LEAF, key, hash, value }, shift + BITS, owner);
    }
  } else next = setInCollision(child, hash, key, value, shift + BITS, owner);
  if (next === child) return node;
  if (editable) {
    node.children[index] = next;
    return node;
  }
  const children = node.children.slice();
  children[index] = next;
  return { kind: BRANCH, owner, bitmap: node.bitmap, children };
}

/** A node holding two leaves that share the hash bits above `shift`. */
function split<V>(a: Leaf<V>, b: Leaf<V>, shift: number, owner: Owner | undefined): Child<V> {
  if (a.hash === b.hash) return { kind: COLLISION, hash: a.hash, tree: treeSet(treeSet(undefined, a), b) };
  const bitA = 1 << ((a.hash >>> shift) & MASK);
  const bitB = 1 << ((b.hash >>> shift) & MASK);
  if (bitA === bitB) return { kind: BRANCH, owner, bitmap: bitA, children: [split(a, b, shift + BITS, owner)] };
  // Compare as unsigned: bit 31 is negative as a signed 32-bit number.
  return { kind: BRANCH, owner, bitmap: bitA | bitB, children: bitA >>> 0 < bitB >>> 0 ? [a, b] : [b, a] };
}

function setInCollision<V>(node: Collision<V>, hash: number, key: string, value: V, shift: number, owner: Owner | undefined): Child<V> {
  if (node.hash !== hash) {
    // Not a collision with this key: push the collision down beside a new leaf.
    const bit = 1 << ((node.hash >>> shift) & MASK);
    const branch: Branch<V> = { kind: BRANCH, owner, bitmap: bit, children: [node] };
    return setIn(branch, shift, hash, key, value, owner);
  }
  const tree = treeSet(node.tree, { kind: LEAF, key, hash, value });
  return tree === node.tree ? node : { kind: COLLISION, hash, tree };
}

function treeGet<V>(tree: Tree<V>, key: string): V | undefined {
  for (let node = tree; node !== undefined; node = key < node.leaf.key ? node.left : node.right) {
    if (node.leaf.key === key) return node.leaf.value;
  }
  return undefined;
}

const heightOf = <V>(tree: Tree<V>): number => (tree === undefined ? 0 : tree.height);

function treeNode<V>(leaf: Leaf<V>, left: Tree<V>, right: Tree<V>): TreeNode<V> {
  return { leaf, left, right, height: Math.max(heightOf(left), heightOf(right)) + 1 };
}

/** Rebuilds a node whose subtrees differ in height by at most 2, rotating it back into balance. */
function balanced<V>(leaf: Leaf<V>, left: Tree<V>, right: Tree<V>): TreeNode<V> {
  const lean = heightOf(left) - heightOf(right);
  if (lean > 1) {
    const l = left as TreeNode<V>;
    if (heightOf(l.left) >= heightOf(l.right)) return treeNode(l.leaf, l.left, treeNode(leaf, l.right, right));
    const lr = l.right as TreeNode<V>;
    return treeNode(lr.leaf, treeNode(l.leaf, l.left, lr.left), treeNode(leaf, lr.right, right));
  }
  if (lean < -1) {
    const r = right as TreeNode<V>;
    if (heightOf(r.right) >= heightOf(r.left)) return treeNode(r.leaf, treeNode(leaf, left, r.left), r.right);
    const rl = r.left as TreeNode<V>;
    return treeNode(rl.leaf, treeNode(leaf, left, rl.left), treeNode(r.leaf, rl.right, r.right));
  }
  return treeNode(leaf, left, right);
}

/** The tree with `leaf` set (the same tree when its key already holds that exact value). */
function treeSet<V>(tree: Tree<V>, leaf: Leaf<V>): TreeNode<V> {
  if (tree === undefined) {
    inserted = true;
    modified = true;
    return treeNode(leaf, undefined, undefined);
  }
  if (leaf.key === tree.leaf.key) {
    if (leaf.value === tree.leaf.value) return tree;
    modified = true;
    return { leaf, left: tree.left, right: tree.right, height: tree.height };
  }
  if (leaf.key < tree.leaf.key) {
    const left = treeSet(tree.left, leaf);
    return left === tree.left ? tree : balanced(tree.leaf, left, tree.right);
  }
  const right = treeSet(tree.right, leaf);
  return right === tree.right ? tree : balanced(tree.leaf, tree.left, right);
}

function visitTree<V>(tree: Tree<V>, visit: (key: string, value: V) => void): void {
  if (tree === undefined) return;
  visitTree(tree.left, visit);
  visit(tree.leaf.key, tree.leaf.value);
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

function visitNode<V>(node: Child<V>, visit: (key: string, value: V) => void): void {
  if (node.kind === LEAF) visit(node.key, node.value);
  else if (node.kind === BRANCH) for (const child of node.children) visitNode(child, visit);
  else visitTree(node.tree, visit);
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
