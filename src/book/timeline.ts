/**
 * A conversation's timeline as `listMessages` answers it: each message's current state, built from
 * its record and amendments (shared with the PostgreSQL store, so both answer alike).
 *
 * @module
 */
import type { Message } from "../events/message.js";
import type { ApiError, Direction } from "../events/parts.js";
import { reactionWins } from "./precedence.js";
import { NO_AMENDMENTS, type Amendments, type MessageOrigin, type MessageRecord, type ReactionRecord, type TimelineStatus } from "./timeline-records.js";

export type { MessageOrigin, TimelineStatus } from "./timeline-records.js";

/**
 * One person's reaction to a message (their latest; a taken-back reaction is not listed).
 *
 * @example
 * ```ts
 * const reaction: TimelineReaction = { emoji: "👍", from: "16505551234", timestamp: 1739321500 };
 * ```
 */
export interface TimelineReaction {
  readonly emoji: string;
  /** The reactor as the reaction named it: a phone number (the business's own, for its reactions) or a user id. */
  readonly from: string;
  readonly timestamp: number;
}

/**
 * One message of a conversation in its current state, whatever order its pieces arrived in.
 *
 * @example
 * ```ts
 * const entry: TimelineEntry = {
 *   id: "wamid.1", direction: "outbound", timestamp: 1739321400, origin: "echo",
 *   message: { id: "wamid.1", type: "text", text: { body: "See you at 5" }, timestamp: 1739321400 },
 *   editedAt: 1739321460, revoked: false, reactions: [], status: "read",
 * };
 * ```
 */
export interface TimelineEntry {
  readonly id: string;
  readonly direction: Direction;
  /** When the message was sent (unix seconds); for an `api` entry, its earliest status. */
  readonly timestamp: number;
  readonly origin: MessageOrigin;
  /**
   * The latest content: an edit's new content replaces the old one, and a history placeholder is
   * replaced by the media of its follow-up. Absent when revoked, and for an `api` entry (the
   * webhooks never show what the API sent).
   */
  readonly message?: Message;
  /** When the content shown was written, when it is an edit. */
  readonly editedAt?: number;
  /** True once the message was deleted for everyone; its content is then gone. */
  readonly revoked: boolean;
  /** One per reactor, oldest first. */
  readonly reactions: TimelineReaction[];
  /** The most advanced delivery status seen (`sent` < `delivered` < `read` < `played`; `failed` is final). */
  readonly status?: TimelineStatus;
  /** Why the message failed, with `status: "failed"`. */
  readonly errors?: ApiError[];
}

/**
 * Options of `listMessages`.
 *
 * @example
 * ```ts
 * const page: ListMessagesOptions = { before: "wamid.9", limit: 20 };
 * ```
 */
export interface ListMessagesOptions {
  /** A message id of the conversation: the page starts just after it (older). */
  readonly before?: string | undefined;
  /** Entries per page, 1 or more. Default 50. */
  readonly limit?: number | undefined;
}

/** The default page size of `listMessages`. @example `listMessages(book, id, key).length <= DEFAULT_PAGE_SIZE; // true` */
export const DEFAULT_PAGE_SIZE = 50;

/**
 * The options of a page, checked.
 *
 * @throws RangeError for a limit that is not a positive whole number, TypeError for a `before` that is not a string.
 */
export function pageOptions(options: ListMessagesOptions): { before: string | undefined; limit: number } {
  const limit = options.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`listMessages: limit must be a whole number of 1 or more, not ${String(limit)}.`);
  if (options.before !== undefined && typeof options.before !== "string") throw new TypeError("listMessages: before must be a message id (a string).");
  return { before: options.before, limit };
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const PARTIES = ["from", "to", "fromUserId", "fromParentUserId", "toUserId", "toParentUserId"] as const;

/**
 * The content shown: none once revoked; an edit's content on the message's id, parties and time.
 * A copy, unless the record's content is `owned` by the caller (read fresh from a store).
 */
function currentMessage(id: string, record: MessageRecord, amendments: Amendments, owned: boolean): Message | undefined {
  if (amendments.revoked) return undefined;
  const base = record.message;
  const edit = amendments.edit;
  if (edit === undefined) return base === undefined || owned ? base : copy(base);
  const message: Record<string, unknown> = { id };
  for (const party of PARTIES) if (base?.[party] !== undefined) message[party] = base[party];
  message.timestamp = base?.timestamp ?? record.timestamp;
  return copy({ ...message, ...edit.content }) as Message;
}

/** Each reacting person's latest reaction (`personOf` maps a reactor key to its person), oldest first. */
function reactionsOf(reactions: Iterable<readonly [string, ReactionRecord]>, personOf: (key: string) => string): TimelineReaction[] {
  const latest = new Map<string, ReactionRecord>();
  for (const [key, reaction] of reactions) {
    const person = personOf(key);
    if (reactionWins(reaction, latest.get(person))) latest.set(person, reaction);
  }
  const out: TimelineReaction[] = [];
  for (const reaction of latest.values()) if (reaction.emoji !== "") out.push({ emoji: reaction.emoji, from: reaction.from, timestamp: reaction.timestamp });
  return out.sort((a, b) => a.timestamp - b.timestamp || (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/**
 * A message's timeline entry from its record, its amendments and their reactions (by reactor key).
 *
 * @param owned - whether the record's content and errors are the caller's own (parsed from a
 *   store's row just now), so the entry may hold them without a copy; the book's are shared.
 */
export function timelineEntryOf(
  id: string,
  record: MessageRecord,
  amendments: Amendments = NO_AMENDMENTS,
  reactions: Iterable<readonly [string, ReactionRecord]>,
  personOf: (key: string) => string,
  owned = false,
): TimelineEntry {
  const message = currentMessage(id, record, amendments, owned);
  // Built field by field, in the documented order.
  const entry = { id, direction: record.direction, timestamp: record.timestamp, origin: record.origin } as {
    -readonly [K in keyof TimelineEntry]: TimelineEntry[K];
  };
  if (message !== undefined) entry.message = message;
  if (message !== undefined && amendments.edit !== undefined) entry.editedAt = amendments.edit.timestamp;
  entry.revoked = amendments.revoked;
  entry.reactions = reactionsOf(reactions, personOf);
  if (record.status !== undefined) entry.status = record.status;
  if (record.errors !== undefined) entry.errors = owned ? (record.errors as TimelineEntry["errors"]) : copy([...record.errors]);
  return entry;
}
