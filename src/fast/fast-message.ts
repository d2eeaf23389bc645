/**
 * The fast path for the common message shapes (text, media, location, reaction, media
 * placeholder): one pass over the raw object, no intermediate copies. It returns `undefined`
 * whenever anything is unusual (another type, `context`, `errors`, a nested extra, a bad value),
 * and the valibot schema then produces the result or the detailed issues. The differential
 * property test in `test/fast-path.test.ts` proves both give equal output wherever the fast path
 * answers.
 *
 * @module
 */
import type { HistoryMessage, HistoryStatus, Message } from "../events/message.js";
import type { Direction } from "../events/parts.js";
import { historyDirection, type HistoryParties } from "../schemas/history.js";
import { isId, phoneOf, readOptionalFlag, readOptionalId, readOptionalString, readOptionalText, toUnixSeconds } from "../core/normalize.js";
import { copyExtras, keyCount, present, type Out, type OutOf, type Raw } from "../core/object-keys.js";
import { isObject } from "../core/parse-run.js";
import { locationContentSchema, mediaContentSchema, reactionContentSchema, textContentSchema } from "../schemas/message-content.js";
import { knownMessageSchemas } from "../schemas/message.js";

/** Reads a message's content object; `undefined` when the schemas must decide. */
type ContentReader = (raw: Raw) => Out | undefined;

/** A message (echo, received or history) under construction: only the message types' own keys may be written. */
type MessageOut = OutOf<HistoryMessage>;

/** The raw keys each known message type models (everything else on it goes to `extra`). */
const MODELLED_BY_TYPE = /* @__PURE__ */ new Map<string, ReadonlySet<string>>(
  Object.entries(knownMessageSchemas).map(([type, schema]) => [type, schema.reserved]),
);

const HISTORY_CONTEXT = "history_context";

const readText: ContentReader = (raw) => {
  const body = raw.body;
  if (typeof body !== "string") return undefined;
  // A literal of exactly its keys: the commonest object the parser makes.
  const out: Out = { body };
  return keyCount(raw) === 1 || copyExtras(raw, textContentSchema.reserved, out) ? out : undefined;
};

const readMedia: ContentReader = (raw) => {
  const { id, mime_type, sha256, caption, filename, url, link, voice, animated } = raw;
  const out: Out = {};
  if (
    !readOptionalText(id, "id", out) ||
    !readOptionalString(mime_type, "mimeType", out) ||
    !readOptionalString(sha256, "sha256", out) ||
    !readOptionalString(caption, "caption", out) ||
    !readOptionalString(filename, "filename", out) ||
    !readOptionalString(url, "url", out) ||
    !readOptionalString(link, "link", out) ||
    !readOptionalFlag(voice, "voice", out) ||
    !readOptionalFlag(animated, "animated", out)
  ) {
    return undefined;
  }
  const read =
    present(id) +
    present(mime_type) +
    present(sha256) +
    present(caption) +
    present(filename) +
    present(url) +
    present(link) +
    present(voice) +
    present(animated);
  return keyCount(raw) === read || copyExtras(raw, mediaContentSchema.reserved, out) ? out : undefined;
};

function isNumber(value: unknown): value is number {
  return typeof value === "number" && !Number.isNaN(value);
}

const readLocation: ContentReader = (raw) => {
  const { latitude, longitude } = raw;
  if (!isNumber(latitude) || !isNumber(longitude)) return undefined;
  const out: Out = { latitude, longitude };
  return readOptionalString(raw.name, "name", out) &&
    readOptionalString(raw.address, "address", out) &&
    readOptionalString(raw.url, "url", out) &&
    copyExtras(raw, locationContentSchema.reserved, out)
    ? out
    : undefined;
};

const readReaction: ContentReader = (raw) => {
  const { emoji, message_id: messageId } = raw;
  if (!isId(messageId) || (emoji !== undefined && typeof emoji !== "string")) return undefined;
  const out: Out = { messageId, emoji: emoji ?? "", removed: emoji === undefined || emoji === "" };
  return copyExtras(raw, reactionContentSchema.reserved, out) ? out : undefined;
};

const CONTENT_READERS = /* @__PURE__ */ new Map<string, ContentReader>([
  ["text", readText],
  ["image", readMedia],
  ["video", readMedia],
  ["audio", readMedia],
  ["document", readMedia],
  ["sticker", readMedia],
  ["location", readLocation],
  ["reaction", readReaction],
]);

