/**
 * A batch of changes to a book: the atoms of events (or of another book) are joined into it, and
 * `commit` returns the new book, or the old one itself when nothing changed. Only nodes this draft
 * created are ever written to, so the book it started from is never mutated.
 *
 * @module
 */
import type { BusinessState, ContactBook, ContactRecord, DeclinedRecord, MessageRecord } from "./book-state.js";
import { EMPTY_BUSINESS } from "./book-state.js";
import { getEntry, hashKey, setEntry, type Owner } from "./persistent-map.js";
import { userIdOfKey } from "./identity.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface BusinessDraft extends Mutable<BusinessState> {
  changed: boolean;
}

/**
 * Whether a contact record replaces the current one: the newer timestamp wins; on equal
 * timestamps a removal beats an add; between two adds (or two removals) the record whose fields
 * serialise greater wins, so every replica picks the same one.
 */
export function contactWins(candidate: ContactRecord, current: ContactRecord): boolean {
  if (candidate.timestamp !== current.timestamp) return candidate.timestamp > current.timestamp;
  if (candidate.kind !== current.kind) return candidate.kind === "remove";
  return JSON.stringify(candidate.contact) > JSON.stringify(current.contact);
}

/** The join of two records of one message: the later timestamp; outbound if either says so. */
export function joinMessage(a: MessageRecord, b: MessageRecord): MessageRecord {
  const timestamp = Math.max(a.timestamp, b.timestamp);
  const direction = a.direction === "outbound" || b.direction === "outbound" ? "outbound" : "inbound";
  return timestamp === a.timestamp && direction === a.direction ? a : { timestamp, direction };
}

function isLater(timestamp: number, id: string, thanTimestamp: number, thanId: string): boolean {
  return timestamp > thanTimestamp || (timestamp === thanTimestamp && id > thanId);
}

/** The join of two refusals: the one whose JSON is greatest. */
export function joinDeclined(a: DeclinedRecord | undefined, b: DeclinedRecord): DeclinedRecord {
  return a === undefined || JSON.stringify(b) > JSON.stringify(a) ? b : a;
}

function startDraft(state: BusinessState, changed: boolean): BusinessDraft {
  return {
    contacts: state.contacts,
    userIndex: state.userIndex,
    messages: state.messages,
    conversations: state.conversations,
    chunks: state.chunks,
    historyMessages: state.historyMessages,
    progress: state.progress,
    declined: state.declined,
    changed,
  };
}

function endDraft(draft: BusinessDraft): BusinessState {
  return {
    contacts: draft.contacts,
    userIndex: draft.userIndex,
    messages: draft.messages,
    conversations: draft.conversations,
    chunks: draft.chunks,
    historyMessages: draft.historyMessages,
    progress: draft.progress,
    declined: draft.declined,
  };
}

/** Accumulates changes to a book. */
export class BookDraft {
  private readonly owner: Owner = {};
  /** The business touched last, kept apart from `drafts` because most batches touch one. */
  private lastId: string | undefined;
  private lastDraft: BusinessDraft | undefined;
  private drafts: Map<string, BusinessDraft> | undefined;

  /** @param book - the book the changes start from (never mutated). */
  constructor(private readonly book: ContactBook) {}

  /** The working state of one business. */
  private business(phoneNumberId: string): BusinessDraft {
    if (phoneNumberId === this.lastId) return this.lastDraft as BusinessDraft;
    let draft = this.drafts?.get(phoneNumberId);
    if (draft === undefined) {
      draft = startDraft(getEntry(this.book.businesses, phoneNumberId) ?? EMPTY_BUSINESS, false);
      this.remember(phoneNumberId, draft);
    }
    this.lastId = phoneNumberId;
    this.lastDraft = draft;
    return draft;
  }

  private remember(phoneNumberId: string, draft: BusinessDraft): void {
    if (this.lastDraft === undefined) {
      this.lastId = phoneNumberId;
      this.lastDraft = draft;
      return;
    }
    this.drafts ??= new Map([[this.lastId as string, this.lastDraft]]);
    this.drafts.set(phoneNumberId, draft);
  }

  private has(phoneNumberId: string): boolean {
    return phoneNumberId === this.lastId || this.drafts?.has(phoneNumberId) === true;
  }

