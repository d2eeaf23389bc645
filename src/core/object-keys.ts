/**
 * Counting an object's keys, for the readers that must know they read them all.
 *
 * @module
 */

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