/**
 * Where a history message's reader leaves the parties it read (numbers as digits), for the direction
 * rule: an object of one shape that the caller owns and passes in (one per thread), as immutable-js
 * passes its change flags. Reading them back from the message, whose shape differs by type, costs
 * several times more.
 *
 * @example
 * ```ts
 * const read: PartiesRead = newPartiesRead();
 * fastHistoryMessage(raw, 11, 64, { parties, direction: undefined, read });
 * ```
 */
export interface PartiesRead {
  from: string | undefined;
  to: string | undefined;
  fromUserId: string | undefined;
}

/**
 * What reading a thread's messages needs beside each message: the thread's parties, a direction the
 * caller imposes, and the scratch the readers leave the parties they read in (one per thread).
 *
 * @example
 * ```ts
 * const context: HistoryItemContext = { parties, direction: undefined, read: newPartiesRead() };
 * ```
 */
export interface HistoryItemContext {
  readonly parties: HistoryParties;
  readonly direction: Direction | undefined;
  readonly read: PartiesRead;
}

/**
 * An empty {@link PartiesRead}, for one thread's messages.
 *
 * @example
 * ```ts
 * const clues = newPartiesRead();
 * ```
 */
export function newPartiesRead(): PartiesRead {
  return { from: undefined, to: undefined, fromUserId: undefined };
}

/** `out[type] = content`, with the common types stored by name (a store by a varying key is slow). */
function putContent(out: MessageOut, type: string, content: Out): void {
  switch (type) {
    case "text":
      out.text = content;
      return;
    case "image":
      out.image = content;
      return;
    case "reaction":
      out.reaction = content;
      return;
    default:
      (out as Out)[type] = content; // a content key named by the type (checked by the schemas' differential test)
  }
}

/**
 * Reads a message into `out`, and its parties into `read` when given; `skip` names one more key that
 * is not an extra (`history_context`).
 */
function readMessage(raw: unknown, depth: number, maxDepth: number, out: MessageOut, read?: PartiesRead, skip?: string): boolean {
  if (!isObject(raw) || depth + 1 > maxDepth) return false;
  const { type, id, from, to } = raw;
  if (typeof type !== "string") return false;
  const modelled = MODELLED_BY_TYPE.get(type);
  if (modelled === undefined || !isId(id)) return false;
  const timestamp = toUnixSeconds(raw.timestamp);
  if (timestamp === undefined) return false;
  const contentRaw = raw[type];
  // id, type and timestamp, the two numbers, the content and the skipped key: when these are all the
  // keys there are (most messages), no other key needs reading, and there are no extras to copy.
  const usual = 3 + present(from) + present(to) + present(contentRaw) + (skip === undefined ? 0 : present(raw[skip]));
  const onlyUsual = keyCount(raw) === usual;
  if (!onlyUsual && (raw.context !== undefined || raw.errors !== undefined || raw.referral !== undefined)) return false;
  out.id = id;
  const fromDigits = phoneOf(from);
  const toDigits = phoneOf(to);
  if (fromDigits === null || toDigits === null) return false;
  if (fromDigits !== undefined) out.from = fromDigits;
  if (toDigits !== undefined) out.to = toDigits;
  if (read !== undefined) {
    read.from = fromDigits;
    read.to = toDigits;
    read.fromUserId = undefined;
  }
  let keysRead = usual;
  if (!onlyUsual) {
    const { from_user_id, from_parent_user_id, to_user_id, to_parent_user_id, group_id } = raw;
    if (
      !readOptionalId(from_user_id, "fromUserId", out) ||
      !readOptionalId(from_parent_user_id, "fromParentUserId", out) ||
      !readOptionalId(to_user_id, "toUserId", out) ||
      !readOptionalId(to_parent_user_id, "toParentUserId", out) ||
      !readOptionalId(group_id, "groupId", out)
    ) {
      return false;
    }
    if (read !== undefined) read.fromUserId = out.fromUserId as string | undefined;
    keysRead += present(from_user_id) + present(from_parent_user_id) + present(to_user_id) + present(to_parent_user_id) + present(group_id);
  }
  out.timestamp = timestamp;
  out.type = type;
  if (type === "media_placeholder") {
    if (contentRaw !== undefined) return false;
  } else {
    const reader = CONTENT_READERS.get(type);
    if (reader === undefined || !isObject(contentRaw)) return false;
    const content = reader(contentRaw);
    if (content === undefined) return false;
    putContent(out, type, content);
  }
  return onlyUsual || keyCount(raw) === keysRead || copyExtras(raw, modelled, out, type, skip);
}

