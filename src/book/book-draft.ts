/**
 * A batch of changes to a book: the atoms of events (or of another book) are joined into it, and
 * `commit` returns the new book, or the old one itself when nothing changed. Only nodes this draft
 * created are ever written to, so the book it started from is never mutated.
 *
 * @module
 */
import type { BusinessState, ContactBook, ContactRecord, ConversationRecord, DeclinedRecord, MessageRecord, PersonLink } from "./book-state.js";
import { EMPTY_BUSINESS } from "./book-state.js";
import { compareKeys, getEntry, hashKey, setEntry, type Owner } from "./persistent-map.js";

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

/**
 * The join of two records of one message: the later timestamp; outbound if either says so; the
 * smaller customer key (the draft links the two keys, so both name one person).
 */
export function joinMessage(a: MessageRecord, b: MessageRecord): MessageRecord {
  const timestamp = Math.max(a.timestamp, b.timestamp);
  const direction = a.direction === "outbound" || b.direction === "outbound" ? "outbound" : "inbound";
  const key = compareKeys(b.key, a.key) < 0 ? b.key : a.key;
  return timestamp === a.timestamp && direction === a.direction && key === a.key ? a : { timestamp, direction, key };
}

/**
 * The last message of a conversation on equal timestamps: the greater message id (JavaScript
 * string order), so every replica picks the same one.
 */
function isLater(timestamp: number, id: string, thanTimestamp: number, thanId: string): boolean {
  return timestamp > thanTimestamp || (timestamp === thanTimestamp && id > thanId);
}

/** The summary of two conversations that turned out to be one person's: counts add, the later last message wins. */
export function joinConversations(a: ConversationRecord | undefined, b: ConversationRecord | undefined): ConversationRecord | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const last = isLater(b.lastMessageAt, b.lastMessageId, a.lastMessageAt, a.lastMessageId) ? b : a;
  return {
    messageCount: a.messageCount + b.messageCount,
    lastMessageAt: last.lastMessageAt,
    lastMessageId: last.lastMessageId,
    lastDirection: last.lastDirection,
  };
}

/** The join of two refusals: the one whose JSON is greatest. */
export function joinDeclined(a: DeclinedRecord | undefined, b: DeclinedRecord): DeclinedRecord {
  return a === undefined || JSON.stringify(b) > JSON.stringify(a) ? b : a;
}

function startDraft(state: BusinessState, changed: boolean): BusinessDraft {
  return {
    messages: state.messages,
    people: state.people,
    chunks: state.chunks,
    historyMessages: state.historyMessages,
    progress: state.progress,
    declined: state.declined,
    changed,
  };
}

function endDraft(draft: BusinessDraft): BusinessState {
  return {
    messages: draft.messages,
    people: draft.people,
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

  /**
   * Joins an address-book record at its identity key, which the record's event has seen at its
   * timestamp (so a single-identifier contact needs no {@link link}: one write of the trie).
   */
  putContact(phoneNumberId: string, key: string, record: ContactRecord): void {
    const business = this.business(phoneNumberId);
    const hash = hashKey(key);
    const link = getEntry(business.people, key, hash);
    if (link === undefined) {
      const person = { rep: key, next: key, seenAt: record.timestamp, size: 1, conversation: undefined, contact: record };
      business.people = setEntry(business.people, key, person, this.owner, hash);
      business.changed = true;
      return;
    }
    const wins = link.contact === undefined || contactWins(record, link.contact);
    if (!wins && record.timestamp <= link.seenAt) return;
    const contact = wins ? record : link.contact;
    business.people = setEntry(business.people, key, { ...link, seenAt: Math.max(link.seenAt, record.timestamp), contact }, this.owner, hash);
    business.changed = true;
  }

  /**
   * Records that `keys` were seen together at `seenAt`: they belong to one person. Links only
   * accumulate, so the people are the connected groups of identifiers whatever the order. A union
   * re-points the smaller group's members (union by size), so an identifier is re-pointed at most
   * log2(n) times: O(log n) amortised per event.
   */
  link(phoneNumberId: string, keys: readonly string[], seenAt: number): void {
    if (keys.length === 0) return;
    const business = this.business(phoneNumberId);
    for (const key of keys) this.see(business, key, seenAt);
    for (let index = 1; index < keys.length; index++) this.union(business, keys[0] as string, keys[index] as string);
  }

  private see(business: BusinessDraft, key: string, seenAt: number): void {
    const hash = hashKey(key);
    const current = getEntry(business.people, key, hash);
    if (current === undefined) {
      business.people = setEntry(business.people, key, { rep: key, next: key, seenAt, size: 1, conversation: undefined, contact: undefined }, this.owner, hash);
    } else if (seenAt > current.seenAt) {
      business.people = setEntry(business.people, key, { ...current, seenAt }, this.owner, hash);
    } else return;
    business.changed = true;
  }

  private person(business: BusinessDraft, key: string): PersonLink {
    return getEntry(business.people, key) as PersonLink;
  }

  private union(business: BusinessDraft, a: string, b: string): void {
    const repA = this.person(business, a).rep;
    const repB = this.person(business, b).rep;
    if (repA === repB) return;
    const groupA = this.person(business, repA);
    const groupB = this.person(business, repB);
    const [big, small] = groupA.size >= groupB.size ? [repA, repB] : [repB, repA];
    let people = business.people;
    let member = small;
    do {
      const link = getEntry(people, member) as PersonLink;
      people = setEntry(people, member, { ...link, rep: big }, this.owner);
      member = link.next;
    } while (member !== small);
    // Splice the two rings into one by swapping the representatives' successors.
    const bigLink = getEntry(people, big) as PersonLink;
    const smallLink = getEntry(people, small) as PersonLink;
    people = setEntry(people, small, { ...smallLink, next: bigLink.next, size: 0, conversation: undefined }, this.owner);
    people = setEntry(
      people,
      big,
      {
        ...bigLink,
        next: smallLink.next,
        size: groupA.size + groupB.size,
        conversation: joinConversations(groupA.conversation, groupB.conversation),
      },
      this.owner,
    );
    business.people = people;
    business.changed = true;
  }

  /**
   * Joins a message record (keyed by message id) and updates its person's conversation summary.
   * The record's customer key must have been linked ({@link link}) first: every caller does.
   */
  putMessage(phoneNumberId: string, messageId: string, record: MessageRecord): void {
    const business = this.business(phoneNumberId);
    const current = getEntry(business.messages, messageId);
    // One message id seen with two customer keys: they are one person.
    if (current !== undefined && current.key !== record.key) this.union(business, current.key, record.key);
    const joined = current === undefined ? record : joinMessage(current, record);
    if (joined === current) return;
    business.messages = setEntry(business.messages, messageId, joined, this.owner);
    business.changed = true;
    const rep = this.person(business, joined.key).rep;
    const group = this.person(business, rep);
    const conversation = group.conversation;
    const isLast =
      conversation === undefined ||
      conversation.lastMessageId === messageId ||
      isLater(joined.timestamp, messageId, conversation.lastMessageAt, conversation.lastMessageId);
    const summary: ConversationRecord = {
      messageCount: (conversation?.messageCount ?? 0) + (current === undefined ? 1 : 0),
      lastMessageAt: isLast ? joined.timestamp : (conversation as ConversationRecord).lastMessageAt,
      lastMessageId: isLast ? messageId : (conversation as ConversationRecord).lastMessageId,
      lastDirection: isLast ? joined.direction : (conversation as ConversationRecord).lastDirection,
    };
    business.people = setEntry(business.people, rep, { ...group, conversation: summary }, this.owner);
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
