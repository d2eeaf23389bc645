/**
 * Reading a book: plain objects out, safe to serialise.
 *
 * @module
 */
import { compact } from "../schemas/object-shape.js";
import { contactWins } from "./precedence.js";
import {
  contactFieldsOf,
  isErased,
  type BusinessState,
  type ContactBook,
  type ContactFields,
  type ContactRecord,
  type ConversationRecord,
  type DeclinedRecord,
  type PersonLink,
} from "./book-state.js";
import { identityOfKeys, lookupKeys, partyOfKey, phoneOfKey, userIdOfKey, type Identity } from "./identity.js";
import { contactListOf } from "./contact-list.js";
import { idsAfter, idsBefore, lastPair } from "./ordered-set.js";
import { connectionKeys, connectionOf, type Connection } from "./connection.js";
import { secondsOf, serviceWindowOf, type ServiceWindow } from "./service-window.js";
import { contactPage, conversationCursor, conversationPage, type ContactPageOptions, type ConversationPageOptions } from "./pages.js";
import { compareKeys, forEachEntry, getEntry, sortedEntries } from "./persistent-map.js";
import { pageOptions, timelineEntryOf, type ListMessagesOptions, type TimelineEntry } from "./timeline.js";
import type { MessageRecord, ReactionRecord } from "./timeline-records.js";

/**
 * A person's contact: the join of all its address-book records (newest wins, a removal wins a
 * tie), present when that join is an add.
 *
 * @example
 * ```ts
 * const contact: Contact = {
 *   phoneNumber: "16505551234",
 *   fullName: "Ana Lima",
 *   identity: { phoneNumbers: ["16505551234"], userIds: [], parentUserIds: [] },
 *   updatedAt: 1739321024,
 * };
 * ```
 */
export type Contact = ContactFields & {
  /** Every identifier of the person. `phoneNumber` and `userId` above are the most recently seen. */
  readonly identity: Identity;
  /** The timestamp of the event that set the contact as it is (unix seconds). */
  readonly updatedAt: number;
};

/**
 * A conversation with one person, from echoes, received messages, history and history media,
 * across all its identifiers.
 *
 * @example
 * ```ts
 * const conversation: Conversation = {
 *   messageCount: 3, lastMessageAt: 1739321400, lastMessageId: "wamid.1", lastDirection: "outbound",
 *   phoneNumber: "16505551234", identity: { phoneNumbers: ["16505551234"], userIds: [], parentUserIds: [] },
 * };
 * ```
 */
export type Conversation = ConversationRecord & {
  /** The person's most recently seen phone number. */
  readonly phoneNumber?: string;
  /** The person's most recently seen user id. */
  readonly userId?: string;
  readonly identity: Identity;
};

/**
 * A conversation with the customer it is with (`customer`: the most recently seen phone number,
 * else user id).
 *
 * @example
 * ```ts
 * const entry: ConversationEntry = {
 *   customer: { phoneNumber: "16505551234" }, messageCount: 1, lastMessageAt: 1, lastMessageId: "wamid.1", lastDirection: "inbound",
 *   phoneNumber: "16505551234", identity: { phoneNumbers: ["16505551234"], userIds: [], parentUserIds: [] },
 * };
 * ```
 */
export type ConversationEntry = Conversation & {
  readonly customer: { readonly phoneNumber: string } | { readonly userId: string };
  /** Where the entry sits in the list: give it as `before` for the next page. */
  readonly cursor: string;
};

/**
 * A contact as `listContacts` lists it, with its place in the list.
 *
 * @example
 * ```ts
 * const next = listContacts(book, id, { after: entry.cursor });
 * ```
 */
export type ContactEntry = Contact & {
  /** Where the entry sits in the list: give it as `after` for the next page. */
  readonly cursor: string;
};

/**
 * Where a business's history sync stands.
 *
 * @example
 * ```ts
 * const sync: HistorySync = { status: "syncing", progress: 40, chunks: 3, messages: 812 };
 * ```
 */
