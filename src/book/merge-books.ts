/**
 * Merging books that workers built from different shares of the traffic.
 *
 * @module
 */
import { BookDraft } from "./book-draft.js";
import type { BusinessState, ContactBook } from "./book-state.js";
import { forEachEntry } from "./persistent-map.js";

/** How many atoms a book holds: the cost of folding it into another. */
function weight(book: ContactBook): number {
  let total = book.accounts.size;
  forEachEntry(book.businesses, (_, state) => {
    total +=
      state.messages.size +
      state.amendments.size +
      state.people.size +
      state.chunks.size +
      state.historyMessages.size +
      state.dropped.size +
      state.erasures.size;
  });
  return total;
}

/** Joins every atom of `state` into the draft's business. */
function addBusinessState(draft: BookDraft, phoneNumberId: string, state: BusinessState): void {
  // The horizon first: the other book's older pieces are then refused on arrival.
  draft.retain(phoneNumberId, state.retainedBefore);
  // Each identifier joined to its representative rebuilds the other book's people (and seen times).
  forEachEntry(state.people, (key, link) => {
    draft.link(phoneNumberId, [key], link.seenAt);
    if (key !== link.rep) draft.link(phoneNumberId, [key, link.rep], 0);
  });
  // Erasures before the data: what they cover is refused on arrival.
  forEachEntry(state.erasures, (key, timestamp) => draft.erase(phoneNumberId, [key], timestamp));
  forEachEntry(state.people, (key, link) => {
    if (link.contact !== undefined) draft.putContact(phoneNumberId, key, link.contact);
  });
  forEachEntry(state.messages, (messageId, record) => draft.putMessage(phoneNumberId, messageId, record));
  forEachEntry(state.amendments, (messageId, amendments) => {
    if (amendments.edit !== undefined) draft.putEdit(phoneNumberId, messageId, amendments.edit);
    if (amendments.revoked) draft.putRevoke(phoneNumberId, messageId, amendments.firstAt);
    if (amendments.firstAt !== undefined) draft.putAmendedAt(phoneNumberId, messageId, amendments.firstAt);
    if (amendments.reactions !== undefined) forEachEntry(amendments.reactions, (key, reaction) => draft.putReaction(phoneNumberId, messageId, key, reaction));
  });
  forEachEntry(state.dropped, (messageId, key) => draft.putDropped(phoneNumberId, messageId, key));
  forEachEntry(state.chunks, (key) => draft.putChunk(phoneNumberId, key));
  forEachEntry(state.historyMessages, (key) => draft.putHistoryMessage(phoneNumberId, key));
  draft.putProgress(phoneNumberId, state.progress);
  draft.putAccount(phoneNumberId, state.wabaId, state.displayNumber);
  if (state.declined !== undefined) draft.putDeclined(phoneNumberId, state.declined);
}

/**
 * Merges two books into the book built from the union of their events. Commutative, associative
 * and idempotent, so workers can each fold a share of the traffic and merge in any grouping.
 * Costs O(m log n) for the smaller book's m entries; a business only one book knows is shared,
 * not copied.
 *
 * @example
 * ```ts
 * const merged = mergeBooks(applyEvents(createContactBook(), shareA), applyEvents(createContactBook(), shareB));
 * ```
 */
export function mergeBooks(a: ContactBook, b: ContactBook): ContactBook {
  if (a === b) return a;
  const [base, other] = weight(a) >= weight(b) ? [a, b] : [b, a];
  const draft = new BookDraft(base);
  forEachEntry(other.businesses, (phoneNumberId, state) => {
    if (!draft.adoptBusiness(phoneNumberId, state)) addBusinessState(draft, phoneNumberId, state);
  });
  forEachEntry(other.accounts, (accountKey, record) => draft.putLifecycle(accountKey, record));
  return draft.commit();
}
