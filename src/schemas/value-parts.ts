/**
 * Schemas for the parts every coexistence change value shares: `metadata` (the business number)
 * and `contacts` (the customers' profiles).
 *
 * @module
 */
import * as v from "valibot";
import type { ProfileContact } from "../events/parts.js";
import { compact, flat, shape, looseRecord } from "./object-shape.js";
import { lenientPhone, optionalText, phone, optionalId } from "./scalars.js";

/**
 * Schema of `value.metadata`: `{ display_phone_number, phone_number_id }`. A display number that is
 * not a phone number (a provider's placeholder) is left out without an issue.
 */
export const valueMetadataSchema = /* @__PURE__ */ v.pipe(
  looseRecord({ display_phone_number: v.optional(lenientPhone), phone_number_id: optionalId }),
  v.transform((raw): ValueMetadata => compact({ phoneNumberId: raw.phone_number_id, displayPhoneNumber: raw.display_phone_number })),
);

/** The business number a change is about. */
export interface ValueMetadata {
  readonly phoneNumberId?: string;
  readonly displayPhoneNumber?: string;
}

/** Schema of one `value.contacts[]` item: `{ wa_id?, user_id?, parent_user_id?, profile?: { name?, username? } }`. */
export const profileContactSchema = /* @__PURE__ */ shape(
  {
    wa_id: v.optional(phone),
    user_id: optionalId,
    parent_user_id: optionalId,
    profile: v.optional(flat({ name: optionalText, username: optionalText })),
  },
  (raw): ProfileContact =>
    compact({
      phoneNumber: raw.wa_id,
      userId: raw.user_id,
      parentUserId: raw.parent_user_id,
      profileName: raw.profile?.name,
      username: raw.profile?.username,
    }),
);
