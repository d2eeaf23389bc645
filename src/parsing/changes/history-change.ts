/**
 * `history`: a `HistoryChunk` per chunk, a `HistoryDeclined` per error of a refusal, and a
 * `HistoryMedia` for the media follow-up (a `history` change without a `history` key).
 *
 * @module
 */
import type { HistoryThread } from "../../events/history-chunk.js";
import type { HistoryMessage } from "../../events/message.js";
import type { EventBase } from "../../events/event-base.js";
import type { Direction } from "../../events/parts.js";
import { newPartiesRead, type HistoryItemContext } from "../../fast/fast-message.js";
import { fastChunkMetadata } from "../../fast/fast-chunk-metadata.js";
import { fastThreadHeader } from "../../fast/fast-thread-header.js";
import {
  CHUNK_KEYS,
  CHUNK_METADATA_KEYS,
  chunkMetadataSchema,
  declinedItemSchema,
  threadHeaderSchema,
  type ChunkMetadata,
  type HistoryParties,
  type HistoryThreadHeader,
} from "../../schemas/history.js";
import { unmodelled } from "../../schemas/object-shape.js";
import { joinPath } from "../../core/path.js";
import { checkOwnKeys, isObject, runSchema } from "../../core/parse-run.js";
import { readItem, type ItemReader } from "../read-item.js";
import { runTolerantSchema } from "../tolerant-schema.js";
import { readChangeValue, readItems, type ChangeContext, type ChangeValue } from "./change-context.js";
import { emitLeftovers } from "./leftovers.js";
import { HISTORY_MESSAGE_READER } from "./parse-message.js";
import { readProfiles } from "./profile-contacts.js";

/** A thread's header (its messages are read apart): fast, else the tolerant schema. */
const THREAD_HEADER_READER: ItemReader<HistoryThreadHeader> = {
  fast: fastThreadHeader,
  slow: (raw, path, depth, run) => runTolerantSchema(threadHeaderSchema, raw, path, depth, run, {}, "messages"),
};

/** A chunk's position in the sync: fast, else the tolerant schema (what cannot be read is left out). */
const CHUNK_METADATA_READER: ItemReader<ChunkMetadata> = {
  fast: fastChunkMetadata,
  slow: (raw, path, depth, run) => runTolerantSchema(chunkMetadataSchema, raw, path, depth, run, {}),
};

/** Depth of a history item below the change value (`value.history[i]`), and of its parts below the item. */
const ITEM_DEPTH = 2;
const THREAD_DEPTH = 2;
const MESSAGE_DEPTH = 4;
/** Depth of a chunk's `metadata` below its item. */
const METADATA_DEPTH = 1;

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
  // What a refusal carries beside its errors has no event of its own: it stays in an UnhandledChange.
  let refusalLeftovers: Record<string, unknown>[] | undefined;
  for (let index = 0; index < items.length; index++) {
    const leftover = parseHistoryItem(items[index], joinPath(itemsPath, index), change, context);
    if (leftover !== undefined) (refusalLeftovers ??= []).push(leftover);
  }
  emitLeftovers(change, ["history"], context, refusalLeftovers === undefined ? undefined : { history: refusalLeftovers });
}

const REFUSAL_KEYS: ReadonlySet<string> = new Set(["errors"]);

