/**
 * An object's keys: counting them, for the readers that must know they read them all, and the ones
 * a fast reader did not read (copied to `extra`, or a reason to leave the object to the schemas).
 *
 * @module
 */
import { isForbiddenKey } from "./hostile-input.js";

/**
 * How many enumerable keys an object has, counted without building an array. A fast path that
 * read `n` keys and finds `keyCount(raw) === n` knows there are no others: no extras to copy and no
 * forbidden key, without testing each key against a list.
 */
export function keyCount(raw: Readonly<Record<string, unknown>>): number {
  let count = 0;
  // Only the keys are counted.
  for (const _ in raw) count++;
  return count;
}

/** 1 for a value that is there, 0 for `undefined`: for counting the keys a fast path read. */
export function present(value: unknown): number {
  return value === undefined ? 0 : 1;
}

/** A raw JSON object. */
export type Raw = Record<string, unknown>;
/** An output object under construction. */
export type Out = Record<string, unknown>;

/**
 * An output with the key `K`: the readers below take the key they write and an output that has
 * it, so a reader that writes a key the event type does not have fails to compile (an output typed
 * by its event's keys, as `MessageOut` is, shares no key with `{ K?: unknown }` for a wrong `K`).
 */
export type OutWith<K extends string> = { [P in K]?: unknown };

/** Every key of any member of a union (`keyof` of a union gives only the shared ones). */
type KeysOfUnion<T> = T extends unknown ? keyof T : never;

/** An output under construction for the type `T` (any member of a union): only `T`'s own keys may be written. */
export type OutOf<T> = { -readonly [K in KeysOfUnion<T> & string]?: unknown };

/**
 * Copies unknown primitive keys into `out.extra`, as the schemas do. Declines (false) on a
 * forbidden key or on any nested object other than `skip` (the content and `history_context`, read
 * on their own): the schemas walk those for hostile keys and depth, so the fast path leaves them to
 * the schemas.
 */
export function copyExtras(raw: Raw, modelled: ReadonlySet<string>, out: OutWith<"extra">, skip?: string, skipToo?: string): boolean {
  let extra: Out | undefined;
  for (const key in raw) {
    if (key === skip || key === skipToo) continue;
    const value = raw[key];
    if (typeof value === "object" && value !== null) return false;
    if (modelled.has(key)) continue;
    if (isForbiddenKey(key)) return false;
    (extra ??= {})[key] = value;
  }
  if (extra !== undefined) out.extra = extra;
  return true;
}

/**
 * Whether an object's keys other than `read` are all allowed and primitive (nothing the schemas
 * must walk). `readCount` is how many of `read` the object holds: when those are all its keys, the
 * answer is yes without testing each key.
 */
export function onlyPrimitiveExtras(raw: Raw, read: readonly string[], readCount: number): boolean {
  if (keyCount(raw) === readCount) return true;
  for (const key in raw) {
    if (read.includes(key)) continue;
    const value = raw[key];
    if (isForbiddenKey(key) || (typeof value === "object" && value !== null)) return false;
  }
  return true;
}
