/**
 * The book on disk, for `serve --snapshot`: a snapshot (the whole book, written atomically: a
 * temporary file, flushed, then renamed over the old one) and a journal beside it (each batch of
 * events appended as one JSON line and flushed before the webhook is acknowledged). A POST costs
 * what its own events cost, whatever the size of the book; the snapshot is rewritten (and the
 * journal emptied) only once the journal has grown as large as the snapshot, so that work stays
 * proportional to what was appended. Replaying the journal is idempotent (the book converges
 * however often an event repeats), so a crash between the two steps of a compaction loses nothing.
 *
 * @module
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { applyEvents, createContactBook, deserializeBook, serializeBook, type CoexistenceEvent, type ContactBook } from "../index.js";

/** The journal is compacted once it is larger than this and than the snapshot. */
const MIN_COMPACTION_BYTES = 1 << 20;

let sequence = 0;

/** Writes the book to `path` atomically. */
function writeSnapshot(path: string, book: ContactBook): number {
  const temporary = `${path}.${process.pid}.${sequence++}.tmp`;
  const text = JSON.stringify(serializeBook(book));
  const descriptor = openSync(temporary, "w");
  try {
    writeSync(descriptor, text);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  renameSync(temporary, path);
  return Buffer.byteLength(text);
}

/** A book kept on disk as a snapshot and a journal of the event batches applied since. */
export class BookFile {
  private readonly journalPath: string;
  private journal: number | undefined;
  private journalBytes = 0;
  private snapshotBytes = 0;

  /** @param path - the snapshot's path; the journal is `<path>.journal`. */
  constructor(private readonly path: string) {
    if (path === "") throw new TypeError("The snapshot path is empty.");
    this.journalPath = `${path}.journal`;
  }

  /**
   * Loads the snapshot and replays the journal (a last line torn by a crash was never
   * acknowledged, and is ignored); removes temporary files a crash left behind.
   */
  load(): ContactBook {
    const prefix = `${basename(this.path)}.`;
    for (const name of readdirSync(dirname(this.path))) {
      if (name.startsWith(prefix) && name.endsWith(".tmp")) rmSync(join(dirname(this.path), name), { force: true });
    }
    const hasSnapshot = existsSync(this.path);
    let book = hasSnapshot ? deserializeBook(readFileSync(this.path, "utf8")) : createContactBook();
    this.snapshotBytes = hasSnapshot ? statSync(this.path).size : 0;
    if (existsSync(this.journalPath)) {
      const lines = readFileSync(this.journalPath, "utf8").split("\n");
      lines.forEach((line, index) => {
        if (line === "") return;
        let events: unknown;
        try {
          events = JSON.parse(line);
        } catch (error) {
          if (index === lines.length - 1) return; // torn by a crash mid-append: never acknowledged
          throw new Error(`line ${index + 1} of ${this.journalPath} is not JSON (${(error as Error).message})`);
        }
        if (!Array.isArray(events)) throw new Error(`line ${index + 1} of ${this.journalPath} is not a list of events`);
        book = applyEvents(book, events as CoexistenceEvent[]);
      });
    }
    this.journal = openSync(this.journalPath, "a");
    this.journalBytes = fstatSync(this.journal).size;
    return book;
  }

  /**
   * Makes a batch of events durable (returns once it is on disk), and compacts when the journal has
   * grown as large as the snapshot. `book` is the book with the events applied.
   */
  append(events: readonly CoexistenceEvent[], book: ContactBook): void {
    if (this.journal === undefined) throw new Error("BookFile.load() must run first.");
    const line = `${JSON.stringify(events)}\n`;
    writeSync(this.journal, line);
    fsyncSync(this.journal);
    this.journalBytes += Buffer.byteLength(line);
    if (this.journalBytes > Math.max(MIN_COMPACTION_BYTES, this.snapshotBytes)) this.compact(book);
  }

  /** Writes the whole book as the snapshot, then empties the journal. */
  compact(book: ContactBook): void {
    this.snapshotBytes = writeSnapshot(this.path, book);
    if (this.journal !== undefined) {
      ftruncateSync(this.journal, 0);
      fsyncSync(this.journal);
    }
    this.journalBytes = 0;
  }

  /** Closes the journal. */
  close(): void {
    if (this.journal !== undefined) closeSync(this.journal);
    this.journal = undefined;
  }
}
