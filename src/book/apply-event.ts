/**
 * The reducer: `applyEvent` and `applyEvents` fold parsed events into a book.
 *
 * @module
 */
import type { BookEvent } from "../events/book-event.js";
import type { HistoryThread } from "../events/history-chunk.js";
import type { HistoryMessage, Message } from "../events/message.js";
import type { EventBase } from "../events/event-base.js";
import type { CustomerIds, Direction, ProfileContact } from "../events/parts.js";
import { isBusinessNumber } from "../core/business-number.js";
import { BookDraft } from "./book-draft.js";
import { contactFieldsOf, declinedRecordOf, type ContactBook, type ContactRecord, type DeclinedRecord, type LifecycleRecord } from "./book-state.js";
import { lifecycleAccountKey, lifecycleRecordOf } from "./connection.js";
import { identityKey, keysOf, lookupKeys } from "./identity.js";
import { countUnplaced, noneUnplaced, type UnplacedEvents, type UnplacedReason } from "./unplaced.js";
import { timelineStatusOf, type EditRecord, type MessageOrigin, type MessageRecord, type ReactionRecord } from "./timeline-records.js";

/**
 * Where the atoms of events go: a book draft, or the PostgreSQL store's batch. One definition of
 * what each event means serves both.
 */
export interface AtomSink {
  /** An address-book record; its key counts as seen at the record's timestamp. */
  putContact(phoneNumberId: string, key: string, record: ContactRecord): void;
  link(phoneNumberId: string, keys: readonly string[], seenAt: number): void;
  putMessage(phoneNumberId: string, messageId: string, record: MessageRecord): void;
  putEdit(phoneNumberId: string, messageId: string, edit: EditRecord): void;
  /** A revoke of message `messageId` by a message of time `timestamp` (unknown in a version 3 book). */
  putRevoke(phoneNumberId: string, messageId: string, timestamp: number | undefined): void;
  putReaction(phoneNumberId: string, messageId: string, reactorKey: string, reaction: ReactionRecord): void;
  putChunk(phoneNumberId: string, chunkKey: string): void;
  putHistoryMessage(phoneNumberId: string, messageId: string): void;
  putProgress(phoneNumberId: string, progress: number): void;
  putDeclined(phoneNumberId: string, declined: DeclinedRecord): void;
  /** Erases the person the keys (one identifier's possible keys) name, at or before `timestamp` (see `PersonErased`). */
  erase(phoneNumberId: string, keys: readonly string[], timestamp: number): void;
  /** Keeps a business's messages from `before` on (see `HistoryRetained`). */
  retain(phoneNumberId: string, before: number): void;
  /** The WABA and display number an event names for its business. */
  putAccount(phoneNumberId: string, wabaId: string | undefined, displayPhoneNumber: string | undefined): void;
  /** A lifecycle record of an account (see `lifecycleAccountKey`). */
  putLifecycle(accountKey: string, record: LifecycleRecord): void;
}

/**
 * Adds what one message means to its timeline. Reactions, edits and revokes amend the message they
 * point to, and `system` messages only link identifiers: none of them is an entry, counted or
 * listed. Every other message is an entry of the person `key` names.
 */
/**
 * @returns `"entry"` when the message became an entry (a record that carries `history`),
 *   `"unplaced"` when it would have but names no customer, `"amend"` otherwise.
 */
