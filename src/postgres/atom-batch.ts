/**
 * The atoms of a batch of events, joined within the batch (one row per key, as one `INSERT ... ON
 * CONFLICT` needs) and sorted by key (so concurrent transactions lock rows in the same order).
 *
 * @module
 */
import { addEvent, type AtomSink } from "../book/apply-event.js";
import { countUnplaced, noneUnplaced, type UnplacedEvents } from "../book/unplaced.js";
import type { ContactRecord, DeclinedRecord, LifecycleRecord } from "../book/book-state.js";
import { displayDigits } from "../book/connection.js";
import { compareKeys } from "../book/persistent-map.js";
import {
  accountValueWins,
  contactWins,
  contentOrder,
  declinedOrder,
  editOrder,
  editWins,
  joinDeclined,
  joinMessage,
  lifecycleOrder,
  lifecycleWins,
  reactionOrder,
  reactionWins,
  statusOrder,
} from "../book/precedence.js";
import { earliest, type EditRecord, type MessageRecord, type ReactionRecord } from "../book/timeline-records.js";
import type { BookEvent } from "../events/book-event.js";

// eslint-disable-next-line no-control-regex -- control characters are what this matches
const NEEDS_ESCAPE = /[\u0000\u0001\uD7FF-\uFFFF]/;
const PREFIX = 0xd7ff;
const OFFSET = 0x1000;

/**
 * Text whose `COLLATE "C"` order (UTF-8 bytes) is JavaScript's string order (UTF-16 code units),
 * so ties break in SQL exactly as in the book. The two orders differ only for code units from
 * U+D7FF up (surrogates sort below U+E000 in UTF-16, astral characters above it in UTF-8): each such
 * unit becomes U+D7FF and an order-keeping character from U+1000. PostgreSQL text cannot hold NUL:
 * U+0000 and U+0001 become U+0001 U+0001 and U+0001 U+0002. Other text is left as it is.
 *
 * @example
 * ```ts
 * sortableText("Ana"); // "Ana"
 * ```
 */
export function sortableText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  let out = "";
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    out += unit >= PREFIX ? String.fromCharCode(PREFIX, OFFSET + unit - PREFIX) : unit <= 1 ? String.fromCharCode(1, unit + 1) : text[index];
  }
  return out;
}

/** The inverse of {@link sortableText}. */
export function fromSortableText(text: string): string {
  if (!text.includes("\uD7FF") && !text.includes("\u0001")) return text;
  let out = "";
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit === PREFIX) out += String.fromCharCode(PREFIX + text.charCodeAt(++index) - OFFSET);
    else if (unit === 1) out += String.fromCharCode(text.charCodeAt(++index) - 1);
    else out += text[index];
  }
  return out;
}

function byKey<T>(map: Map<string, T>): [string, T][] {
  // The default sort compares strings by UTF-16 code units, as compareKeys does, without a call per comparison.
  return [...map.keys()].sort().map((key) => [key, map.get(key) as T]);
}

/**
 * An unambiguous map key for a row's primary key, whatever its parts contain: each part but the last
 * is prefixed with its length (cheaper than `JSON.stringify`, which escapes). Sorting by it is a total
 * order on the parts, the same in every transaction, which is all the lock order needs.
 */
export function rowId(first: string, second: string, third?: string): string {
  const head = `${first.length}:${first}`;
  return third === undefined ? head + second : `${head}${second.length}:${second}${third}`;
}

/** `sortableText(text)`, or `null` when that is the text itself (most text): the SQL falls back to the text, and the batch carries it once. */
function orderUnlessSame(text: string): string | null {
  const order = sortableText(text);
  return order === text ? null : order;
}

interface MessageRow {
  phoneNumberId: string;
  messageId: string;
  record: MessageRecord;
  /** The customer keys the message was seen with. */
  keys: Set<string>;
}

type ContactRow = { phoneNumberId: string; key: string; record: ContactRecord };

