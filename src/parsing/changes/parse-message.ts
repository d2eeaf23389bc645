/**
 * Parsing one message: the fast path first, the valibot schema (with its detailed issues) when the
 * fast path declines. A differential property test proves the two agree. A message whose content
 * cannot be read still comes out (as `type: "unknown"` with its raw object, beside the issues);
 * only a message without a usable `id` or `timestamp` is left out.
 *
 * @module
 */
import * as v from "valibot";
import type { HistoryMessage, Message } from "../../events/message.js";
import { fastHistoryMessage, fastMessage, type HistoryItemContext } from "../../fast/fast-message.js";
import type { ItemReader } from "../read-item.js";
import { historyContextSchema, historyDirection, type HistoryContext } from "../../schemas/history.js";
import { CONTENT_TYPES, messageIdentitySchema, messageSchema, unknownMessageSchema } from "../../schemas/message.js";
import { joinPath } from "../../core/path.js";
import { isObject, type ParseRun } from "../../core/parse-run.js";
import { runTolerantSchema, type Tolerance } from "../tolerant-schema.js";

const MESSAGE_TOLERANCE: Tolerance<Message> = {
  identitySchema: messageIdentitySchema,
  salvage: (repaired, original) => {
    const result = v.safeParse(unknownMessageSchema(original), repaired);
    return result.success ? result.output : undefined;
  },
};

const CONTEXT_TOLERANCE: Tolerance<HistoryContext> = { salvage: () => ({}) };

/**
 * Parses an echo or a received message with the schemas, tolerantly.
 *
 * @returns the message, or `undefined` (with issues in `run`) when its id or timestamp is unusable.
 */
function slowMessage(raw: unknown, path: string, depth: number, run: ParseRun): Message | undefined {
  const inferred = isObject(raw) && raw.type === undefined ? typeFromContent(raw) : undefined;
  if (inferred === undefined) return runTolerantSchema(messageSchema, raw, path, depth, run, MESSAGE_TOLERANCE);
  run.issues.push({ path: joinPath(path, "type"), message: `The message has no type; it was read as "${inferred}", the only content it carries.` });
  return runTolerantSchema(messageSchema, { ...(raw as Record<string, unknown>), type: inferred }, path, depth, run, MESSAGE_TOLERANCE);
}

/**
 * The type a message without `type` can only be: the one content key it carries (`location`),
 * or `undefined` when it carries none or several.
 */
function typeFromContent(raw: Record<string, unknown>): string | undefined {
  let found: string | undefined;
  for (const key in raw) {
    if (!CONTENT_TYPES.has(key)) continue;
    if (found !== undefined) return undefined;
    found = key;
  }
  return found;
}

/** An echo or a received message: fast, else the schemas (`undefined`, with issues, when its id or timestamp is unusable). */
export const MESSAGE_READER: ItemReader<Message> = {
  fast: fastMessage,
  slow: (raw, path, depth, run) => slowMessage(raw, path, depth, run),
};

/** A history message: fast, else the schemas, with its direction either way. */
export const HISTORY_MESSAGE_READER: ItemReader<HistoryMessage, HistoryItemContext> = {
  fast: fastHistoryMessage,
  slow: slowHistoryMessage,
};

/**
 * Parses a history message (a message plus `history_context`) with the schemas alone, deriving its
 * direction with {@link historyDirection}. The fast path (`fastHistoryMessage`) must always agree
 * with it.
 */
export function slowHistoryMessage(raw: unknown, path: string, depth: number, run: ParseRun, thread: HistoryItemContext): HistoryMessage | undefined {
  const { parties, direction } = thread;
  if (!isObject(raw)) return slowMessage(raw, path, depth, run) as undefined;
  const { history_context: historyContext, ...rest } = raw;
  const message = slowMessage(rest, path, depth, run);
  const context =
    historyContext === undefined
      ? {}
      : runTolerantSchema(historyContextSchema, historyContext, joinPath(path, "history_context"), depth + 1, run, CONTEXT_TOLERANCE);
  if (message === undefined) return undefined;
  const out: Record<string, unknown> = { ...message, direction: historyDirection(direction, message, parties, context?.fromMe === true) };
  if (context?.status !== undefined) out.status = context.status;
  if (context?.fromMe !== undefined) out.fromMe = context.fromMe;
  // The context's unknown keys stay beside the message's own, under the key they came in.
  if (context?.extra !== undefined) out.extra = { ...message.extra, history_context: context.extra };
  return out as unknown as HistoryMessage;
}