function putTimelineAtoms(
  sink: AtomSink,
  phoneNumberId: string,
  message: Message | HistoryMessage,
  direction: Direction,
  origin: MessageOrigin,
  key: string | undefined,
  history = false,
): "entry" | "amend" | "unplaced" {
  switch (message.type) {
    case "reaction": {
      const reactorKey = identityKey(message.from, message.fromUserId);
      if (reactorKey === undefined) return "amend";
      const { messageId, emoji, removed } = message.reaction;
      sink.putReaction(phoneNumberId, messageId, reactorKey, { from: reactorKey.slice(2), emoji: removed ? "" : emoji, timestamp: message.timestamp });
      return "amend";
    }
    case "edit":
      sink.putEdit(phoneNumberId, message.edit.originalMessageId, { timestamp: message.timestamp, content: message.edit.message });
      return "amend";
    case "revoke":
      sink.putRevoke(phoneNumberId, message.revoke.originalMessageId, message.timestamp);
      return "amend";
    case "system":
      return "amend";
    case "text":
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker":
    case "location":
    case "contacts":
    case "interactive":
    case "button":
    case "order":
    case "template":
    case "media_placeholder":
    case "unsupported":
    case "unknown":
      break;
    default:
      // A new message type fails to compile here until it is sorted; at run time, an entry.
      message satisfies never;
  }
  if (key === undefined) return "unplaced";
  const status = "status" in message ? timelineStatusOf(message.status) : undefined;
  const timestamp = message.timestamp;
  sink.putMessage(phoneNumberId, message.id, { key, timestamp, direction, origin, message, status, errors: undefined, history, firstAt: timestamp });
  return "entry";
}

/** The customer of a message, seen from the business: the recipient of outbound, the sender of inbound. */
function customerOf(message: Message, direction: Direction): CustomerIds {
  return direction === "outbound"
    ? { phoneNumber: message.to, userId: message.toUserId, parentUserId: message.toParentUserId }
    : { phoneNumber: message.from, userId: message.fromUserId, parentUserId: message.fromParentUserId };
}

/** The business an event is about: its own numbers are never a customer's identifier. */
type Business = Pick<EventBase, "phoneNumberId" | "displayPhoneNumber">;

/**
 * The keys of a customer's identifiers, without the business's own `phone_number_id` and display
 * number (an SDK's fixture has a message `from` the business's own id: it must not become one of
 * the customer's numbers).
 */
function customerKeys(business: Business, ids: CustomerIds, into: string[] = []): string[] {
  if (isBusinessNumber(business, ids.phoneNumber)) {
    return keysOf({ userId: ids.userId, parentUserId: ids.parentUserId }, into);
  }
  return keysOf(ids, into);
}

/**
 * The keys a change's profile (`value.contacts[]`) adds to its event's customer. A profile links
 * only through an identifier it shares with the event (two customers are never made one by a
 * profile that describes someone else); for an event that names no customer at all, the profile
 * is the customer.
 *
 * @example
 * ```ts
 * profileKeysFor(business, { phoneNumber: "972987654321", userId: "IL.1" }, ["p:16505551234"]); // []
 * profileKeysFor(business, { phoneNumber: "16505551234", userId: "US.1" }, ["p:16505551234"]); // ["p:16505551234", "u:US.1"]
 * ```
 */
function profileKeysFor(business: Business, contact: ProfileContact | undefined, customer: readonly string[]): string[] {
  if (contact === undefined) return [];
  const keys = customerKeys(business, contact);
  if (customer.length === 0) return keys;
  return keys.some((key) => customer.includes(key)) ? keys : [];
}

/**
 * The identifiers a `system` message says are one person: the old and new number of a number
 * change, the previous and new user ids (and parent ids) of a user id change.
 */
function systemKeys(message: Message, into: string[]): void {
  if (message.type !== "system") return;
  const system = message.system;
  keysOf({ phoneNumber: system.phoneNumber, userId: system.userId, parentUserId: system.parentUserId }, into);
  keysOf({ phoneNumber: system.previousPhoneNumber, userId: system.previousUserId, parentUserId: system.previousParentUserId }, into);
}

/**
 * Links a message's customer (with the identifiers its profile shares) and adds the message to
 * that person's conversation. A group message only links its participant's own identifiers: it is
 * no entry of any one-to-one conversation.
 */
