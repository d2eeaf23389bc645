/**
 * The one seam between the fast readers and the tolerant schemas: every item of a body (a message,
 * a history message, a thread's header, an address-book item, a change's metadata) is read by the
 * fast reader when it has the common shape, else by the tolerant schema, which repairs what it can
 * and reports each issue with its path. A differential property test holds the two to the same
 * answers (test/fast-path.test.ts).
 *
 * @module
 */
import type { ParseRun } from "../core/parse-run.js";
import { joinPath } from "../core/path.js";

/**
 * How to read one kind of item: its fast reader and the tolerant schema behind it.
 *
 * @example
 * ```ts
 * const reader: ItemReader<Message> = { fast: (raw, depth, maxDepth) => fastMessage(raw, depth, maxDepth), slow: slowMessage };
 * ```
 */
export interface ItemReader<T, C = undefined> {
  /** The item when it has the common shape; `undefined` (reporting nothing) when the schema must decide. */
  readonly fast: (raw: unknown, depth: number, maxDepth: number, context: C) => T | undefined;
  /** The item read tolerantly, each repair reported at `path`; `undefined` when it cannot be kept. */
  readonly slow: (raw: unknown, path: string, depth: number, run: ParseRun, context: C) => T | undefined;
}

/**
 * Reads one item: fast when it can, else tolerantly. The item's path (`parent` and `key`) is only
 * built when the schema runs (most items never need it).
 *
 * @example
 * ```ts
 * const message = readItem(MESSAGE_READER, items[index], itemsPath, index, depth, run, undefined);
 * ```
 */
export function readItem<T, C>(
  reader: ItemReader<T, C>,
  raw: unknown,
  parent: string,
  key: string | number,
  depth: number,
  run: ParseRun,
  context: C,
): T | undefined {
  const read = reader.fast(raw, depth, run.maxDepth, context);
  return read !== undefined ? read : reader.slow(raw, joinPath(parent, key), depth, run, context);
}
