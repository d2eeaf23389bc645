/**
 * Schemas for `smb_app_state_sync` items: contacts of the business phone's address book.
 *
 * @module
 */
import * as v from "valibot";
import { countryOfUserId } from "../core/normalize.js";
import type { AddressBookContact, Extra } from "../events/parts.js";
import { compact, describe, shape, looseRecord, unmodelled } from "./object-shape.js";
import { optionalText, phone, unixSeconds, optionalId } from "./scalars.js";

/** Schema of `state_sync[].contact`. */
export const stateSyncContactSchema = /* @__PURE__ */ shape(
  {
    phone_number: v.optional(phone),
    user_id: optionalId,
    parent_user_id: optionalId,
    full_name: optionalText,
    first_name: optionalText,
    username: optionalText,
    country_code: optionalText,
  },
  (raw): AddressBookContact =>
    compact({
      phoneNumber: raw.phone_number,
      userId: raw.user_id,
      parentUserId: raw.parent_user_id,
      fullName: raw.full_name,
      firstName: raw.first_name,
      username: raw.username,
      countryCode: raw.country_code ?? countryOfUserId(raw.user_id) ?? countryOfUserId(raw.parent_user_id),
    }),
);

/** The keys of a `state_sync[]` item that its event models. */
export const STATE_SYNC_ITEM_KEYS: ReadonlySet<string> = /* @__PURE__ */ new Set(["type", "contact", "action", "metadata"]);

/** The item's `metadata`, whose other keys the event keeps under `extra.metadata`. */
const STATE_SYNC_NESTED: readonly [string, ReadonlySet<string>][] = [["metadata", new Set(["timestamp"])]];

/** Schema of one `state_sync[]` item of type `contact`. */
export const stateSyncItemSchema = /* @__PURE__ */ v.pipe(
  looseRecord({
    type: v.optional(v.literal("contact")),
    contact: stateSyncContactSchema,
    action: v.picklist(["add", "remove"], (issue) => `Expected "add" or "remove" but received ${describe(issue.input)}.`),
    metadata: looseRecord({ timestamp: unixSeconds }),
  }),
  v.check(
    (item) => item.contact.phoneNumber !== undefined || item.contact.userId !== undefined,
    "The contact has neither a phone_number nor a user_id, so it cannot be identified.",
  ),
  v.transform((item): StateSyncItem =>
    compact({
      action: item.action,
      contact: item.contact,
      timestamp: item.metadata.timestamp,
      extra: unmodelled(item, STATE_SYNC_ITEM_KEYS, STATE_SYNC_NESTED),
    }),
  ),
);

/** One parsed state sync item. */
export interface StateSyncItem {
  readonly action: "add" | "remove";
  readonly contact: AddressBookContact;
  readonly timestamp: number;
  /** The item's keys this library does not model (its `metadata`'s under `metadata`). */
  readonly extra?: Extra;
}
