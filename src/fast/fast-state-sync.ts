/**
 * The fast paths for the small, frequent shapes: a state sync item and a value's `metadata`.
 * Like the message fast path, each declines (`undefined`) on anything unusual and the schemas
 * decide; `test/fast-path.test.ts` proves the outputs equal wherever they answer.
 *
 * @module
 */
import { countryOfUserId, phoneOf, readOptionalId, readOptionalText, readPhone, toUnixSeconds } from "../core/normalize.js";
import { isObject } from "../core/parse-run.js";
import type { StateSyncItem } from "../schemas/state-sync.js";
import { stateSyncContactSchema } from "../schemas/state-sync.js";
import type { ValueMetadata } from "../schemas/value-parts.js";
import { copyExtras, keyCount, onlyPrimitiveExtras, present, type OutOf, type Raw } from "../core/object-keys.js";

/**
 * The fast path for one `state_sync[]` item.
 *
 * @returns the item, or `undefined` when the schema must decide.
 * @example
 * ```ts
 * fastStateSyncItem({ type: "contact", contact: { phone_number: "1555" }, action: "add", metadata: { timestamp: "1" } }, 7, 64);
 * ```
 */
export function fastStateSyncItem(raw: unknown, depth: number, maxDepth: number): StateSyncItem | undefined {
  if (!isObject(raw) || depth + 1 > maxDepth) return undefined;
  const { contact, action, metadata } = raw;
  if ((raw.type !== undefined && raw.type !== "contact") || (action !== "add" && action !== "remove")) return undefined;
  if (!isObject(contact) || !isObject(metadata)) return undefined;
  // Any other key goes to the event's `extra`: the schema builds that.
  if (keyCount(raw) !== present(raw.type) + 3) return undefined;
  const timestamp = toUnixSeconds(metadata.timestamp);
  if (timestamp === undefined || keyCount(metadata) !== 1) return undefined;
  const out = commonContact(contact) ?? anyContact(contact);
  return out === undefined ? undefined : { action, contact: out as StateSyncItem["contact"], timestamp };
}

/** An address-book contact under construction: only its own keys may be written. */
type ContactOut = OutOf<StateSyncItem["contact"]>;

/**
 * The usual contact, `{ full_name, first_name, phone_number }` with both names given, built as one
 * object literal (the general reader adds each key to an empty object by name); `undefined` for any
 * other shape.
 */
function commonContact(contact: Raw): ContactOut | undefined {
  const { full_name: fullName, first_name: firstName } = contact;
  if (typeof fullName !== "string" || typeof firstName !== "string" || fullName === "" || firstName === "" || keyCount(contact) !== 3) return undefined;
  const phoneNumber = phoneOf(contact.phone_number);
  return phoneNumber === null || phoneNumber === undefined ? undefined : { phoneNumber, fullName, firstName };
}

/** Any contact the schema would read without an issue; `undefined` when it must decide. */
function anyContact(contact: Raw): ContactOut | undefined {
  const out: ContactOut = {};
  const { phone_number, user_id, parent_user_id, full_name, first_name, username, country_code } = contact;
  if (
    !readPhone(phone_number, "phoneNumber", out) ||
    !readOptionalId(user_id, "userId", out) ||
    !readOptionalId(parent_user_id, "parentUserId", out) ||
    !readOptionalText(full_name, "fullName", out) ||
    !readOptionalText(first_name, "firstName", out) ||
    !readOptionalText(username, "username", out) ||
    !readOptionalText(country_code, "countryCode", out)
  ) {
    return undefined;
  }
  if (out.phoneNumber === undefined && out.userId === undefined) return undefined;
  if (out.countryCode === undefined) {
    const country = countryOfUserId(out.userId as string | undefined) ?? countryOfUserId(out.parentUserId as string | undefined);
    if (country !== undefined) out.countryCode = country;
  }
  const read =
    present(phone_number) + present(user_id) + present(parent_user_id) + present(full_name) + present(first_name) + present(username) + present(country_code);
  return keyCount(contact) === read || copyExtras(contact, stateSyncContactSchema.reserved, out) ? out : undefined;
}

const METADATA_KEYS = ["display_phone_number", "phone_number_id"];

/**
 * The fast path for a change value's `metadata`.
 *
 * @returns the business number, or `undefined` when the schema must decide.
 * @example
 * ```ts
 * fastMetadata({ display_phone_number: "15550783881", phone_number_id: "106540352242922" }, 6, 64);
 * ```
 */
export function fastMetadata(raw: unknown, depth: number, maxDepth: number): ValueMetadata | undefined {
  if (!isObject(raw) || depth > maxDepth) return undefined;
  const { phone_number_id, display_phone_number } = raw;
  if (!onlyPrimitiveExtras(raw, METADATA_KEYS, present(phone_number_id) + present(display_phone_number))) return undefined;
  const out: OutOf<ValueMetadata> = {};
  if (!readOptionalId(phone_number_id, "phoneNumberId", out) || !readPhone(display_phone_number, "displayPhoneNumber", out)) return undefined;
  return out as ValueMetadata;
}