/** Where a batch's keys belong, as its rows need it (see `placeBatch` in people.ts). */
export interface RowPlacement {
  /** The row id of the person a key belongs to. */
  personOf(phoneNumberId: string, key: string): string;
  /** Whether the batch must write the key's identifier row: a key the store has not seen, or has seen earlier. */
  writesIdentifier(phoneNumberId: string, key: string, seenAt: number): boolean;
}

/** Collects and joins the atoms of events. */
export class AtomBatch implements AtomSink {
  readonly contacts = new Map<string, ContactRow>();
  readonly identifiers = new Map<string, { phoneNumberId: string; key: string; seenAt: number }>();
  readonly links = new Map<string, { phoneNumberId: string; a: string; b: string }>();
  readonly messages = new Map<string, MessageRow>();
  readonly edits = new Map<string, { phoneNumberId: string; messageId: string; edit: EditRecord }>();
  readonly revokes = new Map<string, { phoneNumberId: string; messageId: string }>();
  readonly reactions = new Map<string, { phoneNumberId: string; messageId: string; reactor: string; reaction: ReactionRecord }>();
  readonly chunks = new Map<string, { phoneNumberId: string; phase: number; chunkOrder: number }>();
  readonly historyMessages = new Map<string, { phoneNumberId: string; messageId: string }>();
  readonly states = new Map<string, { progress: number; declined: DeclinedRecord | undefined }>();
  readonly accounts = new Map<string, { wabaId: string | undefined; displayNumber: string | undefined }>();
  /** The retention horizon each business's `HistoryRetained` events set (the greatest). */
  readonly retentions = new Map<string, number>();
  /** The earliest amending message's time, per amended message. */
  readonly amendedAt = new Map<string, { phoneNumberId: string; messageId: string; at: number }>();
  /** The identifiers the batch's `PersonErased` events name, each with the latest time (see `erasure.ts`). */
  readonly erasures = new Map<string, { phoneNumberId: string; key: string; at: number }>();
  /** The batch's businesses that have erasures (so the batch runs alone and settles them), once checked. */
  readonly erasing = new Set<string>();
  /** Messages the batch drops (see `retention.ts`): each with the smallest customer key seen with it. */
  readonly drops = new Map<string, { phoneNumberId: string; messageId: string; key: string | undefined }>();
  readonly lifecycles = new Map<string, LifecycleRecord>();
  /** The events (or parts) that no business's book can place, by reason, as the book's `foldEvents` counts them. */
  unplaced: UnplacedEvents = noneUnplaced();

  /** @param events - the events whose atoms to collect. */
  constructor(events: Iterable<BookEvent>) {
    for (const event of events) {
      const reason = addEvent(this, event);
      if (reason !== undefined) this.unplaced = countUnplaced(this.unplaced, reason);
    }
  }

  /** An address-book record (the batch keeps each key's winner); its key is an identifier, seen at the record's timestamp. */
  putContact(phoneNumberId: string, key: string, record: ContactRecord): void {
    this.see(phoneNumberId, key, record.timestamp);
    const id = rowId(phoneNumberId, key);
    const current = this.contacts.get(id);
    if (current === undefined || contactWins(record, current.record)) this.contacts.set(id, { phoneNumberId, key, record });
  }

  private see(phoneNumberId: string, key: string, seenAt: number): void {
    const id = rowId(phoneNumberId, key);
    const current = this.identifiers.get(id);
    if (current === undefined || seenAt > current.seenAt) this.identifiers.set(id, { phoneNumberId, key, seenAt });
  }

  link(phoneNumberId: string, keys: readonly string[], seenAt: number): void {
    for (const key of keys) this.see(phoneNumberId, key, seenAt);
    const [first] = keys;
    for (const key of keys) {
      if (first === undefined || key === first) continue;
      const [a, b] = compareKeys(first, key) < 0 ? [first, key] : [key, first];
      this.links.set(rowId(phoneNumberId, a, b), { phoneNumberId, a, b });
    }
  }

  putMessage(phoneNumberId: string, messageId: string, record: MessageRecord): void {
    const id = rowId(phoneNumberId, messageId);
    const current = this.messages.get(id);
    if (current === undefined) {
      this.messages.set(id, { phoneNumberId, messageId, record, keys: new Set([record.key]) });
    } else {
      current.record = joinMessage(current.record, record);
      current.keys.add(record.key);
    }
  }