  /** Joins a contact record at its identity key. */
  putContact(phoneNumberId: string, key: string, record: ContactRecord): void {
    const business = this.business(phoneNumberId);
    const current = getEntry(business.contacts, key);
    if (current !== undefined && !contactWins(record, current)) return;
    business.contacts = setEntry(business.contacts, key, record, this.owner);
    business.changed = true;
    const userId = record.contact.userId;
    if (userId !== undefined && userIdOfKey(key) === undefined) {
      const keys = getEntry(business.userIndex, userId) ?? [];
      if (!keys.includes(key)) business.userIndex = setEntry(business.userIndex, userId, [...keys, key].sort(), this.owner);
    }
  }

  /** Joins a message record into its conversation and updates the conversation's summary. */
  putMessage(phoneNumberId: string, conversationKey: string, messageId: string, record: MessageRecord): void {
    const business = this.business(phoneNumberId);
    const messageKey = `${conversationKey}\n${messageId}`;
    const messageHash = hashKey(messageKey);
    const current = getEntry(business.messages, messageKey, messageHash);
    const joined = current === undefined ? record : joinMessage(current, record);
    if (joined === current) return;
    business.messages = setEntry(business.messages, messageKey, joined, this.owner, messageHash);
    business.changed = true;
    const conversationHash = hashKey(conversationKey);
    const conversation = getEntry(business.conversations, conversationKey, conversationHash);
    const isLast =
      conversation === undefined ||
      conversation.lastMessageId === messageId ||
      isLater(joined.timestamp, messageId, conversation.lastMessageAt, conversation.lastMessageId);
    business.conversations = setEntry(
      business.conversations,
      conversationKey,
      {
        messageCount: (conversation?.messageCount ?? 0) + (current === undefined ? 1 : 0),
        lastMessageAt: isLast ? joined.timestamp : (conversation as { lastMessageAt: number }).lastMessageAt,
        lastMessageId: isLast ? messageId : (conversation as { lastMessageId: string }).lastMessageId,
        lastDirection: isLast ? joined.direction : (conversation as { lastDirection: MessageRecord["direction"] }).lastDirection,
      },
      this.owner,
      conversationHash,
    );
  }

  /** Adds a history chunk (`<phase>:<chunk order>`) to the set of chunks seen. */
  putChunk(phoneNumberId: string, chunkKey: string): void {
    const business = this.business(phoneNumberId);
    const chunks = setEntry(business.chunks, chunkKey, true, this.owner);
    if (chunks !== business.chunks) {
      business.chunks = chunks;
      business.changed = true;
    }
  }

  /** Adds a message id to the set of history messages seen. */
  putHistoryMessage(phoneNumberId: string, messageId: string): void {
    const business = this.business(phoneNumberId);
    const historyMessages = setEntry(business.historyMessages, messageId, true, this.owner);
    if (historyMessages !== business.historyMessages) {
      business.historyMessages = historyMessages;
      business.changed = true;
    }
  }

  /** Raises the history progress to `progress` if it is higher. */
  putProgress(phoneNumberId: string, progress: number): void {
    const business = this.business(phoneNumberId);
    if (progress <= business.progress) return;
    business.progress = progress;
    business.changed = true;
  }

  /** Records a refusal of the history sync (sticky). */
  putDeclined(phoneNumberId: string, declined: DeclinedRecord): void {
    const business = this.business(phoneNumberId);
    const joined = joinDeclined(business.declined, declined);
    if (joined === business.declined) return;
    business.declined = joined;
    business.changed = true;
  }

  /** Takes a whole business state from another book (when this book has none for it). */
  adoptBusiness(phoneNumberId: string, state: BusinessState): boolean {
    if (this.has(phoneNumberId) || getEntry(this.book.businesses, phoneNumberId) !== undefined) return false;
    this.remember(phoneNumberId, startDraft(state, true));
    return true;
  }

  /** The resulting book: `book` itself when nothing changed. */
  commit(): ContactBook {
    let businesses = this.book.businesses;
    const drafts = this.drafts ?? (this.lastDraft === undefined ? [] : [[this.lastId as string, this.lastDraft] as const]);
    for (const [phoneNumberId, draft] of drafts) {
      if (draft.changed) businesses = setEntry(businesses, phoneNumberId, endDraft(draft), this.owner);
    }
    return businesses === this.book.businesses ? this.book : { businesses };
  }
}
