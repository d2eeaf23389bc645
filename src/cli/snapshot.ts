/**
 * The book on disk, for `serve --snapshot`: a snapshot (the whole book in the streamed form of
 * `serializeBookLines`, one record a line, so a book of any size can be written; written
 * atomically: a temporary file, flushed, then renamed over the old one) and a journal beside it
 * (each batch of events appended as one JSON line and flushed before the webhook is acknowledged). A POST costs
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
import {
  applyEvents,
  BOOK_FORMAT,
  createContactBook,
  deserializeBook,
  deserializeBookLines,
  serializeBookLines,
  type CoexistenceEvent,
  type ContactBook,
} from "../index.js";
import { fileLines } from "./file-lines.js";

/** The journal is compacted once it is larger than this and than the snapshot. */
const MIN_COMPACTION_BYTES = 1 << 20;

let sequence = 0;

/** Lines are gathered into writes of about this many characters. */
const WRITE_PIECE = 1 << 20;

/** Writes the book to `path` atomically, a piece of lines at a time. */
function writeSnapshot(path: string, book: ContactBook): number {
  const temporary = `${path}.${process.pid}.${sequence++}.tmp`;
  const descriptor = openSync(temporary, "w");
  let bytes = 0;
  try {
    let piece = "";
    for (const line of serializeBookLines(book)) {
      piece += `${line}\n`;
      if (piece.length >= WRITE_PIECE) {
        bytes += writeSync(descriptor, piece);
        piece = "";
      }
    }
    bytes += writeSync(descriptor, piece);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  renameSync(temporary, path);
  return bytes;
}

/** Reads a snapshot: the streamed form, or one JSON document (as earlier versions of serve wrote it). */
function readSnapshot(path: string): ContactBook {
  const lines = fileLines(path);
  const first = lines.next();
  lines.return(); // closes the file now, not when the collector gets to it
  const streamed = first.done !== true && first.value.startsWith(`{"format":"${BOOK_FORMAT}"`) && first.value.includes('"form":"lines"');
  return streamed ? deserializeBookLines(fileLines(path)) : deserializeBook(readFileSync(path, "utf8"));
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
   * Loads the snapshot and replays the journal; removes temporary files a crash left behind. A last
   * line without its newline was torn by a crash mid-append (never acknowledged): it is cut off the
   * journal, so the next append starts a line of its own.
   */
  load(): ContactBook {
    const prefix = `${basename(this.path)}.`;
    for (const name of readdirSync(dirname(this.path))) {
      if (name.startsWith(prefix) && name.endsWith(".tmp")) rmSync(join(dirname(this.path), name), { force: true });
    }
    const hasSnapshot = existsSync(this.path);
    let book = hasSnapshot ? readSnapshot(this.path) : createContactBook();
    this.snapshotBytes = hasSnapshot ? statSync(this.path).size : 0;
    let whole = 0; // bytes of the journal's complete lines
    if (existsSync(this.journalPath)) {
      const total = statSync(this.journalPath).size;
      let number = 0;
      for (const line of fileLines(this.journalPath)) {
        number++;
        const size = Buffer.byteLength(line) + 1;
        // A last line without its newline was torn mid-append (or its newline never written): never acknowledged.
        const torn = whole + size > total;
        let events: unknown;
        try {
          events = JSON.parse(line);
        } catch (error) {
          if (torn) break; // cut off below
          throw new Error(`line ${number} of ${this.journalPath} is not JSON (${(error as Error).message})`);
        }
        if (torn) break;
        if (!Array.isArray(events)) throw new Error(`line ${number} of ${this.journalPath} is not a list of events`);
        book = applyEvents(book, events as CoexistenceEvent[]);
        whole += size;
      }
    }
    this.journal = openSync(this.journalPath, "a");
    if (fstatSync(this.journal).size > whole) {
      ftruncateSync(this.journal, whole);
      fsyncSync(this.journal);
    }
    this.journalBytes = whole;
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
