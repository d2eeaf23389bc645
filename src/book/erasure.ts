/**
 * Erasure in the book (`PersonErased`): a person's horizon is the latest erasure of any of its
 * identifiers, on every member; settling it erases what it covers. The draft calls it when a
 * horizon rises (an erasure, or two people joining with different horizons) and when an erased
 * identifier is seen again after its erasure.
 *
 * @module
 */
import { personLink, smallestShown } from "./book-state.js";
import { earliestPiece, type BusinessDraft, type DraftTools } from "./business-draft.js";
import { forEachPair } from "./ordered-set.js";
import { forEachEntry, getEntry, hashKey, removeEntry, setEntry, type PersistentMap } from "./persistent-map.js";
import type { Amendments, ReactionRecord } from "./timeline-records.js";

/**
 * Gives a person its erasure horizon (on every member), its smallest identifier not erased,
 * and erases what the horizon covers: address-book records, messages whose earliest piece is at
 * or before it (dropped as retention drops them, so their late pieces are refused), and the
 * person's own reactions. O(person + the business's amendments): erasures are rare.
 */
export function settleHorizon(draft: DraftTools, business: BusinessDraft, rep: string, horizon: number): void {
  const identifiers: [string, number][] = [];
  let member = rep;
  do {
    const link = draft.person(business, member);
    const contact = link.contact !== undefined && link.contact.timestamp <= horizon ? undefined : link.contact;
    if (link.horizon !== horizon || contact !== link.contact) {
      business.people = setEntry(
        business.people,
        member,
        personLink(link.rep, link.next, link.seenAt, link.size, link.timeline, contact, link.first, horizon),
        draft.owner,
      );
    }
    identifiers.push([member, link.seenAt]);
    member = link.next;
  } while (member !== rep);
  const group = draft.person(business, rep);
  business.people = setEntry(
    business.people,
    rep,
    personLink(group.rep, group.next, group.seenAt, group.size, group.timeline, group.contact, smallestShown(identifiers, horizon) as string, horizon),
    draft.owner,
  );
  // The contact list is rebuilt at the next listing (an erasure is rare; the person's place may have moved).
  business.contacts = undefined;
  business.changed = true;
  const doomed: string[] = [];
  if (group.timeline !== undefined) {
    forEachPair(group.timeline, (_, messageId) => {
      if (earliestPiece(business, messageId, hashKey(messageId)) <= horizon) doomed.push(messageId);
    });
  }
  for (const messageId of doomed) draft.dropMessage(business, messageId, hashKey(messageId), undefined);
  const reactions: [string, string][] = [];
  forEachEntry(business.amendments, (messageId, amendments) => {
    if (amendments.reactions === undefined) return;
    forEachEntry(amendments.reactions, (reactor, reaction) => {
      if (reaction.timestamp <= horizon && getEntry(business.people, reactor)?.rep === rep) reactions.push([messageId, reactor]);
    });
  });
  for (const [messageId, reactor] of reactions) {
    const amendments = getEntry(business.amendments, messageId) as Amendments;
    const left = removeEntry(amendments.reactions as PersistentMap<ReactionRecord>, reactor, draft.owner);
    business.amendments = setEntry(business.amendments, messageId, { ...amendments, reactions: left.size === 0 ? undefined : left }, draft.owner);
  }
}
