/**
 * "Tolerant by field, strict by identity": an item whose schema fails is repaired by leaving out
 * the fields that could not be read (each reported as an issue with its path), and is dropped only
 * when what identifies it is unusable.
 *
 * @module
 */
import * as v from "valibot";
import { hostileVerdict, isForbiddenKey } from "../core/hostile-input.js";
import { isObject, reportIssues, type ParseRun } from "../core/parse-run.js";

/** How far repairs go: each round leaves out the fields of the previous round's issues, or their parents. */
const MAX_ROUNDS = 6;

/**
 * How to treat one kind of item. What identifies an item is what its schema requires: a required
 * field that cannot be read is left out, and its absence then fails the item (or, left out in turn,
 * its parent), so no item survives without its identity.
 */
export interface Tolerance<TOutput> {
  /**
   * A schema of the identifying fields alone, checked first: an item without a usable identity is
   * reported and dropped at once, so a body of a million bad items costs one small check each.
   */
  readonly identitySchema?: v.GenericSchema;
  /** What to make of an item whose identity is fine but whose other fields could not be repaired. */
  readonly salvage?: (repaired: Record<string, unknown>, original: Record<string, unknown>) => TOutput | undefined;
}

const REMOVED = Symbol("removed");

type Key = string | number;

function keysOf(issue: v.BaseIssue<unknown>): Key[] {
  const keys: Key[] = [];
  for (const item of issue.path ?? []) {
    const key = item.key;
    if (typeof key === "string" || typeof key === "number") keys.push(key);
  }
  return keys;
}

/**
 * Leaves out the value at `keys`, or, when nothing is there (a required field is missing), the
 * object that should have held it. Works on a copy-on-write clone rooted at `root`.
 *
 * @returns whether anything was left out.
 */
function leaveOut(root: Record<string, unknown>, keys: readonly Key[], touched: Set<unknown[]>): boolean {
  for (let length = keys.length; length > 0; length--) {
    let parent: unknown = root;
    for (let index = 0; index < length - 1 && parent !== undefined; index++) {
      parent = isContainer(parent) ? (parent as Record<Key, unknown>)[keys[index] as Key] : undefined;
    }
    const key = keys[length - 1] as Key;
    if (Array.isArray(parent) && typeof key === "number" && key < parent.length && parent[key] !== REMOVED) {
      parent[key] = REMOVED;
      touched.add(parent);
      return true;
    }
    if (isObject(parent) && Object.hasOwn(parent, key)) {
      delete parent[key];
      return true;
    }
  }
  return false;
}

function isContainer(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

/**
 * A deep copy of plain JSON data without forbidden keys (the item passed the depth check, so the
 * recursion is bounded).
 */
function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) if (!isForbiddenKey(key)) out[key] = cloneJson(value[key]);
    return out;
  }
  return value;
}

function sweep(touched: Set<unknown[]>): void {
  for (const array of touched) {
    let kept = 0;
    for (const item of array) if (item !== REMOVED) array[kept++] = item;
    array.length = kept;
  }
}

/**
 * Validates one item of a body. When the schema fails, every issue is reported with its full path,
 * then the fields those issues name are left out and the item is read again, until it reads or an
 * issue lands on what identifies it.
 *
 * @returns the item (possibly without the fields that could not be read), or `undefined` when it
 *   had to be dropped (its issues are in `run`).
 */
export function runTolerantSchema<TOutput>(
  schema: v.GenericSchema<unknown, TOutput>,
  input: unknown,
  path: string,
  depth: number,
  run: ParseRun,
  tolerance: Tolerance<TOutput>,
  skipKey?: string,
): TOutput | undefined {
  let clean = input;
  const verdict = hostileVerdict(input, path, depth, run.maxDepth, run.issues, skipKey);
  if (verdict !== "clean") {
    // A structure too deep to walk is dropped; a forbidden key (reported) is left out like any
    // field that cannot be read, and the rest of the item still counts.
    if (verdict === "too-deep" || !isObject(input)) return undefined;
    clean = cloneJson(input);
  }
  if (tolerance.identitySchema !== undefined) {
    const identity = v.safeParse(tolerance.identitySchema, clean);
    if (!identity.success) {
      reportIssues(path, identity.issues, run);
      return undefined;
    }
  }
  let result = v.safeParse(schema, clean);
  if (result.success) return result.output;
  reportIssues(path, result.issues, run);
  if (!isObject(clean)) return undefined;
  const repaired = clean === input ? (cloneJson(input) as Record<string, unknown>) : clean;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const paths = result.issues.map(keysOf);
    if (paths.some((keys) => keys.length === 0)) return undefined;
    const touched = new Set<unknown[]>();
    let progressed = false;
    for (const keys of paths) progressed = leaveOut(repaired, keys, touched) || progressed;
    sweep(touched);
    if (!progressed) break;
    result = v.safeParse(schema, repaired);
    if (result.success) return result.output;
  }
  return tolerance.salvage?.(repaired, input as Record<string, unknown>);
}
