/**
 * The fast path for a history thread's header in its usual shape, `{ id, messages }`. Like the
 * other fast paths it declines (`undefined`) on anything else, and the schema decides;
 * `test/fast-path.test.ts` proves the outputs equal wherever it answers.
 *
 * @module
 */
import { normalizePhone } from "../core/normalize.js";
import { isObject } from "../core/parse-run.js";
import type { HistoryThreadHeader } from "../schemas/history.js";
import { keyCount } from "../core/object-keys.js";

/**
 * The header of a thread that has only a phone number `id` and its `messages` array: a 3 MB
 * history chunk has 200 of them, each of which the schema would walk and read on its own.
 *
 * @param depth - the thread's own depth from the body's root.
 * @returns the header, or `undefined` when the schema must decide.
 * @example
 * ```ts
 * fastThreadHeader({ id: "16505551234", messages: [] }, 9, 64); // { id: "16505551234" }
 * ```
 */
export function fastThreadHeader(raw: unknown, depth: number, maxDepth: number): HistoryThreadHeader | undefined {
  if (!isObject(raw) || depth > maxDepth || !Array.isArray(raw.messages) || keyCount(raw) !== 2) return undefined;
  const { id } = raw;
  if (typeof id !== "string") return undefined;
  const digits = normalizePhone(id);
  if (digits === null) return undefined;
  return digits === undefined ? {} : { id: digits };
}
