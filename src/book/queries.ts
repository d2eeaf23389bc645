/**
 * Reading a book: plain objects out, safe to serialise.
 *
 * @module
 */
import type { BusinessState, ContactBook, ContactFields, ConversationRecord, DeclinedRecord } from "./book-state.js";
import { getEntry, sortedEntries } from "./persistent-map.js";
import { lookupKey, partyOfKey, userIdOfKey } from "./identity.js";

/**
 * A contact present in a business's address book.
 *
 * @example
 * ```ts
 * const contact: Contact = { phoneNumber: "16505551234", fullName: "Ana Lima", updatedAt: 1739321024 };
 * ```
 */
export type Contact = ContactFields & {
  /** The timestamp of the event that set the contact as it is (unix seconds). */
  readonly updatedAt: number;
};

/**
 * A conversation with one customer, from echoes, received messages, history and history media.
 *
 * @example
 * ```ts
 * const conversation: Conversation = { messageCount: 3, lastMessageAt: 1739321400, lastMessageId: "wamid.1", lastDirection: "outbound" };
 * ```
 */
export type Conversation = ConversationRecord;

/**
 * A conversation with the customer it is with.
 *
 * @example
 * ```ts
 * const entry: ConversationEntry = { customer: { phoneNumber: "16505551234" }, messageCount: 1, lastMessageAt: 1, lastMessageId: "wamid.1", lastDirection: "inbound" };
 * ```
 */
export type ConversationEntry = Conversation & { readonly customer: { readonly phoneNumber: string } | { readonly userId: string } };

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

function presentContact(business: BusinessState, key: string): Contact | undefined {
  const record = getEntry(business.contacts, key);
  return record?.kind === "add" ? { ...record.contact, updatedAt: record.timestamp } : undefined;
}

/**
 * A present contact of one business, by phone number in any format (`+1 650-555-1234`) or by
 * business-scoped user id. A user id also finds a contact identified by its phone number that
 * carries that user id.
 *
 * @returns the contact, or `undefined` when unknown or removed.
 * @example
 * ```ts
 * getContact(book, "106540352242922", "+1 (650) 555-1234");
 * getContact(book, "106540352242922", "BR.2186878922080769");
 * ```
 */
export function getContact(book: ContactBook, phoneNumberId: string, key: string): Contact | undefined {
  const business = businessOf(book, phoneNumberId);
  if (business === undefined) return undefined;
  const identity = lookupKey(key);
  const direct = presentContact(business, identity);
  if (direct !== undefined) return direct;
  const userId = userIdOfKey(identity);
  if (userId === undefined) return undefined;
  for (const phoneKey of getEntry(business.userIndex, userId) ?? []) {
    const contact = presentContact(business, phoneKey);
    if (contact?.userId === userId) return contact;
  }
  return undefined;
}

/**
 * Every present contact of one business, ordered by identity (phone numbers, then user ids).
 *
 * @example
 * ```ts
 * for (const contact of listContacts(book, "106540352242922")) console.log(contact.fullName);
 * ```
 */
export function listContacts(book: ContactBook, phoneNumberId: string): Contact[] {
  const business = businessOf(book, phoneNumberId);
  if (business === undefined) return [];
  return sortedEntries(business.contacts)
    .filter(([, record]) => record.kind === "add")
    .map(([, record]) => ({ ...record.contact, updatedAt: record.timestamp }));
}

/**
 * The conversation with one customer, by phone number in any format or by user id.
 *
 * @returns the conversation, or `undefined` when no message with that customer was seen.
 * @example
 * ```ts
 * getConversation(book, "106540352242922", "16505551234")?.messageCount;
 * ```
 */
export function getConversation(book: ContactBook, phoneNumberId: string, key: string): Conversation | undefined {
  const business = businessOf(book, phoneNumberId);
  const record = business === undefined ? undefined : getEntry(business.conversations, lookupKey(key));
  return record === undefined ? undefined : { ...record };
}

/**
 * Every conversation of one business, ordered by customer.
 *
 * @example
 * ```ts
 * for (const { customer, messageCount } of listConversations(book, "106540352242922")) console.log(customer, messageCount);
 * ```
 */
export function listConversations(book: ContactBook, phoneNumberId: string): ConversationEntry[] {
  const business = businessOf(book, phoneNumberId);
  if (business === undefined) return [];
  return sortedEntries(business.conversations).map(([key, record]) => ({ customer: partyOfKey(key), ...record }));
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
  const status =
    business.declined !== undefined ? "declined" : business.progress >= 100 ? "complete" : business.chunks.size > 0 ? "syncing" : "none";
  const sync = { status, progress: business.progress, chunks: business.chunks.size, messages: business.historyMessages.size } as const;
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
