/**
 * Schemas of the identity fields: `user_id_update[]` (a BSUID rotated) and `user_preferences[]`.
 *
 * @module
 */
import * as v from "valibot";
import type { EventBase } from "../events/event-base.js";
import type { UserIdChanged } from "../events/user-id-changed.js";
import type { UserPreferencesUpdated } from "../events/user-preferences-updated.js";
import { compact, flat, shape } from "./object-shape.js";
import { phone, text, unixSeconds, optionalId, identifier } from "./scalars.js";

/** A `user_id_update` item as parsed, before the change adds its business and profile. */
export type ParsedUserIdChange = Omit<UserIdChanged, "type" | keyof EventBase | "contact">;

const previousAndCurrent = /* @__PURE__ */ flat({ previous: optionalId, current: optionalId });

/** Schema of one `user_id_update[]` item: `{ wa_id?, detail?, user_id: { previous, current }, parent_user_id?: { previous, current }, timestamp }`. */
export const userIdUpdateSchema = /* @__PURE__ */ shape(
  {
    wa_id: v.optional(phone),
    detail: v.optional(text),
    user_id: flat({ previous: optionalId, current: identifier }),
    parent_user_id: v.optional(previousAndCurrent),
    timestamp: unixSeconds,
  },
  (raw): ParsedUserIdChange =>
    compact({
      previousUserId: raw.user_id.previous,
      userId: raw.user_id.current,
      previousParentUserId: raw.parent_user_id?.previous,
      parentUserId: raw.parent_user_id?.current,
      phoneNumber: raw.wa_id,
      detail: raw.detail,
      timestamp: raw.timestamp,
    }),
);

/** A `user_preferences` item as parsed, before the change adds its business and profile. */
export type ParsedPreference = Omit<UserPreferencesUpdated, "type" | keyof EventBase | "contact">;

/** Schema of one `user_preferences[]` item: `{ wa_id?, user_id?, parent_user_id?, detail?, category, value, timestamp }`. */
export const userPreferenceSchema = /* @__PURE__ */ shape(
  {
    wa_id: v.optional(phone),
    user_id: optionalId,
    parent_user_id: optionalId,
    detail: v.optional(text),
    category: text,
    value: text,
    signup_id: optionalId,
    timestamp: unixSeconds,
  },
  (raw): ParsedPreference =>
    compact({
      user: compact({ phoneNumber: raw.wa_id, userId: raw.user_id, parentUserId: raw.parent_user_id }),
      category: raw.category,
      value: raw.value,
      signupId: raw.signup_id,
      detail: raw.detail,
      timestamp: raw.timestamp,
    }),
);