/**
 * The fast path for one echo or received message.
 *
 * @returns the message, or `undefined` when the schema must decide.
 * @example
 * ```ts
 * fastMessage({ id: "wamid.1", from: "1555", timestamp: "1", type: "text", text: { body: "hi" } }, 0, 64);
 * ```
 */
export function fastMessage(raw: unknown, depth: number, maxDepth: number): Message | undefined {
  const out: MessageOut = {};
  return readMessage(raw, depth, maxDepth, out) ? (out as unknown as Message) : undefined;
}

/**
 * The fast path for one history message, with its direction and lowercased status.
 *
 * @returns the message, or `undefined` when the schema must decide.
 * @example
 * ```ts
 * const parties = { businessNumber: "15550783881", customerPhone: "16505551234" };
 * fastHistoryMessage(rawMessage, 11, 64, { parties, direction: undefined, read: newPartiesRead() });
 * ```
 */
export function fastHistoryMessage(raw: unknown, depth: number, maxDepth: number, thread: HistoryItemContext): HistoryMessage | undefined {
  const { parties, direction, read } = thread;
  if (isObject(raw) && raw.type === "text" && depth + 1 <= maxDepth) {
    const common = commonTextHistoryMessage(raw, parties, direction, read);
    if (common !== undefined) return common;
  }
  const out: MessageOut = {};
  if (!readMessage(raw, depth, maxDepth, out, read, HISTORY_CONTEXT)) return undefined;
  const context = (raw as Raw)[HISTORY_CONTEXT];
  let fromMe = false;
  let status: HistoryStatus | undefined;
  if (context !== undefined) {
    if (!isObject(context)) return undefined;
    const { status: given, from_me } = context;
    if (given !== undefined) {
      if (typeof given !== "string") return undefined;
      status = given.toLowerCase() as HistoryStatus;
    }
    if (from_me !== undefined) {
      if (typeof from_me !== "boolean") return undefined;
      fromMe = from_me;
    }
    // Other keys go to `extra.history_context`: the schemas build that.
    if (keyCount(context) !== present(given) + present(from_me)) return undefined;
  }
  out.direction = historyDirection(direction, read, parties, fromMe);
  if (status !== undefined) out.status = status;
  if (context !== undefined && (context as Raw).from_me !== undefined) out.fromMe = fromMe;
  return out as unknown as HistoryMessage;
}

/**
 * The commonest history message by far, a text with its status and nothing else
 * (`{ from, id, timestamp, type: "text", text: { body }, history_context: { status } }`), built as
 * one object literal: a 3 MB history chunk is mostly these. `undefined` for any other shape.
 */
function commonTextHistoryMessage(raw: Raw, parties: HistoryParties, direction: Direction | undefined, read: PartiesRead): HistoryMessage | undefined {
  const { id, from, text, history_context: context } = raw;
  if (!isId(id) || typeof from !== "string" || !isObject(text) || !isObject(context) || keyCount(raw) !== 6) return undefined;
  const timestamp = toUnixSeconds(raw.timestamp);
  if (timestamp === undefined) return undefined;
  // The parties' numbers are digits already: a sender that is one of them needs no digit check.
  const digits = from === parties.businessNumber || from === parties.customerPhone ? from : phoneOf(from);
  if (digits === null || digits === undefined) return undefined;
  const { body } = text;
  if (typeof body !== "string" || keyCount(text) !== 1) return undefined;
  const { status } = context;
  if (typeof status !== "string" || keyCount(context) !== 1) return undefined;
  read.from = digits;
  read.to = undefined;
  read.fromUserId = undefined;
  return {
    id,
    from: digits,
    timestamp,
    type: "text",
    text: { body },
    direction: historyDirection(direction, read, parties, false),
    status: status.toLowerCase() as HistoryStatus,
  };
}
