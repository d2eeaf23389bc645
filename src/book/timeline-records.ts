/**
 * What the book keeps of each message, and how two records of one message join: the content that
 * wins, the most advanced delivery status, the latest edit, reactions (one per reactor), revokes.
 * Each join is a maximum under a total order (or a union), so a timeline converges whatever the
 * order of its pieces and however often each repeats. The PostgreSQL store compares the same
 * orders, encoded as text (see {@link contentOrder} and {@link statusOrder}).
 *
 * @module
 */
import type { EditedContent, HistoryStatus, Message } from "../events/message.js";
import type { ApiError, Direction } from "../events/parts.js";
import type { PersistentMap } from "./persistent-map.js";

/**
 * Where a timeline entry's content came from: a history sync, an echo of a message the business
 * typed on the phone, a message received from the customer, or only a delivery status (a message
 * the business sent through the API, whose content the webhooks never show).
 *
 * @example
 * ```ts
 * const origin: MessageOrigin = "history";
 * ```
 */
export type MessageOrigin = "history" | "echo" | "received" | "api";

/**
 * The delivery statuses a timeline entry shows, from least to most advanced (`failed` is final and
 * kept, with its errors).
 *
 * @example
 * ```ts
 * const status: TimelineStatus = "read";
 * ```
 */
export type TimelineStatus = "sent" | "delivered" | "read" | "played" | "failed";

const STATUS_RANK: Readonly<Record<string, number>> = { sent: 1, delivered: 2, read: 3, played: 4, failed: 5 };

/** A known delivery status of a status event or a history message (`error` is `failed`; `pending` and new values are none). */
export function timelineStatusOf(status: HistoryStatus | string | undefined): TimelineStatus | undefined {
  if (status === "error") return "failed";
  return status !== undefined && Object.hasOwn(STATUS_RANK, status) ? (status as TimelineStatus) : undefined;
}

/** The ranks of origins, when two sources give a message's content: live beats history, which beats a bare status. */
const ORIGIN_RANK: Readonly<Record<MessageOrigin, number>> = { api: 0, history: 1, received: 2, echo: 3 };

/** The largest timestamp the parser accepts, plus one: `LATEST - timestamp` sorts the earliest first. */
const LATEST = 9_999_999_999_999;

/**
 * One message of a business, by id: its content (the winning source's), the most advanced status
 * seen, and the customer key it was seen with (the smallest, when several: those are one person).
 */
export interface MessageRecord {
  readonly key: string;
  readonly timestamp: number;
  readonly direction: Direction;
  readonly origin: MessageOrigin;
  /** Absent for a bare status (`api`) and for records restored from a version 2 book. */
  readonly message: Message | undefined;
  readonly status: TimelineStatus | undefined;
  /** The errors of a `failed` status. */
  readonly errors: readonly ApiError[] | undefined;
  /** Whether a history sync (or its media follow-up) carried this message. */
  readonly history: boolean;
}

/** The latest edit of a message: its timestamp and the new content. */
export interface EditRecord {
  readonly timestamp: number;
  readonly content: EditedContent;
}

/** One reactor's latest reaction (`emoji` `""` when taken back); `from` is the reactor as the payload named it. */
export interface ReactionRecord {
  readonly from: string;
  readonly emoji: string;
  readonly timestamp: number;
}

/**
 * What other messages say about a message, by its id: the latest edit, whether it was revoked,
 * and each reactor's latest reaction (by the reactor's identity key). Kept apart from the record,
 * because they may arrive before the message they point to.
 */
export interface Amendments {
  readonly edit: EditRecord | undefined;
  readonly revoked: boolean;
  readonly reactions: PersistentMap<ReactionRecord> | undefined;
}

function contentRank(record: MessageRecord): number {
  if (record.message === undefined) return 0;
  return record.message.type === "media_placeholder" ? 1 : 2;
}

/**
 * The order in which a record's content wins, but for the last tie-break, as ASCII text:
 * content over none, media over a placeholder, the origin's rank, the earlier timestamp, outbound.
 * On a tie the greater content JSON wins, compared by code point (the order of its UTF-8 bytes),
 * so the PostgreSQL store compares `(content_order, content)` under `COLLATE "C"` and never stores
 * the JSON twice.
 */