export interface HistorySync {
  /** `none` before any chunk, `syncing`, `complete` at progress 100, `declined` once refused (sticky). */
  readonly status: "none" | "syncing" | "complete" | "declined";
  /** The highest progress seen, 0 to 100. */
  readonly progress: number;
  /** Distinct `(phase, chunkOrder)` pairs seen. */
  readonly chunks: number;
  /** Distinct message ids seen in history chunks and the media follow-up. */
  readonly messages: number;
  /** The refusal, when declined. */
  readonly declined?: DeclinedRecord;
}

function businessOf(book: ContactBook, phoneNumberId: string): BusinessState | undefined {
  return getEntry(book.businesses, phoneNumberId);
}

/** What the queries say about one person: its identifiers, where it sorts, its most recent phone and user id. */
export interface PersonView {
  readonly keys: readonly string[];
  /** The smallest key: where the person sorts in listings. */
  readonly first: string;
  readonly identity: Identity;
  readonly phoneNumber: string | undefined;
  readonly userId: string | undefined;
}

/** The representative of the person `key` names (phone number in any format, user id, or parent user id). */
function repOf(business: BusinessState, key: string): string | undefined {
  for (const candidate of lookupKeys(key)) {
    const link = getEntry(business.people, candidate);
    // An erased identifier not seen since answers nothing.
    if (link !== undefined && !isErased(link)) return link.rep;
  }
  return undefined;
}

/** Of the keys `read` accepts, the value of the one seen most recently (the greater key on a tie). */
function mostRecent(keys: readonly string[], seenAt: (key: string) => number, read: (key: string) => string | undefined): string | undefined {
  let best: string | undefined;
  let bestSeen = -1;
  let bestKey = "";
  for (const key of keys) {
    const value = read(key);
    if (value === undefined) continue;
    const seen = seenAt(key);
    if (seen > bestSeen || (seen === bestSeen && key > bestKey)) [best, bestSeen, bestKey] = [value, seen, key];
  }
  return best;
}

/**
 * The view of a person with these identifiers (shared with the PostgreSQL store, so both answer
 * alike).
 */
export function personView(keys: readonly string[], seenAt: (key: string) => number): PersonView {
  let first = keys[0] as string;
  for (const key of keys) if (compareKeys(key, first) < 0) first = key;
  return {
    keys,
    first,
    identity: identityOfKeys(keys),
    phoneNumber: mostRecent(keys, seenAt, phoneOfKey),
    userId: mostRecent(keys, seenAt, userIdOfKey),
  };
}

function viewOf(business: BusinessState, rep: string): PersonView {
  const keys: string[] = [];
  let member = rep;
  do {
    const link = getEntry(business.people, member) as PersonLink;
    if (!isErased(link)) keys.push(member);
    member = link.next;
  } while (member !== rep);
  return personView(keys, (key) => (getEntry(business.people, key) as PersonLink).seenAt);
}

/** A person's contact from its address-book records: their join, when it is an add. */
export function contactOf(person: PersonView, records: Iterable<ContactRecord>): Contact | undefined {
  let winner: ContactRecord | undefined;
  for (const record of records) if (winner === undefined || contactWins(record, winner)) winner = record;
  if (winner?.kind !== "add") return undefined;
  const fields = contactFieldsOf({ ...winner.contact, phoneNumber: person.phoneNumber, userId: person.userId });
  return { ...fields, identity: person.identity, updatedAt: winner.timestamp };
}

function recordsOf(business: BusinessState, person: PersonView): ContactRecord[] {
  const records: ContactRecord[] = [];
  for (const key of person.keys) {
    const record = (getEntry(business.people, key) as PersonLink).contact;
    if (record !== undefined) records.push(record);
  }
  return records;
}

/** A person's conversation from its summary. */
export function conversationOf(person: PersonView, record: ConversationRecord): Conversation {
  const conversation: Conversation = { ...record, identity: person.identity };
  return compact({ ...conversation, phoneNumber: person.phoneNumber, userId: person.userId });
}

/** A listing entry: the person's most recent phone number, else its user id (or its first key), as `customer`. */
export function conversationEntryOf(person: PersonView, record: ConversationRecord): ConversationEntry {
  const customer =
    person.phoneNumber !== undefined ? { phoneNumber: person.phoneNumber } : person.userId !== undefined ? { userId: person.userId } : partyOfKey(person.first);
  return { customer, ...conversationOf(person, record), cursor: conversationCursor(record.lastMessageAt, record.lastMessageId) };
}

