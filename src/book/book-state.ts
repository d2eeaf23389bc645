/**
 * What a contact book holds, per business: the replicated facts ("atoms") that events contribute
 * and their join, plus what is derived from them (conversation summaries, the user-id index).
 * Every atom merges by a join (a maximum under a total order, or a set union), so the book is the
 * same whatever the order of the events and however often each one repeats.
 *
 * @module
 */
import type { HistoryDeclined } from "../events/history-declined.js";
import type { AccountLifecycleEvent } from "../events/account-lifecycle-changed.js";
import type { AddressBookContact, Direction } from "../events/parts.js";
import { EMPTY_SET, type OrderedSet } from "./ordered-set.js";
import { emptyMap, type PersistentMap } from "./persistent-map.js";
import type { Amendments, MessageRecord } from "./timeline-records.js";

export type { Direction } from "../events/parts.js";

/**
 * The fields of a contact that the book keeps (an address-book contact without its extras), in a
 * fixed order (so their JSON is canonical).
 *
 * @example
 * ```ts
 * const fields: ContactFields = { phoneNumber: "16505551234", fullName: "Ana Lima" };
 * ```
 */
export type ContactFields = Omit<AddressBookContact, "extra">;

/**
 * The contact fields of any object with some of them (an event's contact, a stored row), as strings
 * in a fixed order (phone number, user id, parent user id, full name, first name, username, country
 * code), so that their JSON is canonical; other keys are left out.
 */
export function contactFieldsOf(object: object): ContactFields {
  const source = object as Readonly<Partial<Record<keyof ContactFields, unknown>>>;
  // Field by field, by name (not a loop over the names): this runs once per address-book event.
  const fields: { -readonly [K in keyof ContactFields]: ContactFields[K] } = {};
  if (typeof source.phoneNumber === "string") fields.phoneNumber = source.phoneNumber;
  if (typeof source.userId === "string") fields.userId = source.userId;
  if (typeof source.parentUserId === "string") fields.parentUserId = source.parentUserId;
  if (typeof source.fullName === "string") fields.fullName = source.fullName;
  if (typeof source.firstName === "string") fields.firstName = source.firstName;
  if (typeof source.username === "string") fields.username = source.username;
  if (typeof source.countryCode === "string") fields.countryCode = source.countryCode;
  return fields;
}

/** The refusal fields of any object with them, in a fixed order (so their JSON is canonical). */
export function declinedRecordOf(object: object): DeclinedRecord {
  const source = object as Readonly<Record<string, unknown>>;
  const record: { code: number; title?: string; message?: string; details?: string } = { code: Number(source.code) };
  for (const field of ["title", "message", "details"] as const) if (typeof source[field] === "string") record[field] = source[field] as string;
  return record;
}

/** The newest word on one contact: an add (with its fields) or a removal (a tombstone). */
export interface ContactRecord {
  readonly kind: "add" | "remove";
  readonly timestamp: number;
  readonly contact: ContactFields;
}

/**
 * One identifier of a customer in the book's union-find: the group (person) it belongs to, the
 * next member of that group (the members form a ring), and when it was last seen. On the group's
 * representative (`rep` equal to its own key), `size` and `timeline` describe the whole person.
 */
export interface PersonLink {
  readonly rep: string;
  readonly next: string;
  readonly seenAt: number;
  readonly size: number;
  /** The person's messages, as `(timestamp, message id)` pairs in timeline order. */
  readonly timeline: OrderedSet | undefined;
  /** The address-book record kept under this identifier (a phone number, or a user id without one). */
  readonly contact: ContactRecord | undefined;
  /** On the representative: the person's smallest identifier not erased (where it sorts in the contact list). */
  readonly first: string;
  /**
   * The person's erasure horizon (the latest `PersonErased` of any of its identifiers; 0 for none),
   * on every member: everything of the person at or before it is gone, and an identifier not seen
   * since is hidden.
   */
  readonly horizon: number;
}

/** A person link, built in one literal so that every link has the same shape. */
export function personLink(
  rep: string,
  next: string,
  seenAt: number,
  size: number,
  timeline: OrderedSet | undefined,
  contact: ContactRecord | undefined,
  first: string,
  horizon: number,
): PersonLink {
  return { rep, next, seenAt, size, timeline, contact, first, horizon };
}

/**
 * Whether an identifier is hidden by its person's erasure: the person was erased (its horizon is
 * above 0) and the identifier was not seen after it. The book and the store both decide with it.
 *
 * @example
 * ```ts
 * isErased({ seenAt: 100, horizon: 150 }); // true
 * isErased({ seenAt: 100, horizon: 0 }); // false: never erased
 * ```
 */
export function isErased(link: { readonly seenAt: number; readonly horizon: number }): boolean {
  return link.horizon > 0 && link.seenAt <= link.horizon;
}

/**
 * Where a person of some erasure horizon sorts in the contact list: its smallest identifier not
 * erased, or its smallest when all are (it then has nothing to list). The book and the store both
 * place a person with it.
 *
 * @param identifiers - the person's identifiers, each with when it was last seen.
 * @example
 * ```ts
 * smallestShown([["p:16505551234", 100], ["u:US.1", 300]], 200); // "u:US.1"
 * ```
 */
export function smallestShown(identifiers: Iterable<readonly [string, number]>, horizon: number): string | undefined {
  let shown: string | undefined;
  let any: string | undefined;
  for (const [key, seenAt] of identifiers) {
    if (any === undefined || key < any) any = key;
    if (!isErased({ seenAt, horizon }) && (shown === undefined || key < shown)) shown = key;
  }
  return shown ?? any;
}

