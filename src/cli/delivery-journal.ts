/**
 * `serve --snapshot book.jsonl` keeps the inspector's deliveries too, in `book.jsonl.deliveries`:
 * one line per delivery (its summary, kept headers and raw body, base64) and per app answer to a
 * forwarded one, so they survive a restart within the kept-bodies budget. The file is rewritten from
 * what is kept once it has grown to twice that (old bodies fall out of the budget as new ones come).
 *
 * @module
 */
import { appendFileSync, existsSync, renameSync, statSync, writeFileSync } from "node:fs";
import type { DeliveryLog, DeliveryRecorder, DeliverySummary } from "./deliveries.js";
import { fileLines } from "./file-lines.js";
import type { ForwardResult } from "./forward.js";

/** A line of the journal. */
type Line =
  | { readonly summary: DeliverySummary; readonly headers: Readonly<Record<string, string>>; readonly body: string | null }
  | { readonly forward: { readonly id: number; readonly result: ForwardResult } };

function lineOf(summary: DeliverySummary, raw: Uint8Array | undefined, headers: Readonly<Record<string, string>>): string {
  const line: Line = { summary, headers, body: raw === undefined ? null : Buffer.from(raw).toString("base64") };
  return `${JSON.stringify(line)}\n`;
}

/** The deliveries' journal beside a snapshot. */
export class DeliveryJournal implements DeliveryRecorder {
  private bytes = 0;

  /** @param path - the journal's path (`<snapshot>.deliveries`). */
  constructor(
    private readonly path: string,
    private readonly log: DeliveryLog,
  ) {}

  /**
   * Puts the journal's deliveries back into the log (a line that cannot be read, such as one torn by
   * a crash, is skipped), then journals what the log adds from now on.
   *
   * @returns how many deliveries were taken back.
   */
  load(): number {
    let restored = 0;
    if (existsSync(this.path)) {
      const forwards = new Map<number, ForwardResult>();
      const lines: Extract<Line, { summary: unknown }>[] = [];
      for (const text of fileLines(this.path)) {
        try {
          const line = JSON.parse(text) as Line;
          if ("forward" in line) forwards.set(line.forward.id, line.forward.result);
          else if (typeof line.summary?.id === "number") lines.push(line);
        } catch {
          // A torn last line: that delivery was being written when serve stopped.
        }
      }
      for (const { summary, headers, body } of lines) {
        const forward = forwards.get(summary.id);
        this.log.restore(
          forward === undefined ? summary : { ...summary, forward },
          body === null ? undefined : new Uint8Array(Buffer.from(body, "base64")),
          headers,
        );
        restored++;
      }
      this.rewrite();
    }
    this.log.journalTo(this);
    return restored;
  }

  /** Journals a delivery just added. */
  added(summary: DeliverySummary, raw: Uint8Array | undefined, headers: Readonly<Record<string, string>>): void {
    this.append(lineOf(summary, raw, headers));
  }

  /** Journals what the app answered to a forwarded delivery. */
  forwarded(id: number, result: ForwardResult): void {
    this.append(`${JSON.stringify({ forward: { id, result } })}\n`);
  }

  private append(text: string): void {
    appendFileSync(this.path, text);
    this.bytes += Buffer.byteLength(text);
    const kept = this.log.keptBytes();
    // Bodies in base64 take 4/3 of their bytes; twice what is kept, and the file is rewritten.
    if (this.bytes > 2 * ((kept.accepted + kept.refused) * 1.4 + 64 * 1024)) this.rewrite();
  }

  /** Rewrites the journal from what the log keeps now (a temporary file renamed over it). */
  private rewrite(): void {
    const text = this.log
      .entries()
      .map(({ summary, raw, headers }) => lineOf(summary, raw, headers))
      .join("");
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, this.path);
    this.bytes = existsSync(this.path) ? statSync(this.path).size : 0;
  }
}
