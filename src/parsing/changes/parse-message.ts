/**
 * Parsing one message: the fast path first, the valibot schema (with its detailed issues) when the
 * fast path declines. A differential property test proves the two agree.
 *
 * @module
 */
import type { HistoryMessage, Message } from "../../events/message.js";
import { fastMessage } from "../../fast/fast-message.js";
import { historyContextSchema, historyDirection } from "../../schemas/history.js";
import { messageSchema } from "../../schemas/message.js";
import { joinPath } from "../path.js";
import { isObject, runSchema, type ParseRun } from "../parse-run.js";

/** Who sent a history message, when the array it came in says so (media follow-ups). */
export type Direction = HistoryMessage["direction"];

/**
 * Parses an echo or a received message.
 *
 * @returns the message, or `undefined` with issues in `run`.
 */
export function parseMessage(raw: unknown, path: string, depth: number, run: ParseRun): Message | undefined {
  return fastMessage(raw, depth, run.maxDepth) ?? runSchema(messageSchema, raw, path, depth, run);
}

/**
 * Parses a history message (a message plus `history_context`) with the schemas alone, deriving its
 * direction: outbound when `direction` says so, or when the message is from the business number,
 * has a `to`, or has `from_me`. The fast path (`fastHistoryMessage`) must always agree with it.
 */
export function slowHistoryMessage(
  raw: unknown,
  path: string,
  depth: number,
  run: ParseRun,
  businessNumber: string | undefined,
  direction?: Direction,
): HistoryMessage | undefined {
  if (!isObject(raw)) return runSchema(messageSchema, raw, path, depth, run) as undefined;
  const { history_context: historyContext, ...rest } = raw;
  const message = runSchema(messageSchema, rest, path, depth, run);
  const context =
    historyContext === undefined
      ? {}
      : runSchema(historyContextSchema, historyContext, joinPath(path, "history_context"), depth + 1, run);
  if (message === undefined || context === undefined) return undefined;
  const out: HistoryMessage = {
    ...message,
    direction: historyDirection(direction, { fromMe: context.fromMe === true, to: message.to, from: message.from }, businessNumber),
  };
  return context.status === undefined ? out : { ...out, status: context.status };
}
