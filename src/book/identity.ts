/**
 * The identifiers of a customer as the book keys them: `p:<digits>` for a phone number,
 * `u:<user id>` for a business-scoped user id (BSUID), `v:<parent user id>` for a parent BSUID (the prefixes sort phone numbers, then user ids, then parent user ids).
 * One person may have many of each (see `people.ts`).
 *
 * @module
 */
import type { CustomerIds } from "../events/parts.js";
import { normalizePhone } from "../core/normalize.js";
import { compareKeys } from "./persistent-map.js";

const PHONE = "p:";
const USER = "u:";
const PARENT = "v:";

/**
 * The identity key of a party for its address-book record: its phone number, else its user id.
 *
 * @returns the key, or `undefined` when neither is known.
 * @example
 * ```ts
 * identityKey("16505551234", "US.1"); // "p:16505551234"
 * identityKey(undefined, "BR.2186878922080769"); // "u:BR.2186878922080769"
 * ```
 */
export function identityKey(phoneNumber: string | undefined, userId: string | undefined): string | undefined {
  if (phoneNumber !== undefined) return PHONE + phoneNumber;
  if (userId !== undefined) return USER + userId;
  return undefined;
}

/**
 * Every identifier of a party, as keys: phone number, user id, parent user id (those it has).
 *
 * @example
 * ```ts
 * keysOf({ phoneNumber: "16505551234", userId: "US.1" }); // ["p:16505551234", "u:US.1"]
 * ```
 */
export function keysOf(ids: CustomerIds, into: string[] = []): string[] {
  if (ids.phoneNumber !== undefined) into.push(PHONE + ids.phoneNumber);
  if (ids.userId !== undefined) into.push(USER + ids.userId);
  if (ids.parentUserId !== undefined) into.push(PARENT + ids.parentUserId);
  return into;
}

/**
 * The keys a user may mean by `key`: a phone number in any format (`+1 555-123-0000`), else a
 * user id, else a parent user id, in that order of preference.
 *
 * @example
 * ```ts
 * lookupKeys("+1 (650) 555-1234"); // ["p:16505551234"]
 * lookupKeys("BR.2186878922080769"); // ["u:BR.2186878922080769", "v:BR.2186878922080769"]
 * ```
 */
export function lookupKeys(key: string): string[] {
  const trimmed = key.trim();
  const digits = normalizePhone(trimmed);
  return typeof digits === "string" ? [PHONE + digits] : [USER + trimmed, PARENT + trimmed];
}

/**
 * The identifiers of one person, each list sorted.
 *
 * @example
 * ```ts
 * const identity: Identity = { phoneNumbers: ["16505551234"], userIds: ["US.13491208655302741918"], parentUserIds: [] };
 * ```
 */
export interface Identity {
  readonly phoneNumbers: string[];
  readonly userIds: string[];
  readonly parentUserIds: string[];
}

/** Sorts keys into an {@link Identity}. */
export function identityOfKeys(keys: readonly string[]): Identity {
  const identity: Identity = { phoneNumbers: [], userIds: [], parentUserIds: [] };
  for (const key of keys) {
    const value = key.slice(2);
    if (key.startsWith(PHONE)) identity.phoneNumbers.push(value);
    else if (key.startsWith(USER)) identity.userIds.push(value);
    else identity.parentUserIds.push(value);
  }
  for (const list of [identity.phoneNumbers, identity.userIds, identity.parentUserIds]) list.sort(compareKeys);
  return identity;
}

/** Whether a key names a phone number, and which. */
export function phoneOfKey(key: string): string | undefined {
  return key.startsWith(PHONE) ? key.slice(PHONE.length) : undefined;
}

/** Whether a key names a user id, and which. */
export function userIdOfKey(key: string): string | undefined {
  return key.startsWith(USER) ? key.slice(USER.length) : undefined;
}

/** The party a key names, as `{ phoneNumber }` or `{ userId }` (a parent user id reads as a user id). */
export function partyOfKey(key: string): { phoneNumber: string } | { userId: string } {
  return key.startsWith(PHONE) ? { phoneNumber: key.slice(PHONE.length) } : { userId: key.slice(2) };
}

/** The pattern every identity key matches. */
export const IDENTITY_KEY = /^[puv]:./s;
