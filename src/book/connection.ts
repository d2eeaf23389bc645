/**
 * The connection of a coexistence number to its provider, from the `account_update` lifecycle
 * events: what the book keeps of each (a {@link LifecycleRecord}, under the account it names) and
 * the answer {@link connectionOf} makes of the records that concern one business. The book and the
 * PostgreSQL store both answer with it.
 *
 * @module
 */
import { DISCONNECTING_EVENTS, type AccountLifecycleChanged, type AccountLifecycleEvent } from "../events/account-lifecycle-changed.js";
import type { LifecycleRecord } from "./book-state.js";
import { normalizePhone } from "../core/normalize.js";
import { lifecycleWins } from "./precedence.js";

/**
 * A business number's connection to the provider, from the newest lifecycle event about it:
 * `connected` after `PARTNER_ADDED`, `PARTNER_APP_INSTALLED` or `ACCOUNT_RECONNECTED`,
 * `disconnected` after `PARTNER_REMOVED` (with its `reason` and `initiatedBy`), `ACCOUNT_OFFBOARDED`
 * or `PARTNER_APP_UNINSTALLED`, and `unknown` before any.
 *
 * @example
 * ```ts
 * const connection: Connection = { state: "disconnected", since: 1739400000, event: "PARTNER_REMOVED", reason: "COMPANION_INACTIVITY", initiatedBy: "SYSTEM" };
 * ```
 */
export interface Connection {
  readonly state: "connected" | "disconnected" | "unknown";
  /** When the event that decided the state happened (unix seconds), when its envelope said. */
  readonly since?: number;
  /** The lifecycle event that decided the state. */
  readonly event?: AccountLifecycleEvent;
  /** `disconnection_info.reason` of a `PARTNER_REMOVED` (`COMPANION_INACTIVITY`, `CHANGE_NUMBER`, ...). */
  readonly reason?: string;
  /** `disconnection_info.initiated_by`: `USER` or `SYSTEM`. */
  readonly initiatedBy?: string;
}

/**
 * The account a lifecycle event is about, as a key: the business number (`n:<phone_number_id>`)
 * when the event names it (a body parsed with the `phoneNumberId` option), else its WABA
 * (`w:<waba id>`, with `/<digits>` when the event names one of the WABA's numbers), else none.
 *
 * @example
 * ```ts
 * lifecycleAccountKey({ wabaId: "102290129340398", phoneNumber: "15550783881" }); // "w:102290129340398/15550783881"
 * ```
 */
export function lifecycleAccountKey(event: Pick<AccountLifecycleChanged, "phoneNumberId" | "wabaId" | "phoneNumber">): string | undefined {
  if (event.phoneNumberId !== undefined) return `n:${event.phoneNumberId}`;
  return event.wabaId === undefined ? undefined : wabaKey(event.wabaId, event.phoneNumber);
}

/** The key of a WABA's records: of all its numbers, or (`digits`) of one. */
function wabaKey(wabaId: string, digits: string | undefined): string {
  return digits === undefined ? `w:${wabaId}` : `w:${wabaId}/${digits}`;
}

/**
 * The keys under which lifecycle records may concern a business: its own, the id's as a WABA
 * (Meta's ids are unique across object types, so a WABA id asks for the WABA), and its WABA's,
 * for all its numbers and for its display number.
 *
 * @example
 * ```ts
 * connectionKeys("106540352242922", { wabaId: "102290129340398", displayNumber: "15550783881" });
 * // ["n:106540352242922", "w:106540352242922", "w:102290129340398", "w:102290129340398/15550783881"]
 * ```
 */
export function connectionKeys(
  id: string,
  account: { readonly wabaId?: string | undefined; readonly displayNumber?: string | undefined } | undefined,
): string[] {
  const keys = [`n:${id}`, wabaKey(id, undefined)];
  const wabaId = account?.wabaId;
  if (wabaId === undefined) return keys;
  keys.push(wabaKey(wabaId, undefined));
  if (account?.displayNumber !== undefined) keys.push(wabaKey(wabaId, account.displayNumber));
  return keys;
}

/**
 * The display number of an event's business as lifecycle events name it (digits), if it has one.
 *
 * @example
 * ```ts
 * displayDigits("+1 555-078-3881"); // "15550783881"
 * ```
 */
export function displayDigits(displayPhoneNumber: string | undefined): string | undefined {
  if (displayPhoneNumber === undefined) return undefined;
  const digits = normalizePhone(displayPhoneNumber);
  return typeof digits === "string" ? digits : undefined;
}

/**
 * The record an event makes.
 *
 * @example
 * ```ts
 * lifecycleRecordOf(event).event; // "PARTNER_REMOVED"
 * ```
 */
export function lifecycleRecordOf(event: Pick<AccountLifecycleChanged, "event" | "timestamp" | "disconnection">): LifecycleRecord {
  const record: { -readonly [K in keyof LifecycleRecord]: LifecycleRecord[K] } = { event: event.event, timestamp: event.timestamp ?? 0 };
  if (typeof event.disconnection?.reason === "string") record.reason = event.disconnection.reason;
  if (typeof event.disconnection?.initiatedBy === "string") record.initiatedBy = event.disconnection.initiatedBy;
  return record;
}

/**
 * The connection the newest of some lifecycle records gives (see {@link Connection}).
 *
 * @example
 * ```ts
 * connectionOf([{ event: "ACCOUNT_OFFBOARDED", timestamp: 5 }, { event: "ACCOUNT_RECONNECTED", timestamp: 9 }]).state; // "connected"
 * connectionOf([]).state; // "unknown"
 * ```
 */
export function connectionOf(records: Iterable<LifecycleRecord | undefined>): Connection {
  let newest: LifecycleRecord | undefined;
  for (const record of records) if (record !== undefined && lifecycleWins(record, newest)) newest = record;
  if (newest === undefined) return { state: "unknown" };
  const state = DISCONNECTING_EVENTS.includes(newest.event) ? "disconnected" : "connected";
  const connection: { -readonly [K in keyof Connection]: Connection[K] } = { state, event: newest.event };
  if (newest.timestamp > 0) connection.since = newest.timestamp;
  if (newest.reason !== undefined) connection.reason = newest.reason;
  if (newest.initiatedBy !== undefined) connection.initiatedBy = newest.initiatedBy;
  return connection;
}
