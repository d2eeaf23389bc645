/**
 * Schemas for the parts every coexistence change value shares: `metadata` (the business number)
 * and `contacts` (the customers' profiles).
 *
 * @module
 */
import * as v from "valibot";
import { compact, shape } from "./object-shape.js";
import { optionalText, phone } from "./scalars.js";

/** Schema of `value.metadata`: `{ display_phone_number, phone_number_id }`. */
export const valueMetadataSchema = v.pipe(
  v.looseObject({ display_phone_number: v.optional(phone), phone_number_id: optionalText }),
  v.transform((raw) => compact({ phoneNumberId: raw.phone_number_id, displayPhoneNumber: raw.display_phone_number })),
);

/** The business number a change is about. */
export type ValueMetadata = v.InferOutput<typeof valueMetadataSchema>;

/** Schema of one `value.contacts[]` item: `{ wa_id, user_id?, parent_user_id?, profile?: { name?, username? } }`. */
export const profileContactSchema = shape(
  {
    wa_id: v.optional(phone),
    user_id: optionalText,
    parent_user_id: optionalText,
    profile: v.optional(v.looseObject({ name: optionalText, username: optionalText })),
  },
  (raw) =>
    compact({
      phoneNumber: raw.wa_id,
      userId: raw.user_id,
      parentUserId: raw.parent_user_id,
      profileName: raw.profile?.name,
      username: raw.profile?.username,
    }),
  ["profileName"],
);

/**
 * The customer's WhatsApp profile as a `messages` or `smb_message_echoes` change reports it.
 *
 * @example
 * ```ts
 * const contact: ProfileContact = { phoneNumber: "16505551234", profileName: "Ana" };
 * ```
 */
export type ProfileContact = v.InferOutput<typeof profileContactSchema>;
