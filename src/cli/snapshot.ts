/**
 * The book on disk: written atomically (a temporary file, flushed, then renamed over the old one),
 * so a crash mid-write leaves either the old snapshot or the new one, never a torn file.
 *
 * @module
 */
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { deserializeBook, serializeBook, type ContactBook } from "../index.js";

/** Loads a snapshot (`undefined` when there is none yet), removing temporary files a crash left behind. */
export function loadSnapshot(path: string): ContactBook | undefined {
  const prefix = `${basename(path)}.`;
  for (const name of readdirSync(dirname(path))) {
    if (name.startsWith(prefix) && name.endsWith(".tmp")) rmSync(join(dirname(path), name), { force: true });
  }
  if (!existsSync(path)) return undefined;
  return deserializeBook(readFileSync(path, "utf8"));
}

let sequence = 0;

/** Writes the book to `path` atomically. */
export function writeSnapshot(path: string, book: ContactBook): void {
  const temporary = `${path}.${process.pid}.${sequence++}.tmp`;
  const descriptor = openSync(temporary, "w");
  try {
    writeSync(descriptor, JSON.stringify(serializeBook(book)));
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  renameSync(temporary, path);
}
