/**
 * `history`: a `HistoryChunk` per chunk, a `HistoryDeclined` per error of a refusal, and a
 * `HistoryMedia` for the media follow-up (a `history` change without a `history` key).
 *
 * @module
 */
import type { HistoryThread } from "../../events/history-chunk.js";
import type { HistoryMessage } from "../../events/message.js";
import { chunkMetadataSchema, declinedItemSchema, threadHeaderSchema } from "../../schemas/history.js";
import { joinPath } from "../path.js";
import { checkOwnKeys, isObject, runSchema } from "../parse-run.js";
import { emitLeftovers, readChangeValue, readItems, type ChangeContext, type ChangeValue } from "./change-context.js";
import { fastHistoryMessage } from "../../fast/fast-message.js";
import { slowHistoryMessage, type Direction } from "./parse-message.js";

/** Parses a `history` change value into events. */
export function parseHistoryChange(value: unknown, context: ChangeContext): void {
  const change = readChangeValue(value, context);
  if (change === undefined) return;
  if (change.raw.history === undefined) {
    parseMediaFollowUp(change, context);
    return;
  }
  const items = readItems(change.raw, "history", context);
  if (items === undefined) return;
  const itemsPath = joinPath(context.path, "history");
  items.forEach((item, index) => parseHistoryItem(item, joinPath(itemsPath, index), change, context));
  emitLeftovers(change, ["history"], context);
}

function parseHistoryItem(item: unknown, path: string, change: ChangeValue, context: ChangeContext): void {
  const { run } = context;
  const depth = context.depth + 2;
  if (isObject(item) && item.errors !== undefined) {
    const declined = runSchema(declinedItemSchema, item, path, depth, run);
    for (const error of declined?.errors ?? []) run.events.push({ type: "HistoryDeclined", ...change.base, ...error });
    return;
  }
  if (!isObject(item) || item.metadata === undefined) {
    run.issues.push({ path, message: "Expected a history item with metadata (a chunk) or errors (a refusal)." });
    return;
  }
  if (!checkOwnKeys(item, path, run)) return;
  const metadata = runSchema(chunkMetadataSchema, item.metadata, joinPath(path, "metadata"), depth + 1, run);
  const threadsRaw = item.threads ?? [];
  if (!Array.isArray(threadsRaw)) {
    run.issues.push({ path: joinPath(path, "threads"), message: "Expected threads to be an array." });
    return;
  }
  if (metadata === undefined) return;
  const threadsPath = joinPath(path, "threads");
  const threads: HistoryThread[] = [];
  threadsRaw.forEach((thread, index) => {
    const threadPath = joinPath(threadsPath, index);
    const header = runSchema(threadHeaderSchema, thread, threadPath, depth + 2, run, "messages");
    if (header === undefined) return;
    const messages = parseMessageList((thread as { messages: unknown[] }).messages, joinPath(threadPath, "messages"), depth + 3, change, context);
    threads.push({ ...header, messages });
  });
  run.events.push({ type: "HistoryChunk", ...change.base, ...metadata, threads });
}

function parseMessageList(
  raws: readonly unknown[],
  path: string,
  depth: number,
  change: ChangeValue,
  context: ChangeContext,
  direction?: Direction,
): HistoryMessage[] {
  const messages: HistoryMessage[] = [];
  for (let index = 0; index < raws.length; index++) {
    const raw = raws[index];
    const message =
      fastHistoryMessage(raw, change.businessNumber, direction, depth + 1, context.run.maxDepth) ??
      slowHistoryMessage(raw, joinPath(path, index), depth + 1, context.run, change.businessNumber, direction);
    if (message !== undefined) messages.push(message);
  }
  return messages;
}

function parseMediaFollowUp(change: ChangeValue, context: ChangeContext): void {
  const inbound = readItems(change.raw, "messages", context) ?? [];
  const outbound = readItems(change.raw, "message_echoes", context) ?? [];
  const depth = context.depth + 1;
  const messages = [
    ...parseMessageList(inbound, joinPath(context.path, "messages"), depth, change, context, "inbound"),
    ...parseMessageList(outbound, joinPath(context.path, "message_echoes"), depth, change, context, "outbound"),
  ];
  if (inbound.length > 0 || outbound.length > 0) context.run.events.push({ type: "HistoryMedia", ...change.base, messages });
  emitLeftovers(change, ["messages", "message_echoes"], context);
}