  /** The customer key a message of the batch was recorded under. */
  messageKey(phoneNumberId: string, messageId: string): string {
    return (this.messages.get(rowId(phoneNumberId, messageId)) as MessageRow).record.key;
  }

  putEdit(phoneNumberId: string, messageId: string, edit: EditRecord): void {
    const id = rowId(phoneNumberId, messageId);
    if (editWins(edit, this.edits.get(id)?.edit)) this.edits.set(id, { phoneNumberId, messageId, edit });
    this.amended(id, phoneNumberId, messageId, edit.timestamp);
  }

  putRevoke(phoneNumberId: string, messageId: string, timestamp: number | undefined): void {
    const id = rowId(phoneNumberId, messageId);
    this.revokes.set(id, { phoneNumberId, messageId });
    if (timestamp !== undefined) this.amended(id, phoneNumberId, messageId, timestamp);
  }

  putReaction(phoneNumberId: string, messageId: string, reactor: string, reaction: ReactionRecord): void {
    const id = rowId(phoneNumberId, messageId, reactor);
    if (reactionWins(reaction, this.reactions.get(id)?.reaction)) this.reactions.set(id, { phoneNumberId, messageId, reactor, reaction });
    this.amended(rowId(phoneNumberId, messageId), phoneNumberId, messageId, reaction.timestamp);
  }

  private amended(id: string, phoneNumberId: string, messageId: string, at: number): void {
    const current = this.amendedAt.get(id);
    if (current === undefined || at < current.at) this.amendedAt.set(id, { phoneNumberId, messageId, at });
  }

  erase(phoneNumberId: string, keys: readonly string[], timestamp: number): void {
    for (const key of keys) {
      // The identifier is kept (unseen if new) to hold its erasure, as the book keeps it.
      this.see(phoneNumberId, key, 0);
      const id = rowId(phoneNumberId, key);
      const current = this.erasures.get(id);
      if (current === undefined || timestamp > current.at) this.erasures.set(id, { phoneNumberId, key, at: timestamp });
    }
  }

  retain(phoneNumberId: string, before: number): void {
    this.retentions.set(phoneNumberId, Math.max(before, this.retentions.get(phoneNumberId) ?? 0));
  }

  /** Every business the batch writes rows of. */
  businesses(): string[] {
    const ids = new Set<string>(this.retentions.keys());
    for (const row of this.erasures.values()) ids.add(row.phoneNumberId);
    for (const map of [this.identifiers, this.messages, this.edits, this.revokes, this.reactions, this.chunks, this.historyMessages, this.amendedAt]) {
      for (const row of map.values()) ids.add(row.phoneNumberId);
    }
    for (const id of this.states.keys()) ids.add(id);
    for (const id of this.accounts.keys()) ids.add(id);
    return [...ids].sort();
  }

  /** Every message the batch has a record or an amendment of: `[phoneNumberId, messageId, row id]`. */
  messageIds(): [string, string, string][] {
    const ids = new Map<string, [string, string, string]>();
    for (const map of [this.messages, this.edits, this.revokes, this.amendedAt]) {
      for (const [id, row] of map) ids.set(id, [row.phoneNumberId, row.messageId, id]);
    }
    for (const row of this.reactions.values()) {
      const id = rowId(row.phoneNumberId, row.messageId);
      ids.set(id, [row.phoneNumberId, row.messageId, id]);
    }
    return [...ids.values()];
  }

  /** The earliest time of the batch's pieces of a message (its record's and its amendments'), if it has any. */
  firstAt(id: string): number | undefined {
    return earliest(this.messages.get(id)?.record.firstAt, this.amendedAt.get(id)?.at);
  }

