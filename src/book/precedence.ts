/**
 * Which record wins, rule by rule: each precedence is one order key, a text whose greater value
 * wins. The book compares the keys (with a shortcut on the leading timestamp, which is the key's
 * prefix); the PostgreSQL store stores the same keys (as `sortableText`, so `COLLATE "C"` orders
 * them as JavaScript does) and compares nothing else. A rule changes here, or nowhere.
 *
 * | Rule | Key |
 * | --- | --- |
 * | contact | timestamp, removal over add, contact JSON |
 * | content | content over none, media over placeholder, origin, earliest, outbound; then the JSON by code point |
 * | status | rank (sent < delivered < read < played < failed), errors JSON |
 * | edit | timestamp, content JSON |
 * | reaction | timestamp, emoji |
 * | refusal | its JSON |
 * | lifecycle | timestamp, disconnecting over connecting, its JSON |
 * | a business's WABA id, display number | the greater |
 *
 * @module
 */
import { DISCONNECTING_EVENTS } from "../events/account-lifecycle-changed.js";
import type { ContactRecord, DeclinedRecord, LifecycleRecord } from "./book-state.js";
import { STATUS_RANK, type EditRecord, type MessageOrigin, type MessageRecord, type ReactionRecord } from "./timeline-records.js";

/** A timestamp as 13 digits, so that its text sorts like the number. */
function digits(timestamp: number): string {
  return String(timestamp).padStart(13, "0");
}

/**
 * A contact record's order key: the newer wins, a removal wins a tie with an add, then the greater
 * contact JSON.
 *
 * @example
 * ```ts
 * contactOrder({ kind: "remove", timestamp: 5, contact: {} }) > contactOrder({ kind: "add", timestamp: 5, contact: { fullName: "Zed" } }); // true
 * ```
 */
export function contactOrder(record: ContactRecord): string {
  return `${digits(record.timestamp)}${record.kind === "remove" ? 1 : 0}${JSON.stringify(record.contact)}`;
}

/** Whether `candidate` replaces `current` (see {@link contactOrder}). */
export function contactWins(candidate: ContactRecord, current: ContactRecord): boolean {
  // The key leads with the timestamp: unequal ones decide without building the keys.
  if (candidate.timestamp !== current.timestamp) return candidate.timestamp > current.timestamp;
  return contactOrder(candidate) > contactOrder(current);
}

/** A refusal's order key: its JSON (refusals carry no time; the greatest is kept). */
export function declinedOrder(record: DeclinedRecord): string {
  return JSON.stringify(record);
}

/** The join of two refusals: the one with the greater {@link declinedOrder}. */
export function joinDeclined(a: DeclinedRecord | undefined, b: DeclinedRecord): DeclinedRecord {
  return a === undefined || declinedOrder(b) > declinedOrder(a) ? b : a;
}

/**
 * A lifecycle record's order key (one account's events): the newer wins; at one second a
 * disconnecting event wins (a number is not written to on a tie), then the greater JSON.
 *
 * @example
 * ```ts
 * lifecycleOrder({ event: "PARTNER_REMOVED", timestamp: 5 }) > lifecycleOrder({ event: "PARTNER_ADDED", timestamp: 5 }); // true
 * ```
 */
export function lifecycleOrder(record: LifecycleRecord): string {
  return `${digits(record.timestamp)}${DISCONNECTING_EVENTS.includes(record.event) ? 1 : 0}${JSON.stringify(record)}`;
}

/** Whether a lifecycle record replaces another (see {@link lifecycleOrder}). */
export function lifecycleWins(candidate: LifecycleRecord, current: LifecycleRecord | undefined): boolean {
  return current === undefined || lifecycleOrder(candidate) > lifecycleOrder(current);
}

/**
 * Whether a business's WABA id (or display number) replaces the one kept: the greater wins. Both
 * are constant in real traffic; should two differ, every order keeps the same.
 *
 * @example
 * ```ts
 * accountValueWins("102290129340398", undefined); // true
 * accountValueWins("1", "2"); // false
 * ```
 */
export function accountValueWins(candidate: string | undefined, current: string | undefined): candidate is string {
  return candidate !== undefined && (current === undefined || candidate > current);
}

/** An edit's order key: the later wins, then the greater content JSON. */
export function editOrder(edit: EditRecord): string {
  return digits(edit.timestamp) + JSON.stringify(edit.content);
}