/** A person's conversation summary: its timeline's size and newest entry. */
function summaryOf(business: BusinessState, link: PersonLink): ConversationRecord | undefined {
  const timeline = link.timeline;
  const last = timeline === undefined ? undefined : lastPair(timeline);
  if (timeline === undefined || last === undefined) return undefined;
  const record = getEntry(business.messages, last[1]) as MessageRecord;
  return { messageCount: timeline.size, lastMessageAt: last[0], lastMessageId: last[1], lastDirection: record.direction };
}

/**
 * Every identifier of the person that `key` names: phone numbers, user ids and parent user ids,
 * each sorted. One person is every identifier ever seen together with another of its identifiers
 * in one event, or linked by a rotation (`UserIdChanged`, a `system` number or user id change).
 *
 * @param key - a phone number in any format, a user id, or a parent user id.
 * @returns the identity, or `undefined` for an identifier the book never saw.
 * @example
 * ```ts
 * getIdentity(book, "106540352242922", "+1 650-555-1234");
 * // { phoneNumbers: ["16505551234"], userIds: ["US.13491208655302741918"], parentUserIds: [] }
 * ```
 */
export function getIdentity(book: ContactBook, phoneNumberId: string, key: string): Identity | undefined {
  const business = businessOf(book, phoneNumberId);
  const rep = business === undefined ? undefined : repOf(business, key);
  return rep === undefined ? undefined : viewOf(business as BusinessState, rep).identity;
}

/**
 * The contact of the person `key` names, by any of its identifiers: a phone number in any format
 * (`+1 650-555-1234`), a business-scoped user id, or a parent user id. It joins all the person's
 * address-book records; `phoneNumber` and `userId` are the person's most recently seen.
 *
 * @returns the contact, or `undefined` when unknown or removed.
 * @example
 * ```ts
 * getContact(book, "106540352242922", "+1 (650) 555-1234");
 * getContact(book, "106540352242922", "BR.2186878922080769"); // the same person, the same answer
 * ```
 */
export function getContact(book: ContactBook, phoneNumberId: string, key: string): Contact | undefined {
  const business = businessOf(book, phoneNumberId);
  const rep = business === undefined ? undefined : repOf(business, key);
  if (rep === undefined) return undefined;
  const person = viewOf(business as BusinessState, rep);
  return contactOf(person, recordsOf(business as BusinessState, person));
}

/**
 * A page of the present contacts of one business, each person once, in the order of the person's
 * smallest identifier (phone numbers, then user ids, then parent user ids): `limit` of them
 * (default 50) after the `after` cursor. The first listing of a business builds the list in that
 * order; from then on the book keeps it as it folds, so a page costs O(log n + limit).
 *
 * @example
 * ```ts
 * let page = listContacts(book, "106540352242922", { limit: 100 });
 * while (page.length > 0) {
 *   for (const contact of page) console.log(contact.fullName, contact.identity);
 *   page = listContacts(book, "106540352242922", { after: page.at(-1)?.cursor, limit: 100 });
 * }
 * ```
 */
export function listContacts(book: ContactBook, phoneNumberId: string, options?: ContactPageOptions): ContactEntry[] {
  const { after, limit } = contactPage(options);
  const business = businessOf(book, phoneNumberId);
  if (business === undefined) return [];
  const contacts: ContactEntry[] = [];
  // People whose records join to a removal are listed but show no contact: read on past them.
  for (let cursor = after; contacts.length < limit;) {
    const firsts = idsAfter(contactListOf(business), cursor === undefined ? undefined : [0, cursor], limit - contacts.length);
    if (firsts.length === 0) break;
    for (const first of firsts) {
      const view = viewOf(business, (getEntry(business.people, first) as PersonLink).rep);
      const contact = contactOf(view, recordsOf(business, view));
      if (contact !== undefined) contacts.push({ ...contact, cursor: view.first });
    }
    cursor = firsts[firsts.length - 1];
  }
  return contacts;
}