function addMessage(
  sink: AtomSink,
  business: Business,
  phoneNumberId: string,
  message: Message,
  direction: Direction,
  origin: MessageOrigin,
  profile?: ProfileContact,
): UnplacedReason | undefined {
  const keys = message.groupId !== undefined && direction === "outbound" ? [] : customerKeys(business, customerOf(message, direction));
  for (const key of profileKeysFor(business, profile, keys)) if (!keys.includes(key)) keys.push(key);
  if (message.groupId !== undefined) {
    sink.link(phoneNumberId, keys, message.timestamp);
    return "group";
  }
  systemKeys(message, keys);
  sink.link(phoneNumberId, keys, message.timestamp);
  const history = origin === "history";
  const placed = putTimelineAtoms(sink, phoneNumberId, message, direction, origin, keys[0], history);
  // An entry carries the history flag; any other history id goes to the history set.
  if (placed !== "entry" && history) sink.putHistoryMessage(phoneNumberId, message.id);
  return placed === "unplaced" ? "no-customer" : undefined;
}

/** Whether a history message names no customer identifier its thread does not (the usual case). */
function namesOnlyThread(message: HistoryMessage, thread: HistoryThread): boolean {
  const outbound = message.direction === "outbound";
  const phone = outbound ? message.to : message.from;
  const userId = outbound ? message.toUserId : message.fromUserId;
  const parentUserId = outbound ? message.toParentUserId : message.fromParentUserId;
  return (
    (phone === undefined || phone === thread.id) &&
    (userId === undefined || userId === thread.userId) &&
    (parentUserId === undefined || parentUserId === thread.parentUserId)
  );
}

/** @returns `"no-customer"` when some of the thread's messages name no customer. */
function addThread(sink: AtomSink, business: Business, phoneNumberId: string, thread: HistoryThread): UnplacedReason | undefined {
  const threadKeys = customerKeys(business, { phoneNumber: thread.id, userId: thread.userId, parentUserId: thread.parentUserId });
  let newest = 0;
  for (const message of thread.messages) newest = Math.max(newest, message.timestamp);
  sink.link(phoneNumberId, threadKeys, newest);
  const threadKey = threadKeys[0];
  let unplaced: UnplacedReason | undefined;
  for (const message of thread.messages) {
    // The thread names the customer; the message's own parties (when it names others) are the same person.
    const own = namesOnlyThread(message, thread)
      ? []
      : customerKeys(business, customerOf(message, message.direction)).filter((key) => !threadKeys.includes(key));
    if (own.length > 0) sink.link(phoneNumberId, threadKey === undefined ? own : [threadKey, ...own], message.timestamp);
    // An entry carries the history flag; any other history id goes to the history set.
    const placed = putTimelineAtoms(sink, phoneNumberId, message, message.direction, "history", threadKey ?? own[0], true);
    if (placed !== "entry") sink.putHistoryMessage(phoneNumberId, message.id);
    if (placed === "unplaced") unplaced = "no-customer";
  }
  return unplaced;
}

/**
 * Adds one event's atoms to a sink. Events without a business (`phoneNumberId`) change nothing.
 *
 * @returns why the event (or part of it) could not be placed in a one-to-one conversation, or
 *   `undefined` when all of it was.
 */