/** Whether an edit replaces another (see {@link editOrder}). */
export function editWins(candidate: EditRecord, current: EditRecord | undefined): boolean {
  if (current === undefined) return true;
  if (candidate.timestamp !== current.timestamp) return candidate.timestamp > current.timestamp;
  return candidate.content !== current.content && editOrder(candidate) > editOrder(current);
}

/** A reaction's order key (one reactor's reactions to one message): the later wins, then the greater emoji. */
export function reactionOrder(reaction: ReactionRecord): string {
  return digits(reaction.timestamp) + reaction.emoji;
}

/**
 * Whether a reaction replaces another (see {@link reactionOrder}). One reactor key's reactions tie
 * only when equal (`from` is the key's own identifier); a person's reactions under two of its
 * identifiers (a phone number and a user id) at one time and with one emoji fall to the greater
 * `from`, so a timeline shows the same one whatever order the two arrived in.
 */
export function reactionWins(candidate: ReactionRecord, current: ReactionRecord | undefined): boolean {
  if (current === undefined) return true;
  const [a, b] = [reactionOrder(candidate), reactionOrder(current)];
  return a !== b ? a > b : candidate.from > current.from;
}

const ORIGIN_RANK: Readonly<Record<MessageOrigin, number>> = { api: 0, history: 1, received: 2, echo: 3 };

/** The largest timestamp the parser accepts, plus one: `LATEST - timestamp` sorts the earliest first. */
const LATEST = 9_999_999_999_999;

function contentRank(record: MessageRecord): number {
  if (record.message === undefined) return 0;
  return record.message.type === "media_placeholder" ? 1 : 2;
}

/**
 * The order in which a record's content wins, but for the last tie-break, as ASCII text:
 * content over none, media over a placeholder, the origin (live beats history, which beats a bare
 * status), the earlier timestamp, outbound. On a tie the greater content JSON wins, compared by
 * code point (the order of its UTF-8 bytes), so the PostgreSQL store compares
 * `(content_order, content)` under `COLLATE "C"` and never stores the JSON twice.
 *
 * @example
 * ```ts
 * contentOrder(echo) > contentOrder(history); // live content beats history
 * ```
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

/** Whether `candidate`'s content replaces `current`'s: the greater {@link contentOrder}, then the greater JSON. */
export function contentWins(candidate: MessageRecord, current: MessageRecord): boolean {
  const [a, b] = [contentOrder(candidate), contentOrder(current)];
  if (a !== b) return a > b;
  if (candidate.message === current.message) return false;
  return compareCodePoints(JSON.stringify(candidate.message) ?? "", JSON.stringify(current.message) ?? "") > 0;
}

/**
 * The order in which a status wins, as text: its rank, then the greater errors JSON.
 *
 * @example
 * ```ts
 * statusOrder({ status: "read", errors: undefined }); // "3"
 * ```
 */
export function statusOrder(record: Pick<MessageRecord, "status" | "errors">): string {
  return `${record.status === undefined ? 0 : STATUS_RANK[record.status]}${record.errors === undefined ? "" : JSON.stringify(record.errors)}`;
}

/** Whether `candidate`'s status replaces `current`'s (see {@link statusOrder}). */
export function statusWins(candidate: MessageRecord, current: MessageRecord): boolean {
  if (candidate.status === current.status && candidate.errors === current.errors) return false;
  return statusOrder(candidate) > statusOrder(current);
}

/**
 * The join of two records of one message: the winning content (with its timestamp, direction and
 * origin), the winning status, the earliest piece's time, and the smaller customer key (the draft links the two keys, so both
 * name one person). Returns `a` itself when `b` adds nothing.
 */
export function joinMessage(a: MessageRecord, b: MessageRecord): MessageRecord {
  const content = contentWins(b, a) ? b : a;
  const status = statusWins(b, a) ? b : a;
  const key = b.key < a.key ? b.key : a.key;
  const history = a.history || b.history;
  const firstAt = Math.min(a.firstAt, b.firstAt);
  if (content === a && status === a && key === a.key && history === a.history && firstAt === a.firstAt) return a;
  if (content === b && status === b && key === b.key && history === b.history && firstAt === b.firstAt) return b;
  return {
    key,
    timestamp: content.timestamp,
    direction: content.direction,
    origin: content.origin,
    message: content.message,
    status: status.status,
    errors: status.errors,
    history,
    firstAt,
  };
}