/** @returns what a refusal carries beside its errors, when it carries anything. */
function parseHistoryItem(item: unknown, path: string, change: ChangeValue, context: ChangeContext): Record<string, unknown> | undefined {
  const { run } = context;
  const depth = context.depth + ITEM_DEPTH;
  if (isObject(item) && item.errors !== undefined) {
    const declined = runSchema(declinedItemSchema, item, path, depth, run);
    for (const error of declined?.errors ?? []) run.events.push({ type: "HistoryDeclined", ...change.base, ...error });
    return declined === undefined ? undefined : unmodelled(item, REFUSAL_KEYS, []);
  }
  if (!isObject(item) || (item.metadata === undefined && item.threads === undefined)) {
    run.issues.push({ path, message: "Expected a history item with threads (a chunk) or errors (a refusal)." });
    return undefined;
  }
  if (!checkOwnKeys(item, path, run)) return undefined;
  const metadata: ChunkMetadata =
    item.metadata === undefined ? {} : (readItem(CHUNK_METADATA_READER, item.metadata, path, "metadata", depth + METADATA_DEPTH, run, undefined) ?? {});
  const threadsRaw = item.threads ?? [];
  if (!Array.isArray(threadsRaw)) {
    run.issues.push({ path: joinPath(path, "threads"), message: "Expected threads to be an array." });
    return undefined;
  }
  const threadsPath = joinPath(path, "threads");
  const threads: HistoryThread[] = [];
  for (let index = 0; index < threadsRaw.length; index++) {
    const thread: unknown = threadsRaw[index];
    const threadPath = joinPath(threadsPath, index);
    const header = readItem(THREAD_HEADER_READER, thread, threadsPath, index, depth + THREAD_DEPTH, run, undefined);
    if (header === undefined) continue;
    const parties = historyParties(change.base, header.id, header.userId);
    const raws = (thread as { messages: unknown[] }).messages;
    const messages = parseMessageList(raws, joinPath(threadPath, "messages"), depth + MESSAGE_DEPTH, parties, context);
    // The header is this parse's own object: the messages join it (a spread into a new object cost
    // a third as much as reading the thread's 60 messages).
    (header as { messages?: HistoryMessage[] }).messages = messages;
    threads.push(header as HistoryThread);
  }
  const extra = unmodelled(item, CHUNK_KEYS, CHUNK_NESTED);
  run.events.push(
    extra === undefined
      ? { type: "HistoryChunk", ...change.base, ...metadata, threads }
      : { type: "HistoryChunk", ...change.base, ...metadata, threads, extra },
  );
  return undefined;
}

const CHUNK_NESTED: readonly [string, ReadonlySet<string>][] = [["metadata", CHUNK_METADATA_KEYS]];

/**
 * The parties of a history message's direction rule: the business of the change (display number as
 * digits, phone number id) and, in a thread, its customer. One literal, so every parties object has
 * one shape.
 */
function historyParties(base: EventBase, customerPhone?: string, customerUserId?: string): HistoryParties {
  return { businessNumber: base.displayPhoneNumber, phoneNumberId: base.phoneNumberId, customerPhone, customerUserId };
}

function parseMessageList(
  raws: readonly unknown[],
  path: string,
  depth: number,
  parties: HistoryParties,
  context: ChangeContext,
  direction?: Direction,
): HistoryMessage[] {
  // Sized once (growing by push copies the array several times in a long thread), trimmed at the end.
  const messages = new Array<HistoryMessage>(raws.length);
  const run = context.run;
  const fresh = run.fresh;
  const item: HistoryItemContext = { parties, direction, read: newPartiesRead() };
  let count = 0;
  for (let index = 0; index < raws.length; index++) {
    const raw = raws[index];
    const message = readItem(HISTORY_MESSAGE_READER, raw, path, index, depth, run, item);
    if (message !== undefined) messages[count++] = message;
    if (fresh) (raws as unknown[])[index] = undefined; // read: the collector may drop it now
  }
  messages.length = count;
  return messages;
}

function parseMediaFollowUp(change: ChangeValue, context: ChangeContext): void {
  const inbound = readItems(change.raw, "messages", context) ?? [];
  const outbound = readItems(change.raw, "message_echoes", context) ?? [];
  const depth = context.depth + ITEM_DEPTH;
  const business = historyParties(change.base);
  const messages = [
    ...parseMessageList(inbound, joinPath(context.path, "messages"), depth, business, context, "inbound"),
    ...parseMessageList(outbound, joinPath(context.path, "message_echoes"), depth, business, context, "outbound"),
  ];
  const contacts = readProfiles(change.raw, context);
  if (inbound.length > 0 || outbound.length > 0) {
    context.run.events.push(
      contacts.length === 0 ? { type: "HistoryMedia", ...change.base, messages } : { type: "HistoryMedia", ...change.base, messages, contacts },
    );
  }
  emitLeftovers(change, ["messages", "message_echoes", "contacts"], context);
}
