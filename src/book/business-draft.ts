/**
 * One business's working state inside a book draft: the state's fields, writable, and what the
 * draft keeps beside them; and the draft's tools that the rules kept in their own modules
 * (erasure.ts) call back through.
 *
 * @module
 */
import type { BusinessState, PersonLink } from "./book-state.js";
import { keepContactList, keptContactList } from "./contact-list.js";
import type { OrderedSet } from "./ordered-set.js";
import { getEntry, type Owner } from "./persistent-map.js";
import type { MessageRecord } from "./timeline-records.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A business while a draft changes it. */
export interface BusinessDraft extends Mutable<BusinessState> {
  changed: boolean;
  /** `hashKey` of the business id, computed once for the lookup and the commit. */
  readonly hash: number;
  /** The contact list, kept as the draft folds when the state it started from had one (see contact-list.ts). */
  contacts: OrderedSet | undefined;
}

/** A business draft of a state (`changed` when the state is new to the book). */
export function startDraft(state: BusinessState, changed: boolean, hash: number): BusinessDraft {
  return {
    hash,
    messages: state.messages,
    amendments: state.amendments,
    people: state.people,
    chunks: state.chunks,
    historyMessages: state.historyMessages,
    historyCount: state.historyCount,
    progress: state.progress,
    declined: state.declined,
    conversations: state.conversations,
    retainedBefore: state.retainedBefore,
    dropped: state.dropped,
    erasures: state.erasures,
    wabaId: state.wabaId,
    displayNumber: state.displayNumber,
    contacts: keptContactList(state),
    changed,
  };
}

/** The state a business draft ends as (keeping its contact list, when it has one). */
export function endDraft(draft: BusinessDraft): BusinessState {
  const state: BusinessState = {
    messages: draft.messages,
    amendments: draft.amendments,
    people: draft.people,
    chunks: draft.chunks,
    historyMessages: draft.historyMessages,
    historyCount: draft.historyCount,
    progress: draft.progress,
    declined: draft.declined,
    conversations: draft.conversations,
    retainedBefore: draft.retainedBefore,
    dropped: draft.dropped,
    erasures: draft.erasures,
    wabaId: draft.wabaId,
    displayNumber: draft.displayNumber,
  };
  if (draft.contacts !== undefined) keepContactList(state, draft.contacts);
  return state;
}

/**
 * Whether a message was dropped (by retention or an erasure): its tombstone is kept.
 *
 * @example
 * ```ts
 * if (isDropped(business, messageId, hashKey(messageId))) return;
 * ```
 */
export function isDropped(business: BusinessDraft, messageId: string, hash: number): boolean {
  return business.dropped.size > 0 && getEntry(business.dropped, messageId, hash) !== undefined;
}

/**
 * The time of a message's earliest piece: its stored record's, its amendments', and (when given) a
 * record arriving now. Retention and erasure drop a message by it.
 *
 * @example
 * ```ts
 * earliestPiece(business, messageId, hashKey(messageId)) <= horizon; // the erasure covers it
 * ```
 */
export function earliestPiece(business: BusinessDraft, messageId: string, hash: number, record?: MessageRecord): number {
  const stored = getEntry(business.messages, messageId, hash)?.firstAt ?? Infinity;
  const amended = getEntry(business.amendments, messageId, hash)?.firstAt ?? Infinity;
  return Math.min(record?.firstAt ?? Infinity, stored, amended);
}

/** What the rules in their own modules need of the draft. */
export interface DraftTools {
  /** The token of the nodes this draft made (and may still change). */
  readonly owner: Owner;
  /** The link of an identifier the business has. */
  person(business: BusinessDraft, key: string): PersonLink;
  /** Drops a message as retention does (its record, its amendments; its id kept). */
  dropMessage(business: BusinessDraft, messageId: string, hash: number, key: string | undefined): void;
}
