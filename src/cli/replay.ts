/**
 * `replay <files or folders...>`: fold bodies into a book and print it.
 *
 * @module
 */
import {
  addUnplaced,
  createContactBook,
  describeUnplaced,
  foldEvents,
  noneUnplaced,
  safeParseWebhook,
  serializeBook,
  type BusinessFallback,
} from "../index.js";
import { bookReport } from "./book-report.js";
import { bodiesIn } from "./read-input.js";
import { conversationTimelines, timelineReport } from "./timeline-report.js";
import { jsonForTerminal, painter, terminalSafe } from "./terminal.js";
import { UsageError } from "./usage.js";

/** Runs `replay`; resolves to the exit code. With `conversation`, prints that person's timeline instead of the book. */
export function replay(positionals: readonly string[], json: boolean, conversation?: string, business: BusinessFallback = {}): number {
  if (positionals.length === 0) throw new UsageError("replay needs at least one file or folder.", "replay");
  const paintError = painter(process.stderr);
  const started = Date.now();
  const progress = process.stderr.isTTY === true;
  let book = createContactBook();
  let bodies = 0;
  let failed = 0;
  let lastProgress = 0;
  let unplaced = noneUnplaced();
  for (const { source, body } of bodiesIn(positionals)) {
    const result = safeParseWebhook(body, business);
    const folded = foldEvents(book, result.events);
    book = folded.book;
    unplaced = addUnplaced(unplaced, folded.unplaced);
    bodies++;
    if (!result.success) {
      failed++;
      for (const issue of result.issues) {
        process.stderr.write(`${paintError("red", "✗")} ${terminalSafe(`${source}: ${issue.path === "" ? "(body)" : issue.path}: ${issue.message}`)}\n`);
      }
    }
    const now = Date.now();
    if (progress && now - started > 1000 && now - lastProgress > 200) {
      lastProgress = now;
      process.stderr.write(`\r${bodies} bodies folded…`);
    }
  }
  if (lastProgress > 0) process.stderr.write("\r\u001b[K");
  if (conversation === undefined) process.stdout.write(json ? `${jsonForTerminal(serializeBook(book))}\n` : bookReport(book, painter(process.stdout)));
  else {
    const timelines = conversationTimelines(book, conversation);
    process.stdout.write(
      json ? `${jsonForTerminal({ conversation, businesses: timelines })}\n` : timelineReport(timelines, conversation, painter(process.stdout)),
    );
  }
  for (const line of describeUnplaced(unplaced)) process.stderr.write(`${paintError("yellow", "!")} ${line}.\n`);
  if (unplaced.byReason["no-business"] > 0) process.stderr.write("  (on the command line: --phone-number-id <id>)\n");
  if (failed > 0) process.stderr.write(`${failed} of ${bodies} bodies had issues (their good parts were folded).\n`);
  return failed > 0 ? 1 : 0;
}