/**
 * The conversation with the person `key` names, by any of its identifiers; it counts each message
 * id once across all of them.
 *
 * @returns the conversation, or `undefined` when no message with that person was seen.
 * @example
 * ```ts
 * getConversation(book, "106540352242922", "16505551234")?.messageCount;
 * ```
 */
export function getConversation(book: ContactBook, phoneNumberId: string, key: string): Conversation | undefined {
  const business = businessOf(book, phoneNumberId);
  const rep = business === undefined ? undefined : repOf(business, key);
  if (rep === undefined) return undefined;
  const record = summaryOf(business as BusinessState, getEntry((business as BusinessState).people, rep) as PersonLink);
  return record === undefined ? undefined : conversationOf(viewOf(business as BusinessState, rep), record);
}

/**
 * A page of the conversations of one business, newest last message first (on equal times, the
 * greater message id first), each person once: `limit` of them (default 50) older than the
 * `before` cursor. A page costs O(log n + limit).
 *
 * @example
 * ```ts
 * const first = listConversations(book, "106540352242922", { limit: 20 });
 * const next = listConversations(book, "106540352242922", { before: first.at(-1)?.cursor, limit: 20 });
 * ```
 */
export function listConversations(book: ContactBook, phoneNumberId: string, options?: ConversationPageOptions): ConversationEntry[] {
  const { bound, limit } = conversationPage(options);
  const business = businessOf(book, phoneNumberId);
  if (business === undefined) return [];
  return idsBefore(business.conversations, bound, limit).map((id) => {
    const rep = (getEntry(business.people, (getEntry(business.messages, id) as MessageRecord).key) as PersonLink).rep;
    return conversationEntryOf(viewOf(business, rep), summaryOf(business, getEntry(business.people, rep) as PersonLink) as ConversationRecord);
  });
}

/**
 * The conversation with the person `key` names (by any of its identifiers), message by message:
 * newest first (on equal timestamps, the greater message id first), one entry per message id, each
 * in its current state whatever order its pieces arrived in: the latest content (edits applied,
 * a history placeholder replaced by its media), `revoked`, one reaction per reactor, the most
 * advanced delivery status, and where it came from (`origin`). Reactions, edits, revokes and
 * `system` messages are not entries; a status of a message never seen is an `api` entry.
 * `getConversation` counts exactly these entries, and its last message is the first one.
 *
 * Costs O(log n + limit).
 *
 * @param options - `before`: a message id of this conversation, the page starts just after it
 *   (an id the conversation does not hold gives an empty page); `limit`: entries per page (default 50).
 * @throws RangeError for a `limit` that is not a positive whole number.
 * @example
 * ```ts
 * const page = listMessages(book, "106540352242922", "+1 650-555-1234", { limit: 20 });
 * const older = listMessages(book, "106540352242922", "+1 650-555-1234", { before: page.at(-1)?.id, limit: 20 });
 * for (const entry of page) console.log(entry.timestamp, entry.status, entry.message?.type);
 * ```
 */
export function listMessages(book: ContactBook, phoneNumberId: string, key: string, options: ListMessagesOptions = {}): TimelineEntry[] {
  const { before, limit } = pageOptions(options);
  const business = businessOf(book, phoneNumberId);
  const rep = business === undefined ? undefined : repOf(business, key);
  if (business === undefined || rep === undefined) return [];
  const timeline = (getEntry(business.people, rep) as PersonLink).timeline;
  if (timeline === undefined) return [];
  let bound: [number, string] | undefined;
  if (before !== undefined) {
    const record = getEntry(business.messages, before);
    if (record === undefined || (getEntry(business.people, record.key) as PersonLink).rep !== rep) return [];
    bound = [record.timestamp, before];
  }
  const personOf = (reactorKey: string) => getEntry(business.people, reactorKey)?.rep ?? reactorKey;
  return idsBefore(timeline, bound, limit).map((id) => {
    const amendments = getEntry(business.amendments, id);
    const reactions: [string, ReactionRecord][] = [];
    if (amendments?.reactions !== undefined) forEachEntry(amendments.reactions, (reactor, reaction) => reactions.push([reactor, reaction]));
    return timelineEntryOf(id, getEntry(business.messages, id) as MessageRecord, amendments, reactions, personOf);
  });
}

