/**
 * The fast path for a history chunk's `metadata`, `{ phase, chunk_order, progress }` (numbers, or
 * numeric strings as 360dialog sends them). Like the other fast paths it declines (`undefined`) on
 * anything unusual, and the schema decides; `test/fast-path.test.ts` proves the outputs equal
 * wherever it answers.
 *
 * @module
 */
import { MAX_SMALL_WHOLE_NUMBER, toWholeNumber } from "../core/normalize.js";
import { onlyPrimitiveExtras, present, type OutOf } from "../core/object-keys.js";
import { isObject } from "../core/parse-run.js";
import type { ChunkMetadata } from "../schemas/history.js";

const CHUNK_METADATA_KEYS = ["phase", "chunk_order", "progress"];

/**
 * Reads a chunk's position in the sync; its other keys are the chunk's `extra`, read apart.
 *
 * @param depth - the metadata's own depth from the body's root.
 * @returns the position, or `undefined` when the schema must decide.
 * @example
 * ```ts
 * fastChunkMetadata({ phase: "0", chunk_order: 1, progress: "55" }, 7, 64); // { phase: 0, chunkOrder: 1, progress: 55 }
 * ```
 */
export function fastChunkMetadata(raw: unknown, depth: number, maxDepth: number): ChunkMetadata | undefined {
  if (!isObject(raw) || depth > maxDepth) return undefined;
  const { phase, chunk_order: chunkOrder, progress } = raw;
  if (!onlyPrimitiveExtras(raw, CHUNK_METADATA_KEYS, present(phase) + present(chunkOrder) + present(progress))) return undefined;
  const out: OutOf<ChunkMetadata> = {};
  return readPosition(phase, "phase", out) && readPosition(chunkOrder, "chunkOrder", out) && readPosition(progress, "progress", out)
    ? (out as ChunkMetadata)
    : undefined;
}

/** One optional position: absent, or a whole number the schema would take. */
function readPosition(value: unknown, key: keyof ChunkMetadata, out: OutOf<ChunkMetadata>): boolean {
  if (value === undefined) return true;
  const number = toWholeNumber(value);
  if (number === undefined || number > MAX_SMALL_WHOLE_NUMBER) return false;
  out[key] = number;
  return true;
}
