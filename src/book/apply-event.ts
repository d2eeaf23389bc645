/**
 * The reducer: `applyEvent` and `applyEvents` fold parsed events into a book.
 *
 * @module
 */
import type { CoexistenceEvent } from "../events/coexistence-event.js";
import type { HistoryMessage, Message } from "../events/message.js";
import type { Direction } from "../events/parts.js";
import { BookDraft } from "./book-draft.js";
import { contactFieldsOf, declinedRecordOf, type ContactBook, type ContactRecord, type DeclinedRecord, type MessageRecord } from "./book-state.js";
import { identityKey } from "./identity.js";

/**
 * Where the atoms of events go: a book draft, or the PostgreSQL store's batch. One definition of
 * what each event means serves both.
 */
export interface AtomSink {
  putContact(phoneNumberId: string, key: string, record: ContactRecord): void;
  putMessage(phoneNumberId: string, conversationKey: string, messageId: string, record: MessageRecord): void;
  putChunk(phoneNumberId: string, chunkKey: string): void;
  putHistoryMessage(phoneNumberId: string, messageId: string): void;
  putProgress(phoneNumberId: string, progress: number): void;
  putDeclined(phoneNumberId: string, declined: DeclinedRecord): void;
}

/** The customer of a message, seen from the business: the recipient of outbound, the sender of inbound. */
function customerKey(message: Message, direction: Direction): string | undefined {
  return direction === "outbound" ? identityKey(message.to, message.toUserId) : identityKey(message.from, message.fromUserId);
}

/**
 * Messages people see as messages: reactions, edits, revokes and system messages change another
 * message or the person, so they are counted nowhere and are never a conversation's last message.
 */
const NOT_A_MESSAGE: ReadonlySet<Message["type"]> = new Set(["reaction", "edit", "revoke", "system"]);

function addMessage(draft: AtomSink, phoneNumberId: string, conversationKey: string | undefined, message: Message, direction: Direction): void {
  if (conversationKey === undefined || NOT_A_MESSAGE.has(message.type)) return;
  draft.putMessage(phoneNumberId, conversationKey, message.id, { timestamp: message.timestamp, direction });
}

function addHistoryMessages(draft: AtomSink, phoneNumberId: string, conversationKey: string | undefined, messages: readonly HistoryMessage[]): void {
  for (const message of messages) {
    draft.putHistoryMessage(phoneNumberId, message.id);
    addMessage(draft, phoneNumberId, conversationKey ?? customerKey(message, message.direction), message, message.direction);
  }
}

/** Adds one event's atoms to a draft. Events without a business (`phoneNumberId`) change nothing. */
export function addEvent(draft: AtomSink, event: CoexistenceEvent): void {
  const phoneNumberId = event.phoneNumberId;
  if (phoneNumberId === undefined) return;
  switch (event.type) {
    case "ContactAdded":
    case "ContactRemoved": {
      const key = identityKey(event.contact.phoneNumber, event.contact.userId);
      if (key === undefined) return;
      const kind = event.type === "ContactAdded" ? "add" : "remove";
      draft.putContact(phoneNumberId, key, { kind, timestamp: event.timestamp, contact: contactFieldsOf(event.contact) });
      return;
    }
    case "MessageEchoed":
      addMessage(draft, phoneNumberId, customerKey(event.message, "outbound"), event.message, "outbound");
      return;
    case "MessageReceived":
      addMessage(draft, phoneNumberId, customerKey(event.message, "inbound"), event.message, "inbound");
      return;
    case "HistoryChunk":
      // A chunk without metadata (seen in real traffic) adds its messages, but no chunk or progress.
      if (event.phase !== undefined && event.chunkOrder !== undefined) draft.putChunk(phoneNumberId, `${event.phase}:${event.chunkOrder}`);
      if (event.progress !== undefined) draft.putProgress(phoneNumberId, event.progress);
      for (const thread of event.threads) addHistoryMessages(draft, phoneNumberId, identityKey(thread.id, thread.userId), thread.messages);
      return;
    case "HistoryMedia":
      addHistoryMessages(draft, phoneNumberId, undefined, event.messages);
      return;
    case "HistoryDeclined":
      draft.putDeclined(phoneNumberId, declinedRecordOf(event));
      return;
    case "MessageStatusUpdated":
    case "UserIdChanged":
    case "UserPreferencesUpdated":
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
 * - a contact is identified by its phone number, or by its user id when it has no number;
 * - the newest `timestamp` wins; on equal timestamps a removal beats an add, and between two adds
 *   the one whose fields serialise greater (as JSON) wins, so every order gives the same result;
 * - a removal keeps a tombstone, so an older add arriving late does not bring the contact back;
 * - conversations count distinct message ids per customer; history chunks count distinct
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
