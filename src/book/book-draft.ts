/**
 * A batch of changes to a book: the atoms of events (or of another book) are joined into it, and
 * `commit` returns the new book, or the old one itself when nothing changed. Only nodes this draft
 * created are ever written to, so the book it started from is never mutated.
 *
 * @module
 */
import type { BusinessState, ContactBook, ContactRecord, DeclinedRecord, LifecycleRecord, PersonLink } from "./book-state.js";
import { EMPTY_BUSINESS, isErased, personLink } from "./book-state.js";
import { displayDigits } from "./connection.js";
import { earliestPiece, endDraft, isDropped, startDraft, type BusinessDraft, type DraftTools } from "./business-draft.js";
import { settleHorizon } from "./erasure.js";
import { EMPTY_SET, forEachPair, hasPair, insertPair, lastPair, removePair, type OrderedSet } from "./ordered-set.js";
import { emptyMap, forEachEntry, getEntry, hashKey, removeEntry, setEntry, type Owner } from "./persistent-map.js";
import { accountValueWins, contactWins, editWins, joinDeclined, joinMessage, lifecycleWins, reactionWins } from "./precedence.js";
import { earliest, NO_AMENDMENTS, type Amendments, type EditRecord, type MessageRecord, type ReactionRecord } from "./timeline-records.js";

/** Accumulates changes to a book. */
export class BookDraft implements DraftTools {
  /** @internal */
  readonly owner: Owner = {};
  /** The business touched last, kept apart from `drafts` because most batches touch one. */
  private lastId: string | undefined;
  private lastDraft: BusinessDraft | undefined;
  private drafts: Map<string, BusinessDraft> | undefined;
  private accounts: ContactBook["accounts"];

  /** @param book - the book the changes start from (never mutated). */
  constructor(private readonly book: ContactBook) {
    this.accounts = book.accounts;
  }

  /** The working state of one business. */
  private business(phoneNumberId: string): BusinessDraft {
    if (phoneNumberId === this.lastId) return this.lastDraft as BusinessDraft;
    let draft = this.drafts?.get(phoneNumberId);
    if (draft === undefined) {
      const hash = hashKey(phoneNumberId);
      draft = startDraft(getEntry(this.book.businesses, phoneNumberId, hash) ?? EMPTY_BUSINESS, false, hash);
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
      business.people = setEntry(business.people, key, personLink(key, key, record.timestamp, 1, undefined, record, key, 0), this.owner, hash);
      if (business.contacts !== undefined) business.contacts = insertPair(business.contacts, 0, key, this.owner);
      business.changed = true;
      return;
    }
    // A record at or before the person's erasure is gone, as it would be had it come first.
    const wins = record.timestamp > link.horizon && (link.contact === undefined || contactWins(record, link.contact));
    if (!wins && record.timestamp <= link.seenAt) return;
    const contact = wins ? record : link.contact;
    business.people = setEntry(
      business.people,
      key,
      personLink(link.rep, link.next, Math.max(link.seenAt, record.timestamp), link.size, link.timeline, contact, link.first, link.horizon),
      this.owner,
      hash,
    );
    // The key's first record: its person is listed (by its smallest identifier) if it was not.
    if (link.contact === undefined && business.contacts !== undefined) {
      business.contacts = insertPair(business.contacts, 0, this.person(business, link.rep).first, this.owner);
    }
    business.changed = true;
    this.seenAgain(business, link, record.timestamp);
  }

  /** An erased identifier (`link`, as it was) seen again at `seenAt`, after its person's erasure, shows again: the person is settled anew. */
  private seenAgain(business: BusinessDraft, link: PersonLink, seenAt: number): void {
    if (isErased(link) && !isErased({ seenAt, horizon: link.horizon })) settleHorizon(this, business, link.rep, link.horizon);
  }

