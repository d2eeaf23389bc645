/**
 * Who a contact or a conversation is about. A contact is identified by its phone number (digits),
 * or by its business-scoped user id when it has no number; keys are `p:<digits>` and `u:<user id>`.
 *
 * @module
 */
import { normalizePhone } from "../parsing/normalize.js";

const PHONE = "p:";
const USER = "u:";

/**
 * The identity key of a party: its phone number, else its user id.
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
 * The identity key for what a user asks about: a phone number in any format (`+1 555-123-0000`),
 * or a user id.
 *
 * @example
 * ```ts
 * lookupKey("+1 (650) 555-1234"); // "p:16505551234"
 * lookupKey("BR.2186878922080769"); // "u:BR.2186878922080769"
 * ```
 */
export function lookupKey(key: string): string {
  const trimmed = key.trim();
  const digits = normalizePhone(trimmed);
  return typeof digits === "string" ? PHONE + digits : USER + trimmed;
}

/** Whether a key is a user-id key, and its user id. */
export function userIdOfKey(key: string): string | undefined {
  return key.startsWith(USER) ? key.slice(USER.length) : undefined;
}

/** The party a key names, as `{ phoneNumber }` or `{ userId }`. */
export function partyOfKey(key: string): { phoneNumber: string } | { userId: string } {
  return key.startsWith(PHONE) ? { phoneNumber: key.slice(PHONE.length) } : { userId: key.slice(USER.length) };
}
