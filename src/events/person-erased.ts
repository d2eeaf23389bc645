/**
 * An event the application applies itself (it never comes from a webhook): a customer asked to be
 * forgotten. Everything of that person at or before `timestamp` goes: every identifier of theirs
 * (phone numbers, user ids, parent user ids, however they were linked, also later), their
 * address-book records, their messages (with the edits, reactions and statuses of each), and their
 * reactions. It stays gone: a webhook retried later (Meta retries for up to 7 days) brings nothing
 * of it back, while what the customer does after `timestamp` (a new message) starts a new record.
 *
 * @example
 * ```ts
 * const erased: PersonErased = { type: "PersonErased", phoneNumberId: "106540352242922", key: "+1 650-555-1234", timestamp: 1739321024 };
 * ```
 */
export interface PersonErased {
  readonly type: "PersonErased";
  readonly phoneNumberId: string;
  /** Any identifier of the person: a phone number in any format, a user id or a parent user id. */
  readonly key: string;
  /** Unix seconds: what is at or before it is erased. */
  readonly timestamp: number;
}

/**
 * Makes a {@link PersonErased}: erase the person `key` names, up to `at` (default now).
 *
 * @throws TypeError for an empty business id or key, or a time that is not one.
 * @example
 * ```ts
 * book = applyEvent(book, personErased("106540352242922", "+1 650-555-1234"));
 * await store.apply([personErased("106540352242922", "BR.2186878922080769", new Date())]);
 * ```
 */
export function personErased(phoneNumberId: string, key: string, at: number | Date = new Date()): PersonErased {
  if (typeof phoneNumberId !== "string" || phoneNumberId === "") throw new TypeError("personErased: give the business's phoneNumberId.");
  if (typeof key !== "string" || key.trim() === "")
    throw new TypeError("personErased: give an identifier of the person (a phone number, a user id or a parent user id).");
  const timestamp = at instanceof Date ? Math.floor(at.getTime() / 1000) : at;
  if (typeof timestamp !== "number" || !Number.isInteger(timestamp) || timestamp <= 0) {
    throw new TypeError(`personErased: at must be unix seconds or a Date, not ${String(at)}.`);
  }
  return { type: "PersonErased", phoneNumberId, key, timestamp };
}