  /**
   * Takes a message out of the batch, to be dropped instead (see `retention.ts`): its record and
   * amendments are not written; the keys it was seen with (and `seenWith`, keys stored with it)
   * stay one person, as the book's tombstone keeps them; a history id stays counted.
   */
  drop(phoneNumberId: string, messageId: string, seenWith: readonly string[]): void {
    const id = rowId(phoneNumberId, messageId);
    const row = this.messages.get(id);
    const keys = new Set(row?.keys);
    for (const key of seenWith) keys.add(key);
    const earlier = this.drops.get(id)?.key;
    if (earlier !== undefined) keys.add(earlier);
    if (row !== undefined) {
      this.messages.delete(id);
      if (row.record.history) this.putHistoryMessage(phoneNumberId, messageId);
    }
    this.edits.delete(id);
    this.revokes.delete(id);
    this.amendedAt.delete(id);
    const reactions = rowId(phoneNumberId, messageId, "");
    for (const key of [...this.reactions.keys()]) if (key.startsWith(reactions)) this.reactions.delete(key);
    const sorted = [...keys].sort(compareKeys);
    if (sorted.length > 1) this.link(phoneNumberId, sorted, 0);
    this.drops.set(id, { phoneNumberId, messageId, key: sorted[0] });
  }

  putChunk(phoneNumberId: string, chunkKey: string): void {
    const [phase, chunkOrder] = chunkKey.split(":").map(Number) as [number, number];
    this.chunks.set(rowId(phoneNumberId, chunkKey), { phoneNumberId, phase, chunkOrder });
  }

  putHistoryMessage(phoneNumberId: string, messageId: string): void {
    this.historyMessages.set(rowId(phoneNumberId, messageId), { phoneNumberId, messageId });
  }

  putProgress(phoneNumberId: string, progress: number): void {
    if (progress <= 0) return;
    const state = this.states.get(phoneNumberId) ?? { progress: 0, declined: undefined };
    this.states.set(phoneNumberId, { ...state, progress: Math.max(state.progress, progress) });
  }

  putDeclined(phoneNumberId: string, declined: DeclinedRecord): void {
    const state = this.states.get(phoneNumberId) ?? { progress: 0, declined: undefined };
    this.states.set(phoneNumberId, { ...state, declined: joinDeclined(state.declined, declined) });
  }

  putAccount(phoneNumberId: string, wabaId: string | undefined, displayPhoneNumber: string | undefined): void {
    const current = this.accounts.get(phoneNumberId);
    if (current !== undefined && current.wabaId === wabaId && current.displayNumber === displayPhoneNumber) return;
    const displayNumber = displayDigits(displayPhoneNumber);
    if (wabaId === undefined && displayNumber === undefined) return;
    this.accounts.set(phoneNumberId, {
      wabaId: accountValueWins(wabaId, current?.wabaId) ? wabaId : current?.wabaId,
      displayNumber: accountValueWins(displayNumber, current?.displayNumber) ? displayNumber : current?.displayNumber,
    });
  }

  putLifecycle(accountKey: string, record: LifecycleRecord): void {
    if (lifecycleWins(record, this.lifecycles.get(accountKey))) this.lifecycles.set(accountKey, record);
  }

