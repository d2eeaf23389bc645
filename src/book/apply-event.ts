/**
 * The reducer: `applyEvent` and `applyEvents` fold parsed events into a book.
 *
 * @module
 */
import type { CoexistenceEvent } from "../events/coexistence-event.js";
import type { HistoryThread } from "../events/history-chunk.js";
import type { HistoryMessage, Message } from "../events/message.js";
import type { CustomerIds, Direction, ProfileContact } from "../events/parts.js";
import { BookDraft } from "./book-draft.js";
import { contactFieldsOf, declinedRecordOf, type ContactBook, type ContactRecord, type DeclinedRecord } from "./book-state.js";
import { identityKey, keysOf } from "./identity.js";
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
  putRevoke(phoneNumberId: string, messageId: string): void;
  putReaction(phoneNumberId: string, messageId: string, reactorKey: string, reaction: ReactionRecord): void;
  putChunk(phoneNumberId: string, chunkKey: string): void;
  putHistoryMessage(phoneNumberId: string, messageId: string): void;
  putProgress(phoneNumberId: string, progress: number): void;
  putDeclined(phoneNumberId: string, declined: DeclinedRecord): void;
}

/**
 * Adds what one message means to its timeline. Reactions, edits and revokes amend the message they
 * point to, and `system` messages only link identifiers: none of them is an entry, counted or
 * listed. Every other message is an entry of the person `key` names.
 */
/** @returns whether the message became an entry (a record that carries `history`). */
function putTimelineAtoms(
  sink: AtomSink,
  phoneNumberId: string,
  message: Message | HistoryMessage,
  direction: Direction,
  origin: MessageOrigin,
  key: string | undefined,
  history = false,
): boolean {
  switch (message.type) {
    case "reaction": {
      const reactorKey = identityKey(message.from, message.fromUserId);
      if (reactorKey === undefined) return false;
      const { messageId, emoji, removed } = message.reaction;
      sink.putReaction(phoneNumberId, messageId, reactorKey, { from: reactorKey.slice(2), emoji: removed ? "" : emoji, timestamp: message.timestamp });
      return false;
    }
    case "edit":
      sink.putEdit(phoneNumberId, message.edit.originalMessageId, { timestamp: message.timestamp, content: message.edit.message });
      return false;
    case "revoke":
      sink.putRevoke(phoneNumberId, message.revoke.originalMessageId);
      return false;
    case "system":
      return false;
    default: {
      if (key === undefined) return false;
      const status = "status" in message ? timelineStatusOf(message.status) : undefined;
      sink.putMessage(phoneNumberId, message.id, { key, timestamp: message.timestamp, direction, origin, message, status, errors: undefined, history });
      return true;
    }
  }
}

