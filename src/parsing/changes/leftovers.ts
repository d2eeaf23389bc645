/**
 * The parts of a change value that no other event represents: they become an `UnhandledChange`,
 * so nothing of a body is silently lost.
 *
 * @module
 */
import { checkHostileInput, isForbiddenKey } from "../../core/hostile-input.js";
import { keyCount, present } from "../../core/object-keys.js";
import { joinPath } from "../../core/path.js";
import type { ChangeContext, ChangeValue } from "./change-context.js";

const ALWAYS_REPRESENTED = ["messaging_product", "metadata"];

/**
 * Whether every key of a value is one the events represent: counted, not tested one by one. Each
 * known key that is there counts once, so the counts are equal only when there is no other key.
 */
function onlyKnownKeys(raw: Record<string, unknown>, represented: readonly string[], envelopeKeys: readonly string[]): boolean {
  let known = present(raw.messaging_product) + present(raw.metadata);
  for (const key of represented) known += present(raw[key]);
  for (const key of envelopeKeys) known += present(raw[key]);
  return keyCount(raw) === known;
}

/**
 * Emits an `UnhandledChange` for the parts of a value that no other event represents: keys other
 * than `represented` (plus metadata), and `extra` replacements (such as state sync items of an
 * unknown type). Nothing is emitted when there are none.
 */
export function emitLeftovers(value: ChangeValue, represented: readonly string[], context: ChangeContext, extra?: Record<string, unknown>): void {
  if (extra === undefined && !value.metadataExtra && onlyKnownKeys(value.raw, represented, context.envelopeKeys)) return;
  let unhandled: string[] | undefined;
  for (const key in value.raw) {
    if (represented.includes(key) || ALWAYS_REPRESENTED.includes(key) || isForbiddenKey(key) || context.envelopeKeys.includes(key)) continue;
    if (!checkHostileInput(value.raw[key], joinPath(context.path, key), context.depth + 1, context.run.maxDepth, context.run.issues)) continue;
    (unhandled ??= []).push(key);
  }
  if (unhandled === undefined && extra === undefined && !value.metadataExtra) return;
  const leftover: Record<string, unknown> = {};
  for (const key in value.raw) {
    if (ALWAYS_REPRESENTED.includes(key) || unhandled?.includes(key) === true) leftover[key] = value.raw[key];
  }
  if (extra !== undefined) for (const key of Object.keys(extra)) leftover[key] = extra[key];
  context.run.events.push({ type: "UnhandledChange", ...value.base, field: context.field, value: leftover });
}