export function addEvent(sink: AtomSink, event: BookEvent): UnplacedReason | undefined {
  const phoneNumberId = event.phoneNumberId;
  if (event.type === "HistoryRetained") {
    // Built by hand in plain JavaScript, it may lack what the helper checks: then it changes nothing.
    if (typeof phoneNumberId !== "string" || !Number.isInteger(event.before) || event.before < 0) return "no-business";
    sink.retain(phoneNumberId, event.before);
    return undefined;
  }
  if (event.type === "PersonErased") {
    if (typeof phoneNumberId !== "string") return "no-business";
    if (typeof event.key !== "string" || event.key.trim() === "" || !Number.isInteger(event.timestamp) || event.timestamp <= 0) return "no-customer";
    sink.erase(phoneNumberId, lookupKeys(event.key), event.timestamp);
    return undefined;
  }
  if (event.type === "AccountLifecycleChanged") {
    // Lifecycle events name a WABA (rarely a business number): they are the account's, not one business's.
    const accountKey = lifecycleAccountKey(event);
    if (accountKey === undefined) return "no-business";
    sink.putLifecycle(accountKey, lifecycleRecordOf(event));
    if (phoneNumberId !== undefined) sink.putAccount(phoneNumberId, event.wabaId, event.displayPhoneNumber);
    return undefined;
  }
  if (phoneNumberId === undefined) return withoutBusiness(event);
  sink.putAccount(phoneNumberId, event.wabaId, event.displayPhoneNumber);
  switch (event.type) {
    case "ContactAdded":
    case "ContactRemoved": {
      const contact = event.contact;
      const key = identityKey(contact.phoneNumber, contact.userId);
      if (key === undefined) return "no-customer";
      // putContact sees its own key; only a contact with more than one identifier needs a link.
      if (contact.parentUserId !== undefined || (contact.phoneNumber !== undefined && contact.userId !== undefined)) {
        sink.link(phoneNumberId, keysOf(contact), event.timestamp);
      }
      const kind = event.type === "ContactAdded" ? "add" : "remove";
      sink.putContact(phoneNumberId, key, { kind, timestamp: event.timestamp, contact: contactFieldsOf(contact) });
      return undefined;
    }
    case "MessageEchoed":
      return addMessage(sink, event, phoneNumberId, event.message, "outbound", "echo", event.contact);
    case "MessageReceived":
      return addMessage(sink, event, phoneNumberId, event.message, "inbound", "received", event.contact);
    case "HistoryChunk": {
      // A chunk without metadata (seen in real traffic) adds its messages, but no chunk or progress.
      if (event.phase !== undefined && event.chunkOrder !== undefined) sink.putChunk(phoneNumberId, `${event.phase}:${event.chunkOrder}`);
      if (event.progress !== undefined) sink.putProgress(phoneNumberId, event.progress);
      let unplaced: UnplacedReason | undefined;
      for (const thread of event.threads) unplaced = addThread(sink, event, phoneNumberId, thread) ?? unplaced;
      return unplaced;
    }
    case "HistoryMedia": {
      for (const profile of event.contacts ?? []) sink.link(phoneNumberId, customerKeys(event, profile), 0);
      let unplaced: UnplacedReason | undefined;
      for (const message of event.messages) unplaced = addMessage(sink, event, phoneNumberId, message, message.direction, "history") ?? unplaced;
      return unplaced;
    }
    case "HistoryDeclined":
      sink.putDeclined(phoneNumberId, declinedRecordOf(event));
      return undefined;
    case "MessageStatusUpdated": {
      const participant = event.recipient.participant;
      const keys = customerKeys(event, participant ?? event.recipient);
      for (const key of profileKeysFor(event, event.contact, keys)) if (!keys.includes(key)) keys.push(key);
      sink.link(phoneNumberId, keys, event.timestamp);
      // A status of a group message links its participant, and is no entry of a one-to-one conversation.
      if (event.groupId !== undefined || event.recipientType === "group") return "group";
      const status = timelineStatusOf(event.status);
      const key = keys[0];
      if (key === undefined) return "no-customer";
      if (status === undefined) return undefined;
      // A status of a message never seen is an entry: one the business sent through the API.
      const errors = status === "failed" ? event.errors : undefined;
      sink.putMessage(phoneNumberId, event.messageId, {
        key,
        timestamp: event.timestamp,
        direction: "outbound",
        origin: "api",
        message: undefined,
        status,
        errors,
        history: false,
        firstAt: event.timestamp,
      });
      return undefined;
    }
    case "UserIdChanged": {
      const keys = customerKeys(event, { phoneNumber: event.phoneNumber, userId: event.userId, parentUserId: event.parentUserId });
      keysOf({ userId: event.previousUserId, parentUserId: event.previousParentUserId }, keys);
      sink.link(phoneNumberId, [...keys, ...profileKeysFor(event, event.contact, keys)], event.timestamp);
      return undefined;
    }
    case "UserPreferencesUpdated": {
      const keys = customerKeys(event, event.user);
      if (keys.length === 0) return "no-customer";
      sink.link(phoneNumberId, [...keys, ...profileKeysFor(event, event.contact, keys)], event.timestamp);
      return undefined;
    }
    case "ErrorsReported":
    case "UnhandledChange":
      return undefined;
    default:
      return unreachable(event);
  }
}