  /** Moves a person in the conversation list as its newest entry goes from `before` to `after`. */
  private listConversation(business: BusinessDraft, before: [number, string] | undefined, after: [number, string] | undefined): void {
    if (before !== undefined && after !== undefined && before[0] === after[0] && before[1] === after[1]) return;
    if (before !== undefined) business.conversations = removePair(business.conversations, before[0], before[1], this.owner);
    if (after !== undefined) business.conversations = insertPair(business.conversations, after[0], after[1], this.owner);
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
      business.people = setEntry(business.people, key, personLink(key, key, seenAt, 1, undefined, undefined, key, 0), this.owner, hash);
    } else if (seenAt > current.seenAt) {
      business.people = setEntry(
        business.people,
        key,
        personLink(current.rep, current.next, seenAt, current.size, current.timeline, current.contact, current.first, current.horizon),
        this.owner,
        hash,
      );
      this.seenAgain(business, current, seenAt);
    } else return;
    business.changed = true;
  }

  /** @internal */
  person(business: BusinessDraft, key: string): PersonLink {
    return getEntry(business.people, key) as PersonLink;
  }

  private union(business: BusinessDraft, a: string, b: string): void {
    const repA = this.person(business, a).rep;
    const repB = this.person(business, b).rep;
    if (repA === repB) return;
    const groupA = this.person(business, repA);
    const groupB = this.person(business, repB);
    // The conversation list's entries of the two, read before the timelines change.
    const newestA = groupA.timeline === undefined ? undefined : lastPair(groupA.timeline);
    const newestB = groupB.timeline === undefined ? undefined : lastPair(groupB.timeline);
    const [big, small] = groupA.size >= groupB.size ? [repA, repB] : [repB, repA];
    let people = business.people;
    let member = small;
    do {
      const link = getEntry(people, member) as PersonLink;
      people = setEntry(people, member, personLink(big, link.next, link.seenAt, link.size, link.timeline, link.contact, link.first, link.horizon), this.owner);
      member = link.next;
    } while (member !== small);
    // Splice the two rings into one by swapping the representatives' successors.
    const bigLink = getEntry(people, big) as PersonLink;
    const smallLink = getEntry(people, small) as PersonLink;
    people = setEntry(
      people,
      small,
      personLink(smallLink.rep, bigLink.next, smallLink.seenAt, 0, undefined, smallLink.contact, smallLink.first, smallLink.horizon),
      this.owner,
    );
    const timeline = this.joinTimelines(groupA.timeline, groupB.timeline);
    const first = groupA.first < groupB.first ? groupA.first : groupB.first;
    people = setEntry(
      people,
      big,
      personLink(bigLink.rep, smallLink.next, bigLink.seenAt, groupA.size + groupB.size, timeline, bigLink.contact, first, bigLink.horizon),
      this.owner,
    );
    business.people = people;
    // The contact list (when kept): one entry for the joined person, at its smallest identifier, if either was listed.
    if (business.contacts !== undefined) {
      const listedA = hasPair(business.contacts, 0, groupA.first);
      const listedB = hasPair(business.contacts, 0, groupB.first);
      if (listedA) business.contacts = removePair(business.contacts, 0, groupA.first, this.owner);
      if (listedB) business.contacts = removePair(business.contacts, 0, groupB.first, this.owner);
      if (listedA || listedB) business.contacts = insertPair(business.contacts, 0, first, this.owner);
    }
    business.changed = true;
    const newest = timeline === undefined ? undefined : lastPair(timeline);
    this.listConversation(business, newestA, undefined);
    this.listConversation(business, newestB, newest);
    // One of the two was erased later than the other: the joined person is erased up to the later time.
    if (groupA.horizon !== groupB.horizon) settleHorizon(this, business, big, Math.max(groupA.horizon, groupB.horizon));
  }

  /**
   * Erases the person an identifier names (its possible keys) at or before `timestamp`: the
   * identifiers are marked (so what comes later at or before that time is refused), and the
   * person's horizon rises.
   */
  erase(phoneNumberId: string, keys: readonly string[], timestamp: number): void {
    const business = this.business(phoneNumberId);
    for (const key of keys) {
      const hash = hashKey(key);
      if ((getEntry(business.erasures, key, hash) ?? 0) >= timestamp) continue;
      business.erasures = setEntry(business.erasures, key, timestamp, this.owner, hash);
      business.changed = true;
      // An identifier never seen is kept (unseen, so hidden) to hold its erasure.
      if (getEntry(business.people, key, hash) === undefined) {
        business.people = setEntry(business.people, key, personLink(key, key, 0, 1, undefined, undefined, key, 0), this.owner, hash);
      }
      const rep = this.person(business, key).rep;
      const horizon = this.person(business, rep).horizon;
      if (timestamp > horizon) settleHorizon(this, business, rep, timestamp);
    }
  }

  /**
   * The timeline of two people who turned out to be one: the smaller one's pairs inserted into the
   * larger, so a message moves at most log2(n) times however the people join.
   */
  private joinTimelines(a: OrderedSet | undefined, b: OrderedSet | undefined): OrderedSet | undefined {
    if (a === undefined || b === undefined) return a ?? b;
    const [larger, from] = a.size >= b.size ? [a, b] : [b, a];
    let into = larger;
    forEachPair(from, (time, id) => {
      into = insertPair(into, time, id, this.owner);
    });
    return into;
  }

  /**
   * Joins a message record (keyed by message id) and moves the message to its place in its
   * person's timeline. The record's customer key must have been linked ({@link link}) first: every
   * caller does.
   */
  putMessage(phoneNumberId: string, messageId: string, record: MessageRecord): void {
    const business = this.business(phoneNumberId);
    const hash = hashKey(messageId);
    // A piece of a message that retention dropped (or older than its horizon): refused, but its customer still links.
    if (isDropped(business, messageId, hash) || record.firstAt < business.retainedBefore) return this.refuse(business, phoneNumberId, messageId, hash, record);
    let current = getEntry(business.messages, messageId, hash);
    // One message id seen with two customer keys: they are one person.
    if (current !== undefined && current.key !== record.key) {
      this.union(business, current.key, record.key);
      // Joining an erased person may have dropped the message.
      current = getEntry(business.messages, messageId, hash);
      if (current === undefined) return this.refuse(business, phoneNumberId, messageId, hash, record);
    }
    // A message of an erased person whose earliest piece is at or before the erasure: gone for good.
    const horizon = business.erasures.size > 0 ? this.person(business, record.key).horizon : 0;
    if (horizon > 0 && earliestPiece(business, messageId, hash, record) <= horizon) return this.refuse(business, phoneNumberId, messageId, hash, record);
    let joined = current === undefined ? record : joinMessage(current, record);
    if (joined === current) return;
    // History ids are counted once: on the record, or (without one) in the history set.
    const listed = getEntry(business.historyMessages, messageId, hash) === true;
    if (listed && !joined.history) joined = { ...joined, history: true };
    if (joined.history && current?.history !== true && !listed) business.historyCount++;
    business.messages = setEntry(business.messages, messageId, joined, this.owner, hash);
    business.changed = true;
    if (current !== undefined && current.timestamp === joined.timestamp) return;
    const link = this.person(business, joined.key);
    // Most people have one identifier: the key is its own representative, read once.
    const rep = link.rep;
    const group = rep === joined.key ? link : this.person(business, rep);
    const newestBefore = group.timeline === undefined ? undefined : lastPair(group.timeline);
    let timeline = group.timeline ?? EMPTY_SET;
    if (current !== undefined) timeline = removePair(timeline, current.timestamp, messageId, this.owner);
    timeline = insertPair(timeline, joined.timestamp, messageId, this.owner);
    this.listConversation(business, newestBefore, lastPair(timeline));
    // A timeline this draft made changes in place: the person's entry already points to it.
    if (timeline !== group.timeline)
      business.people = setEntry(
        business.people,
        rep,
        personLink(group.rep, group.next, group.seenAt, group.size, timeline, group.contact, group.first, group.horizon),
        this.owner,
      );
  }

  /**
   * Joins an amendment of message `messageId` made at `at` (the amending message's time, when
   * known): `change` gives the amendments with it.
   */
  private amend(phoneNumberId: string, messageId: string, at: number | undefined, change: (current: Amendments) => Amendments): void {
    const business = this.business(phoneNumberId);
    const hash = hashKey(messageId);
    if (isDropped(business, messageId, hash) || (at !== undefined && at < business.retainedBefore)) {
      this.dropMessage(business, messageId, hash, undefined);
      return;
    }
    // An amendment at or before the erasure of the message's person makes the message's earliest piece erased.
    if (business.erasures.size > 0 && at !== undefined) {
      const record = getEntry(business.messages, messageId, hash);
      if (record !== undefined && at <= this.person(business, record.key).horizon) {
        this.dropMessage(business, messageId, hash, undefined);
        return;
      }
    }
    const current = getEntry(business.amendments, messageId, hash) ?? NO_AMENDMENTS;
    const changed = change(current);
    const firstAt = earliest(current.firstAt, at);
    const next = firstAt === changed.firstAt ? changed : { ...changed, firstAt };
    if (next === current) return;
    business.amendments = setEntry(business.amendments, messageId, next, this.owner, hash);
    business.changed = true;
  }

  /** Joins an edit of message `messageId`: the latest edit wins. */
  putEdit(phoneNumberId: string, messageId: string, edit: EditRecord): void {
    this.amend(phoneNumberId, messageId, edit.timestamp, (current) => (editWins(edit, current.edit) ? { ...current, edit } : current));
  }

  /** Records that message `messageId` was revoked (sticky), by a message of time `timestamp` (when known). */
  putRevoke(phoneNumberId: string, messageId: string, timestamp: number | undefined): void {
    this.amend(phoneNumberId, messageId, timestamp, (current) => (current.revoked ? current : { ...current, revoked: true }));
  }

  /**
   * Joins a reaction to message `messageId` by the reactor `reactorKey`: its latest reaction wins. A
   * reaction of an erased person at or before the erasure is gone (its time still counts among the
   * message's pieces).
   */
  putReaction(phoneNumberId: string, messageId: string, reactorKey: string, reaction: ReactionRecord): void {
    const business = this.business(phoneNumberId);
    const erased = business.erasures.size > 0 && reaction.timestamp <= (getEntry(business.people, reactorKey)?.horizon ?? 0);
    this.amend(phoneNumberId, messageId, reaction.timestamp, (current) => {
      if (erased) return current;
      const reactions = current.reactions ?? emptyMap<ReactionRecord>();
      if (!reactionWins(reaction, getEntry(reactions, reactorKey))) return current;
      return { ...current, reactions: setEntry(reactions, reactorKey, reaction, this.owner) };
    });
  }

  /** Joins the time of the earliest amendment of message `messageId` (another book's, when merging or restoring). */
  putAmendedAt(phoneNumberId: string, messageId: string, at: number): void {
    this.amend(phoneNumberId, messageId, at, (current) => current);
  }

  /**
   * Keeps a business's messages from `before` on (the horizon only rises): every message with a
   * piece older than it is dropped, with its amendments. O(n) in the business's messages, once
   * per rise.
   */
  retain(phoneNumberId: string, before: number): void {
    const business = this.business(phoneNumberId);
    if (before <= business.retainedBefore) return;
    business.retainedBefore = before;
    business.changed = true;
    const doomed: string[] = [];
    forEachEntry(business.messages, (messageId, record) => {
      if (record.firstAt < before) doomed.push(messageId);
    });
    forEachEntry(business.amendments, (messageId, amendments) => {
      if (amendments.firstAt !== undefined && amendments.firstAt < before) doomed.push(messageId);
    });
    for (const messageId of doomed) this.dropMessage(business, messageId, hashKey(messageId), undefined);
  }

  /** Marks a message dropped (another book's tombstone, when merging or restoring), with the customer key it was seen with ("" for none). */
  putDropped(phoneNumberId: string, messageId: string, key: string): void {
    this.dropMessage(this.business(phoneNumberId), messageId, hashKey(messageId), key === "" ? undefined : key);
  }

  /**
   * Drops a message: its record leaves its person's timeline (and the conversation list), its
   * amendments go, and its id stays as a tombstone with the smallest customer key seen with it. A
   * key seen with the message before (or now) joins the tombstone's person, as a record would
   * have joined them. A history id stays counted.
   *
   * @internal
   */
  dropMessage(business: BusinessDraft, messageId: string, hash: number, key: string | undefined): void {
    const tomb = getEntry(business.dropped, messageId, hash);
    const record = getEntry(business.messages, messageId, hash);
    let kept = tomb === undefined || tomb === "" ? undefined : tomb;
    for (const seen of [record?.key, key]) {
      if (seen === undefined) continue;
      if (kept !== undefined && kept !== seen) this.union(business, kept, seen);
      if (kept === undefined || seen < kept) kept = seen;
    }
    if (record !== undefined) this.forget(business, messageId, hash, record);
    if (getEntry(business.amendments, messageId, hash) !== undefined) business.amendments = removeEntry(business.amendments, messageId, this.owner, hash);
    const dropped = setEntry(business.dropped, messageId, kept ?? "", this.owner, hash);
    if (dropped !== business.dropped) {
      business.dropped = dropped;
      business.changed = true;
    }
  }

  /** Refuses a record of a message that is dropped (or is dropped by it): its key still joins the tombstone's, and a history id stays counted. */
  private refuse(business: BusinessDraft, phoneNumberId: string, messageId: string, hash: number, record: MessageRecord): void {
    this.dropMessage(business, messageId, hash, record.key);
    if (record.history) this.putHistoryMessage(phoneNumberId, messageId);
  }

  /** Takes a record out of the messages and its person's timeline (moving the conversation list); a history id moves to the history set. */
  private forget(business: BusinessDraft, messageId: string, hash: number, record: MessageRecord): void {
    business.messages = removeEntry(business.messages, messageId, this.owner, hash);
    if (record.history && getEntry(business.historyMessages, messageId, hash) !== true) {
      business.historyMessages = setEntry(business.historyMessages, messageId, true, this.owner, hash);
    }
    const rep = this.person(business, record.key).rep;
    const group = this.person(business, rep);
    const before = group.timeline === undefined ? undefined : lastPair(group.timeline);
    let timeline: OrderedSet | undefined = removePair(group.timeline ?? EMPTY_SET, record.timestamp, messageId, this.owner);
    if (timeline.size === 0) timeline = undefined;
    this.listConversation(business, before, timeline === undefined ? undefined : lastPair(timeline));
    business.people = setEntry(
      business.people,
      rep,
      personLink(group.rep, group.next, group.seenAt, group.size, timeline, group.contact, group.first, group.horizon),
      this.owner,
    );
    business.changed = true;
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

  /** Adds a message id to those seen in history: a flag on its record, or the set of ids without one. */
  putHistoryMessage(phoneNumberId: string, messageId: string): void {
    const business = this.business(phoneNumberId);
    const hash = hashKey(messageId);
    const record = getEntry(business.messages, messageId, hash);
    if (record !== undefined) {
      if (record.history) return;
      business.messages = setEntry(business.messages, messageId, { ...record, history: true }, this.owner, hash);
      if (getEntry(business.historyMessages, messageId, hash) !== true) business.historyCount++;
      business.changed = true;
      return;
    }
    const historyMessages = setEntry(business.historyMessages, messageId, true, this.owner, hash);
    if (historyMessages !== business.historyMessages) {
      business.historyMessages = historyMessages;
      business.historyCount++;
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

  /**
   * Records the WABA and display number an event names for its business (the number as digits).
   * Both are constant in real traffic; should two differ, the greater is kept, so every order agrees.
   */
  putAccount(phoneNumberId: string, wabaId: string | undefined, displayPhoneNumber: string | undefined): void {
    const business = this.business(phoneNumberId);
    // The usual WABA is the one kept: one comparison, as for the display number below.
    if (wabaId !== business.wabaId && accountValueWins(wabaId, business.wabaId)) {
      business.wabaId = wabaId;
      business.changed = true;
    }
    // The usual display number is digits already, and the one kept: one comparison.
    if (displayPhoneNumber === undefined || displayPhoneNumber === business.displayNumber) return;
    const displayNumber = displayDigits(displayPhoneNumber);
    if (accountValueWins(displayNumber, business.displayNumber)) {
      business.displayNumber = displayNumber;
      business.changed = true;
    }
  }

  /** Joins a lifecycle record of an account (see `lifecycleAccountKey`): the newest wins. */
  putLifecycle(accountKey: string, record: LifecycleRecord): void {
    if (lifecycleWins(record, getEntry(this.accounts, accountKey))) this.accounts = setEntry(this.accounts, accountKey, record, this.owner);
  }

  /** Takes a whole business state from another book (when this book has none for it). */
  adoptBusiness(phoneNumberId: string, state: BusinessState): boolean {
    if (this.has(phoneNumberId) || getEntry(this.book.businesses, phoneNumberId) !== undefined) return false;
    this.remember(phoneNumberId, startDraft(state, true, hashKey(phoneNumberId)));
    return true;
  }

  /** The resulting book: `book` itself when nothing changed. */
  commit(): ContactBook {
    let businesses = this.book.businesses;
    const drafts = this.drafts ?? (this.lastDraft === undefined ? [] : [[this.lastId as string, this.lastDraft] as const]);
    for (const [phoneNumberId, draft] of drafts) {
      if (draft.changed) businesses = setEntry(businesses, phoneNumberId, endDraft(draft), this.owner, draft.hash);
    }
    if (businesses === this.book.businesses && this.accounts === this.book.accounts) return this.book;
    return { businesses, accounts: this.accounts };
  }
}
