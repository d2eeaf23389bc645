/**
 * A file's lines, read a piece at a time: a snapshot of a large book is past the longest string
 * JavaScript holds, so it is never read as one text.
 *
 * @module
 */
import { closeSync, openSync, readSync } from "node:fs";

const PIECE = 1 << 20;

/**
 * The lines of a UTF-8 file, each without its `\n`; the last one is given even without a newline.
 *
 * @example
 * ```ts
 * for (const line of fileLines("book.jsonl")) console.log(line.length);
 * ```
 */
export function* fileLines(path: string): Generator<string, void, undefined> {
  const descriptor = openSync(path, "r");
  try {
    const decoder = new TextDecoder();
    const buffer = new Uint8Array(PIECE);
    let rest = "";
    for (let read = readSync(descriptor, buffer); read > 0; read = readSync(descriptor, buffer)) {
      const text = rest + decoder.decode(buffer.subarray(0, read), { stream: true });
      const lines = text.split("\n");
      rest = lines.pop() as string;
      yield* lines;
    }
    rest += decoder.decode();
    if (rest !== "") yield rest;
  } finally {
    closeSync(descriptor);
  }
}