/**
 * Why an event without a business (`phoneNumberId`) is not placed: `no-business` for the events the
 * book keeps (and a lifecycle event that names no account at all), nothing for those it keeps no
 * state of (value-level errors, unhandled changes) or keeps by their WABA (lifecycle). The PostgreSQL store's routing counts with it too.
 *
 * @example
 * ```ts
 * withoutBusiness(contactAddedWithoutMetadata); // "no-business"
 * ```
 */
export function withoutBusiness(event: BookEvent): UnplacedReason | undefined {
  if (event.type === "AccountLifecycleChanged") return lifecycleAccountKey(event) === undefined ? "no-business" : undefined;
  return event.type === "UnhandledChange" || event.type === "ErrorsReported" ? undefined : "no-business";
}

/**
 * The compiler's proof that a switch handles every event type: a new type fails to compile here.
 * At run time an object of no known type (from plain JavaScript) changes nothing, as an
 * `UnhandledChange` does.
 */
function unreachable(event: never): undefined {
  void event;
  return undefined;
}

/**
 * Applies one event to a book. Pure: `book` is never changed (it may be deep-frozen), and the
 * same book comes back when the event changes nothing (a duplicate, an older add, an
 * `UnhandledChange`). Events without a `phoneNumberId` change nothing.
 *
 * The rules, per business (`phoneNumberId`):
 * - identifiers seen together in one event (phone number, user id, parent user id) belong to one
 *   person, and so do the old and new identifiers of a rotation; every query answers the same for
 *   any identifier of a person;
 * - a person's contact is the join of its address-book records:
 * - the newest `timestamp` wins; on equal timestamps a removal beats an add, and between two adds
 *   the one whose fields serialise greater (as JSON) wins, so every order gives the same result;
 * - a removal keeps a tombstone, so an older add arriving late does not bring the contact back;
 * - each message id is one timeline entry of its person: the best content seen (live over history,
 *   media over a placeholder), the latest edit, revoked once revoked, each reactor's latest
 *   reaction, the most advanced delivery status; a status of a message never seen is an `api`
 *   entry. Reactions, edits, revokes and system messages are not entries; conversations count the
 *   entries; history chunks count distinct
 *   `(phase, chunkOrder)` pairs; the highest progress wins; a refusal is sticky.
 *
 * @example
 * ```ts
 * let book = createContactBook();
 * for (const event of parseWebhook(body)) book = applyEvent(book, event);
 * ```
 */
export function applyEvent(book: ContactBook, event: BookEvent): ContactBook {
  const draft = new BookDraft(book);
  addEvent(draft, event);
  return draft.commit();
}

/**
 * Applies events in order, as {@link applyEvents} does, and says how many of them it could not
 * place, and why: events without a business (a body without `metadata`: pass the parse option
 * `phoneNumberId`), messages and statuses that name no customer (or only the business's own
 * number), and group traffic, which the book keeps out of one-to-one conversations.
 *
 * @example
 * ```ts
 * const { book, unplaced } = foldEvents(createContactBook(), parseWebhook(body));
 * if (unplaced.count > 0) console.warn(describeUnplaced(unplaced));
 * ```
 */
export function foldEvents(book: ContactBook, events: Iterable<BookEvent>): { readonly book: ContactBook; readonly unplaced: UnplacedEvents } {
  const draft = new BookDraft(book);
  let unplaced = noneUnplaced();
  for (const event of events) {
    const reason = addEvent(draft, event);
    if (reason !== undefined) unplaced = countUnplaced(unplaced, reason);
  }
  return { book: draft.commit(), unplaced };
}

/**
 * Applies events in order; equal to folding {@link applyEvent} over them, and faster.
 *
 * @example
 * ```ts
 * const book = applyEvents(createContactBook(), parseWebhook(body));
 * ```
 */
export function applyEvents(book: ContactBook, events: Iterable<BookEvent>): ContactBook {
  const draft = new BookDraft(book);
  for (const event of events) addEvent(draft, event);
  return draft.commit();
}
