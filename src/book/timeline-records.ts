/**
 * What the book keeps of each message, and how two records of one message join: the content that
 * wins, the most advanced delivery status, the latest edit, reactions (one per reactor), revokes.
 * Each join is a maximum under a total order (or a union), so a timeline converges whatever the
 * order of its pieces and however often each repeats. The orders themselves live in
 * `precedence.ts`, which the PostgreSQL store shares.
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

/** The rank of each delivery status (the more advanced the higher). */
export const STATUS_RANK: Readonly<Record<string, number>> = { sent: 1, delivered: 2, read: 3, played: 4, failed: 5 };

/** A known delivery status of a status event or a history message (`error` is `failed`; `pending` and new values are none). */
export function timelineStatusOf(status: HistoryStatus | string | undefined): TimelineStatus | undefined {
  if (status === "error") return "failed";
  return status !== undefined && Object.hasOwn(STATUS_RANK, status) ? (status as TimelineStatus) : undefined;
}

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
  /**
   * The earliest timestamp of the pieces this record joins (its content's copies and its statuses):
   * a message is older than a retention horizon when any piece of it is.
   */
  readonly firstAt: number;
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
  /** The earliest timestamp of the amending messages (undefined for a revoke of unknown time, from a version 3 book). */
  readonly firstAt: number | undefined;
}

/** Amendments of a message nothing has amended yet. */
export const NO_AMENDMENTS: Amendments = /* @__PURE__ */ Object.freeze({ edit: undefined, revoked: false, reactions: undefined, firstAt: undefined });

/**
 * The earlier of two times, either of which may be unknown.
 *
 * @example
 * ```ts
 * earliest(5, undefined); // 5
 * ```
 */
export function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined || a <= b ? a : b;
}