/**
 * Where the history sync of one business stands.
 *
 * @example
 * ```ts
 * const { status, progress } = getHistorySync(book, "106540352242922");
 * ```
 */
export function getHistorySync(book: ContactBook, phoneNumberId: string): HistorySync {
  const business = businessOf(book, phoneNumberId);
  if (business === undefined) return { status: "none", progress: 0, chunks: 0, messages: 0 };
  const status = business.declined !== undefined ? "declined" : business.progress >= 100 ? "complete" : business.chunks.size > 0 ? "syncing" : "none";
  const sync = { status, progress: business.progress, chunks: business.chunks.size, messages: business.historyCount } as const;
  return business.declined === undefined ? sync : { ...sync, declined: { ...business.declined } };
}

/**
 * The business numbers (`phoneNumberId`) the book knows, sorted.
 *
 * @example
 * ```ts
 * for (const phoneNumberId of listBusinesses(book)) console.log(getHistorySync(book, phoneNumberId));
 * ```
 */
export function listBusinesses(book: ContactBook): string[] {
  return sortedEntries(book.businesses).map(([phoneNumberId]) => phoneNumberId);
}

/**
 * Whether the business may send the person `key` names (any of its identifiers) a free-form message
 * through the API at `now`: for 24 hours after the person's last message to the business (a
 * received message, or an inbound one from history; reactions, edits and system messages are no
 * messages of the timeline). Meta's rule: "Customer service windows" in its pricing documentation.
 *
 * @param now - unix seconds, or a `Date`.
 * @example
 * ```ts
 * const window = getServiceWindow(book, "106540352242922", "+1 650-555-1234", new Date());
 * if (!window.open) sendTemplateInstead();
 * ```
 */
export function getServiceWindow(book: ContactBook, phoneNumberId: string, key: string, now: number | Date): ServiceWindow {
  const seconds = secondsOf(now);
  const business = businessOf(book, phoneNumberId);
  const rep = business === undefined ? undefined : repOf(business, key);
  const timeline = rep === undefined ? undefined : (getEntry((business as BusinessState).people, rep) as PersonLink).timeline;
  if (business === undefined || timeline === undefined) return serviceWindowOf(undefined, seconds);
  // Newest first, a batch at a time, until the first inbound entry.
  let bound: [number, string] | undefined;
  for (let ids = idsBefore(timeline, bound, 32); ids.length > 0; ids = idsBefore(timeline, bound, 32)) {
    for (const id of ids) {
      const record = getEntry(business.messages, id) as MessageRecord;
      if (record.direction === "inbound") return serviceWindowOf({ at: record.timestamp, id }, seconds);
      bound = [record.timestamp, id];
    }
  }
  return serviceWindowOf(undefined, seconds);
}

/**
 * A business number's connection to the provider, from the newest lifecycle event about it (see
 * {@link Connection}): events name the WABA, so the book answers for every number of a WABA it has
 * seen an event of (and for the WABA id itself). An event that names one of the WABA's numbers
 * (`phone_number`) concerns that number only.
 *
 * @param id - the business's `phone_number_id` (or its WABA id).
 * @example
 * ```ts
 * const connection = getConnection(book, "106540352242922");
 * if (connection.state === "disconnected") console.warn(`Disconnected since ${connection.since}: ${connection.reason}`);
 * ```
 */
export function getConnection(book: ContactBook, id: string): Connection {
  const keys = connectionKeys(id, businessOf(book, id));
  return connectionOf(keys.map((key) => getEntry(book.accounts, key)));
}

/**
 * The book's queries by name. The PostgreSQL store answers each one (its interface is derived from
 * this list, so a query added here cannot be forgotten there), and the store-equals-book test asks
 * both sides the same questions through it.
 *
 * @example
 * ```ts
 * BOOK_QUERIES.getContact(book, "106540352242922", "+1 650-555-1234");
 * ```
 */
export const BOOK_QUERIES = {
  getContact,
  listContacts,
  getConversation,
  listConversations,
  getIdentity,
  getServiceWindow,
  listMessages,
  getHistorySync,
  listBusinesses,
  getConnection,
} as const;