export function contentOrder(record: MessageRecord): string {
  const earliest = String(LATEST - record.timestamp).padStart(13, "0");
  return `${contentRank(record)}${ORIGIN_RANK[record.origin]}${earliest}${record.direction === "outbound" ? 1 : 0}`;
}

/**
 * JavaScript strings compared by code point, which is the order of their UTF-8 bytes (and of
 * PostgreSQL's `COLLATE "C"`): UTF-16 order differs only where a surrogate pair meets U+E000 to
 * U+FFFF, so those units are shifted before comparing.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    let x = a.charCodeAt(index);
    let y = b.charCodeAt(index);
    if (x === y) continue;
    if (x >= 0xd800) x += x < 0xe000 ? 0x2000 : -0x800;
    if (y >= 0xd800) y += y < 0xe000 ? 0x2000 : -0x800;
    return x - y;
  }
  return a.length - b.length;
}

/** Whether `candidate`'s content replaces `current`'s (see {@link contentOrder}). */
function contentWins(candidate: MessageRecord, current: MessageRecord): boolean {
  const rank = contentRank(candidate) - contentRank(current);
  if (rank !== 0) return rank > 0;
  const origin = ORIGIN_RANK[candidate.origin] - ORIGIN_RANK[current.origin];
  if (origin !== 0) return origin > 0;
  if (candidate.timestamp !== current.timestamp) return candidate.timestamp < current.timestamp;
  if (candidate.direction !== current.direction) return candidate.direction === "outbound";
  if (candidate.message === current.message) return false;
  return compareCodePoints(JSON.stringify(candidate.message) ?? "", JSON.stringify(current.message) ?? "") > 0;
}

function errorsJson(record: Pick<MessageRecord, "errors">): string {
  return record.errors === undefined ? "" : JSON.stringify(record.errors);
}

/** The order in which a status wins, as text: its rank, then the greater errors JSON. */
export function statusOrder(record: Pick<MessageRecord, "status" | "errors">): string {
  return `${record.status === undefined ? 0 : STATUS_RANK[record.status]}${errorsJson(record)}`;
}

/** Whether `candidate`'s status replaces `current`'s: the more advanced wins, then the greater errors JSON. */
function statusWins(candidate: MessageRecord, current: MessageRecord): boolean {
  const rank =
    (candidate.status === undefined ? 0 : (STATUS_RANK[candidate.status] as number)) -
    (current.status === undefined ? 0 : (STATUS_RANK[current.status] as number));
  if (rank !== 0) return rank > 0;
  if (candidate.errors === current.errors) return false;
  return errorsJson(candidate) > errorsJson(current);
}

/**
 * The join of two records of one message: the winning content (with its timestamp, direction and
 * origin), the winning status, and the smaller customer key (the draft links the two keys, so both
 * name one person). Returns `a` itself when `b` adds nothing.
 */
export function joinMessage(a: MessageRecord, b: MessageRecord): MessageRecord {
  const content = contentWins(b, a) ? b : a;
  const status = statusWins(b, a) ? b : a;
  const key = b.key < a.key ? b.key : a.key;
  const history = a.history || b.history;
  if (content === a && status === a && key === a.key && history === a.history) return a;
  if (content === b && status === b && key === b.key && history === b.history) return b;
  return {
    key,
    timestamp: content.timestamp,
    direction: content.direction,
    origin: content.origin,
    message: content.message,
    status: status.status,
    errors: status.errors,
    history,
  };
}

/** Whether an edit replaces another: the later wins, then the greater content JSON. */
export function editWins(candidate: EditRecord, current: EditRecord | undefined): boolean {
  if (current === undefined) return true;
  if (candidate.timestamp !== current.timestamp) return candidate.timestamp > current.timestamp;
  return candidate.content !== current.content && JSON.stringify(candidate.content) > JSON.stringify(current.content);
}

/** Whether a reaction replaces the same reactor's other one: the later wins, then the greater emoji, then the greater `from`. */
export function reactionWins(candidate: ReactionRecord, current: ReactionRecord | undefined): boolean {
  if (current === undefined) return true;
  if (candidate.timestamp !== current.timestamp) return candidate.timestamp > current.timestamp;
  if (candidate.emoji !== current.emoji) return candidate.emoji > current.emoji;
  return candidate.from > current.from;
}

/** Amendments of a message nothing has amended yet. */
export const NO_AMENDMENTS: Amendments = /* @__PURE__ */ Object.freeze({ edit: undefined, revoked: false, reactions: undefined });