/**
 * A conversation's summary, derived from its timeline.
 *
 * @example
 * ```ts
 * const summary: ConversationRecord = { messageCount: 2, lastMessageAt: 1739321400, lastMessageId: "wamid.2", lastDirection: "inbound" };
 * ```
 */
export interface ConversationRecord {
  readonly messageCount: number;
  readonly lastMessageAt: number;
  readonly lastMessageId: string;
  readonly lastDirection: Direction;
}

/**
 * The refusal of a history sync, as the book keeps it.
 *
 * @example
 * ```ts
 * const declined: DeclinedRecord = { code: 2593109, title: "History sync is turned off" };
 * ```
 */
export type DeclinedRecord = Pick<HistoryDeclined, "code" | "title" | "message" | "details">;

/**
 * One lifecycle event as the book keeps it: the newest per account wins (see `lifecycleOrder`).
 *
 * @example
 * ```ts
 * const record: LifecycleRecord = { event: "PARTNER_REMOVED", timestamp: 1739400000, reason: "COMPANION_INACTIVITY", initiatedBy: "SYSTEM" };
 * ```
 */
export interface LifecycleRecord {
  readonly event: AccountLifecycleEvent;
  /** The entry's `time` (unix seconds); 0 when the envelope gave none. */
  readonly timestamp: number;
  readonly reason?: string;
  readonly initiatedBy?: string;
}

/** Everything the book knows about one business number. */
export interface BusinessState {
  /** Message records by message id. */
  readonly messages: PersistentMap<MessageRecord>;
  /** Edits, revokes and reactions, by the id of the message they point to. */
  readonly amendments: PersistentMap<Amendments>;
  /**
   * Every identifier seen (`p:`, `u:`, `v:` keys) and the person it belongs to, with the
   * address-book record kept under it; conversation summaries ride on each person's representative.
   * (One map, so an address-book event updates one path of the trie.)
   */
  readonly people: PersistentMap<PersonLink>;
  /** History chunks seen, by `<phase>:<chunk order>`. */
  readonly chunks: PersistentMap<true>;
  /**
   * Message ids seen in history chunks and the media follow-up that have no record (reactions,
   * edits, revokes, system messages); the others are records with `history` set.
   */
  readonly historyMessages: PersistentMap<true>;
  /** How many distinct message ids history carried: these and the records with `history`. */
  readonly historyCount: number;
  /** The highest history progress seen (0 when none). */
  readonly progress: number;
  /** The refusal, once seen (sticky). */
  readonly declined: DeclinedRecord | undefined;
  /**
   * Every person with messages, as the `(timestamp, message id)` of its newest entry: the
   * conversation list, newest last, so a page of it costs O(log n + limit).
   */
  readonly conversations: OrderedSet;
  /** The retention horizon (unix seconds; 0 for none): nothing of a message older than it is kept. */
  readonly retainedBefore: number;
  /**
   * The ids of messages dropped by retention, each with the smallest customer key seen with it
   * ("" for none), so a late piece of them is refused and still links its customer.
   */
  readonly dropped: PersistentMap<string>;
  /** Each identifier a `PersonErased` named, and the latest time it was erased at. */
  readonly erasures: PersistentMap<number>;
  /** The WABA the business number belongs to, from its events (the greatest, should two differ). */
  readonly wabaId: string | undefined;
  /** The business's display number as digits, from its events (the greatest, should two differ). */
  readonly displayNumber: string | undefined;
}

/**
 * The contact book: an immutable value. Build it with {@link createContactBook} and
 * {@link applyEvent}; read it with the query functions; store it with {@link serializeBook}.
 * Its fields are internal: use the functions.
 *
 * @example
 * ```ts
 * let book: ContactBook = createContactBook();
 * book = applyEvents(book, parseWebhook(body));
 * ```
 */
export interface ContactBook {
  /** Per-business state, keyed by `phoneNumberId`. @internal */
  readonly businesses: PersistentMap<BusinessState>;
  /** The newest lifecycle record per account (`n:<phone number id>`, `w:<waba id>[/<digits>]`). @internal */
  readonly accounts: PersistentMap<LifecycleRecord>;
}

/** The state of a business the book has not seen. */
export const EMPTY_BUSINESS: BusinessState = /* @__PURE__ */ Object.freeze({
  messages: emptyMap<MessageRecord>(),
  amendments: emptyMap<Amendments>(),
  people: emptyMap<PersonLink>(),
  chunks: emptyMap<true>(),
  historyMessages: emptyMap<true>(),
  historyCount: 0,
  progress: 0,
  declined: undefined,
  conversations: EMPTY_SET,
  retainedBefore: 0,
  dropped: emptyMap<string>(),
  erasures: emptyMap<number>(),
  wabaId: undefined,
  displayNumber: undefined,
});

const EMPTY_BOOK: ContactBook = /* @__PURE__ */ Object.freeze({ businesses: emptyMap<BusinessState>(), accounts: emptyMap<LifecycleRecord>() });

/**
 * An empty contact book.
 *
 * @example
 * ```ts
 * import { createContactBook, applyEvents, parseWebhook } from "whatsapp-coexistence";
 *
 * let book = createContactBook();
 * book = applyEvents(book, parseWebhook(rawBody));
 * ```
 */
export function createContactBook(): ContactBook {
  return EMPTY_BOOK;
}
