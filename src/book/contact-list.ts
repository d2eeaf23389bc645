/**
 * The contact list's order: every person with an address-book record, as `(0, smallest
 * identifier)` in an ordered set, so a page of `listContacts` costs O(log n + limit). The list is
 * built the first time a business's contacts are listed and from then on kept as the book folds
 * (each draft updates the list of the state it started from): a book nobody lists contacts of pays
 * nothing for it (keeping it always doubled the cost of an address-book event).
 *
 * @module
 */
import type { BusinessState, PersonLink } from "./book-state.js";
import { EMPTY_SET, insertPair, type OrderedSet } from "./ordered-set.js";
import { forEachEntry, getEntry } from "./persistent-map.js";

/** Each business state's contact list, once built (states are immutable, so it stays right). */
const LISTS = /* @__PURE__ */ new WeakMap<BusinessState, OrderedSet>();

/**
 * The contact list of a business state, when it has been built (a draft keeps it up to date).
 *
 * @example
 * ```ts
 * const list = keptContactList(state); // undefined until the business's contacts are listed
 * ```
 */
export function keptContactList(state: BusinessState): OrderedSet | undefined {
  return LISTS.get(state);
}

/**
 * Remembers a state's contact list (a draft's, kept as it folded).
 *
 * @example
 * ```ts
 * keepContactList(next, list);
 * ```
 */
export function keepContactList(state: BusinessState, list: OrderedSet): void {
  LISTS.set(state, list);
}

/**
 * The contact list of a business state: kept, or built now from its people (O(n log n), once).
 *
 * @example
 * ```ts
 * idsAfter(contactListOf(state), undefined, 50); // the first 50 people's smallest identifiers
 * ```
 */
export function contactListOf(state: BusinessState): OrderedSet {
  const kept = LISTS.get(state);
  if (kept !== undefined) return kept;
  const listed = new Set<string>();
  forEachEntry(state.people, (_key, link: PersonLink) => {
    if (link.contact !== undefined) listed.add(link.rep);
  });
  const owner = {};
  let list = EMPTY_SET;
  for (const rep of listed) list = insertPair(list, 0, (getEntry(state.people, rep) as PersonLink).first, owner);
  LISTS.set(state, list);
  return list;
}