  /**
   * The rows of each table, sorted by primary key, as column arrays for `unnest`.
   *
   * @param placement - the person each key belongs to (placed before the rows are written), and
   *   which identifier rows the batch changes.
   */
  columns(placement: RowPlacement) {
    const { personOf } = placement;
    const identifiers = byKey(this.identifiers)
      .map(([, row]) => row)
      .filter((row) => placement.writesIdentifier(row.phoneNumberId, row.key, row.seenAt));
    const links = byKey(this.links).map(([, row]) => row);
    const messages = byKey(this.messages).map(([id, row]) => {
      const json = row.record.message === undefined ? null : JSON.stringify(row.record.message);
      return { id, row, json, order: contentOrder(row.record) };
    });
    const edits = byKey(this.edits).map(([, row]) => ({ ...row, json: JSON.stringify(row.edit.content) }));
    const revokes = byKey(this.revokes).map(([, row]) => row);
    const reactions = byKey(this.reactions).map(([, row]) => row);
    const chunks = byKey(this.chunks).map(([, row]) => row);
    // A history id rides on its message row (history = true); only ids no message row of this
    // batch carries go to history_messages.
    const historyMessages = byKey(this.historyMessages)
      .filter(([id]) => !this.messages.has(id))
      .map(([, row]) => row);
    const states = byKey(this.states);
    const accounts = byKey(this.accounts);
    const lifecycles = byKey(this.lifecycles);
    const amendedAt = byKey(this.amendedAt).map(([, row]) => row);
    // Address-book records are not rows of their own: each person's winner is kept on its row (see people.ts).
    return {
      identifiers: [
        identifiers.map((row) => row.phoneNumberId),
        identifiers.map((row) => row.key),
        identifiers.map((row) => row.seenAt),
        identifiers.map((row) => personOf(row.phoneNumberId, row.key)),
      ],
      links: [links.map((row) => row.phoneNumberId), links.map((row) => row.a), links.map((row) => row.b)],
      messages: [
        messages.map(({ row }) => row.phoneNumberId),
        messages.map(({ row }) => row.messageId),
        messages.map(({ row }) => row.record.timestamp),
        messages.map(({ row }) => row.record.direction === "outbound"),
        messages.map(({ id, row }) => row.record.history || this.historyMessages.has(id)),
        // Most messages are seen with one key; the rare others carry the whole set as JSON.
        messages.map(({ row }) => row.keys.values().next().value as string),
        messages.map(({ row }) => (row.keys.size === 1 ? null : JSON.stringify([...row.keys].sort(compareKeys)))),
        messages.map(({ row }) => row.record.origin),
        messages.map(({ json }) => json),
        messages.map(({ order }) => order),
        messages.map(({ row }) => row.record.status ?? null),
        messages.map(({ row }) => (row.record.errors === undefined ? null : JSON.stringify(row.record.errors))),
        messages.map(({ row }) => sortableText(statusOrder(row.record))),
        messages.map(({ row }) => orderUnlessSame(row.messageId)),
        messages.map(({ row }) => personOf(row.phoneNumberId, row.record.key)),
        messages.map(({ row }) => row.record.firstAt),
      ],
      edits: [
        edits.map((row) => row.phoneNumberId),
        edits.map((row) => row.messageId),
        edits.map((row) => row.edit.timestamp),
        edits.map((row) => row.json),
        edits.map((row) => sortableText(editOrder(row.edit))),
      ],
      revokes: [revokes.map((row) => row.phoneNumberId), revokes.map((row) => row.messageId)],
      reactions: [
        reactions.map((row) => row.phoneNumberId),
        reactions.map((row) => row.messageId),
        reactions.map((row) => row.reactor),
        reactions.map((row) => JSON.stringify({ from: row.reaction.from, emoji: row.reaction.emoji })),
        reactions.map((row) => row.reaction.timestamp),
        reactions.map((row) => sortableText(reactionOrder(row.reaction))),
      ],
      chunks: [chunks.map((row) => row.phoneNumberId), chunks.map((row) => row.phase), chunks.map((row) => row.chunkOrder)],
      historyMessages: [historyMessages.map((row) => row.phoneNumberId), historyMessages.map((row) => row.messageId)],
      states: [
        states.map(([id]) => id),
        states.map(([, state]) => state.progress),
        states.map(([, state]) => (state.declined === undefined ? null : JSON.stringify(state.declined))),
        states.map(([, state]) => (state.declined === undefined ? null : sortableText(declinedOrder(state.declined)))),
      ],
      accounts: [
        accounts.map(([id]) => id),
        accounts.map(([, account]) => account.wabaId ?? null),
        accounts.map(([, account]) => (account.wabaId === undefined ? null : sortableText(account.wabaId))),
        accounts.map(([, account]) => account.displayNumber ?? null),
      ],
      amendedAt: [amendedAt.map((row) => row.phoneNumberId), amendedAt.map((row) => row.messageId), amendedAt.map((row) => row.at)],
      lifecycles: [
        lifecycles.map(([key]) => key),
        lifecycles.map(([, record]) => JSON.stringify(record)),
        lifecycles.map(([, record]) => sortableText(lifecycleOrder(record))),
      ],
    };
  }
}