/** The customer of a message, seen from the business: the recipient of outbound, the sender of inbound. */
function customerOf(message: Message, direction: Direction): CustomerIds {
  return direction === "outbound"
    ? { phoneNumber: message.to, userId: message.toUserId, parentUserId: message.toParentUserId }
    : { phoneNumber: message.from, userId: message.fromUserId, parentUserId: message.fromParentUserId };
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
 * Links a message's customer (with `extra` identifiers of the same person) and adds the message to
 * that person's conversation.
 */
function addMessage(sink: AtomSink, phoneNumberId: string, message: Message, direction: Direction, origin: MessageOrigin, extra: readonly string[] = []): void {
  const keys = keysOf(customerOf(message, direction));
  for (const key of extra) keys.push(key);
  systemKeys(message, keys);
  sink.link(phoneNumberId, keys, message.timestamp);
  const history = origin === "history";
  // An entry carries the history flag; any other history id goes to the history set.
  if (!putTimelineAtoms(sink, phoneNumberId, message, direction, origin, keys[0], history) && history) sink.putHistoryMessage(phoneNumberId, message.id);
}

function profileKeys(contact: ProfileContact | undefined): string[] {
  return contact === undefined ? [] : keysOf(contact);
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

function addThread(sink: AtomSink, phoneNumberId: string, thread: HistoryThread): void {
  const threadKeys = keysOf({ phoneNumber: thread.id, userId: thread.userId, parentUserId: thread.parentUserId });
  let newest = 0;
  for (const message of thread.messages) newest = Math.max(newest, message.timestamp);
  sink.link(phoneNumberId, threadKeys, newest);
  const threadKey = threadKeys[0];
  for (const message of thread.messages) {
    // The thread names the customer; the message's own parties (when it names others) are the same person.
    const own = namesOnlyThread(message, thread) ? [] : keysOf(customerOf(message, message.direction)).filter((key) => !threadKeys.includes(key));
    if (own.length > 0) sink.link(phoneNumberId, threadKey === undefined ? own : [threadKey, ...own], message.timestamp);
    // An entry carries the history flag; any other history id goes to the history set.
    if (!putTimelineAtoms(sink, phoneNumberId, message, message.direction, "history", threadKey ?? own[0], true))
      sink.putHistoryMessage(phoneNumberId, message.id);
  }
}

/** Adds one event's atoms to a sink. Events without a business (`phoneNumberId`) change nothing. */
export function addEvent(sink: AtomSink, event: CoexistenceEvent): void {
  const phoneNumberId = event.phoneNumberId;
  if (phoneNumberId === undefined) return;
  switch (event.type) {
    case "ContactAdded":
    case "ContactRemoved": {
      const contact = event.contact;
      const key = identityKey(contact.phoneNumber, contact.userId);
      if (key === undefined) return;
      // putContact sees its own key; only a contact with more than one identifier needs a link.
      if (contact.parentUserId !== undefined || (contact.phoneNumber !== undefined && contact.userId !== undefined)) {
        sink.link(phoneNumberId, keysOf(contact), event.timestamp);
      }
      const kind = event.type === "ContactAdded" ? "add" : "remove";
      sink.putContact(phoneNumberId, key, { kind, timestamp: event.timestamp, contact: contactFieldsOf(contact) });
      return;
    }
    case "MessageEchoed":
      addMessage(sink, phoneNumberId, event.message, "outbound", "echo", profileKeys(event.contact));
      return;
    case "MessageReceived":
      addMessage(sink, phoneNumberId, event.message, "inbound", "received", profileKeys(event.contact));
      return;
    case "HistoryChunk":
      // A chunk without metadata (seen in real traffic) adds its messages, but no chunk or progress.
      if (event.phase !== undefined && event.chunkOrder !== undefined) sink.putChunk(phoneNumberId, `${event.phase}:${event.chunkOrder}`);
      if (event.progress !== undefined) sink.putProgress(phoneNumberId, event.progress);
      for (const thread of event.threads) addThread(sink, phoneNumberId, thread);
      return;
    case "HistoryMedia":
      for (const profile of event.contacts ?? []) sink.link(phoneNumberId, keysOf(profile), 0);
      for (const message of event.messages) addMessage(sink, phoneNumberId, message, message.direction, "history");
      return;
    case "HistoryDeclined":
      sink.putDeclined(phoneNumberId, declinedRecordOf(event));
      return;
    case "MessageStatusUpdated": {
      const keys = [...keysOf(event.recipient), ...profileKeys(event.contact)];
      sink.link(phoneNumberId, keys, event.timestamp);
      const status = timelineStatusOf(event.status);
      const key = keys[0];
      if (status === undefined || key === undefined) return;
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
      });
      return;
    }
    case "UserIdChanged": {
      const keys = keysOf({ phoneNumber: event.phoneNumber, userId: event.userId, parentUserId: event.parentUserId });
      keysOf({ userId: event.previousUserId, parentUserId: event.previousParentUserId }, keys);
      sink.link(phoneNumberId, [...keys, ...profileKeys(event.contact)], event.timestamp);
      return;
    }
    case "UserPreferencesUpdated":
      sink.link(phoneNumberId, [...keysOf(event.user), ...profileKeys(event.contact)], event.timestamp);
      return;
    case "UnhandledChange":
      return;
  }
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
export function applyEvent(book: ContactBook, event: CoexistenceEvent): ContactBook {
  const draft = new BookDraft(book);
  addEvent(draft, event);
  return draft.commit();
}

/**
 * Applies events in order; equal to folding {@link applyEvent} over them, and faster.
 *
 * @example
 * ```ts
 * const book = applyEvents(createContactBook(), parseWebhook(body));
 * ```
 */
export function applyEvents(book: ContactBook, events: Iterable<CoexistenceEvent>): ContactBook {
  const draft = new BookDraft(book);
  for (const event of events) addEvent(draft, event);
  return draft.commit();
}
