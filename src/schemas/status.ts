/**
 * Schema of one delivery status (`messages` field, `value.statuses[]`).
 *
 * @module
 */
import * as v from "valibot";
import type { EventBase } from "../events/event-base.js";
import type { MessageStatusUpdated, StatusConversation, StatusPricing, StatusRecipient } from "../events/message-status-updated.js";
import { normalizePhone } from "../core/normalize.js";
import { apiErrorSchema } from "./api-error.js";
import { compact, flat, shape } from "./object-shape.js";
import { flag, identifier, optionalText, text, unixSeconds, optionalId } from "./scalars.js";

/** A status as parsed, before the change adds its business and profile. */
export type ParsedStatus = Omit<MessageStatusUpdated, "type" | keyof EventBase | "contact">;

const pricingSchema = /* @__PURE__ */ shape(
  { billable: v.optional(flag), pricing_model: optionalText, type: optionalText, category: optionalText },
  (raw): StatusPricing => compact({ billable: raw.billable, pricingModel: raw.pricing_model, type: raw.type, category: raw.category }),
);

const conversationSchema = /* @__PURE__ */ shape(
  { id: optionalText, expiration_timestamp: v.optional(unixSeconds), origin: v.optional(flat({ type: optionalText })) },
  (raw): StatusConversation => compact({ id: raw.id, expirationTimestamp: raw.expiration_timestamp, originType: raw.origin?.type }),
);

/** A phone number as digits, or `undefined` when absent or not one. */
function phoneOrUndefined(value: string | undefined): string | undefined {
  return value === undefined ? undefined : (normalizePhone(value) ?? undefined);
}

/** `{ [key]: value }` when a value was given that could not be read as a phone number. */
function unreadable(key: string, value: string | undefined, phoneNumber: string | undefined): Record<string, unknown> | undefined {
  return value !== undefined && phoneNumber === undefined ? { [key]: value } : undefined;
}

/** The parent BSUID has had three names; the newest wins when several are present. */
const PARENT_ID_KEYS = ["recipient_parent_user_id", "parent_recipient_user_id", "parent_user_id"] as const;

/** Schema of one `statuses[]` item. */
export const statusSchema = /* @__PURE__ */ shape(
  {
    id: identifier,
    status: text,
    timestamp: unixSeconds,
    recipient_id: optionalId,
    recipient_user_id: optionalId,
    recipient_parent_user_id: optionalId,
    parent_recipient_user_id: optionalId,
    parent_user_id: optionalId,
    recipient_type: optionalText,
    recipient_participant_id: optionalText,
    recipient_participant_user_id: optionalId,
    recipient_participant_parent_user_id: optionalId,
    biz_opaque_callback_data: v.optional(text),
    conversation: v.optional(conversationSchema),
    pricing: v.optional(pricingSchema),
    errors: v.optional(v.array(apiErrorSchema)),
  },
  (raw): ParsedStatus => {
    const parentUserId = PARENT_ID_KEYS.map((key) => raw[key]).find((id) => id !== undefined);
    const common = {
      messageId: raw.id,
      status: raw.status.toLowerCase(),
      timestamp: raw.timestamp,
      recipient: undefined as StatusRecipient | undefined,
      errors: raw.errors,
      pricing: raw.pricing,
      conversation: raw.conversation,
      bizOpaqueCallbackData: raw.biz_opaque_callback_data,
    };
    if (raw.recipient_type === "group") {
      // `recipient_id` is the group; the person is the participant.
      const phoneNumber = phoneOrUndefined(raw.recipient_participant_id);
      const participant = compact({ phoneNumber, userId: raw.recipient_participant_user_id, parentUserId: raw.recipient_participant_parent_user_id });
      return compact({
        ...common,
        recipient: compact({ userId: raw.recipient_user_id, parentUserId, participant: Object.keys(participant).length > 0 ? participant : undefined }),
        recipientType: raw.recipient_type,
        groupId: raw.recipient_id,
        // A participant id that is no phone number is kept as received rather than lost.
        extra: unreadable("recipient_participant_id", raw.recipient_participant_id, phoneNumber),
      });
    }
    const phoneNumber = phoneOrUndefined(raw.recipient_id);
    return compact({
      ...common,
      recipient: compact({ phoneNumber, userId: raw.recipient_user_id, parentUserId }),
      recipientType: raw.recipient_type,
      // A recipient id that is no phone number (a provider's masked `9191****873`) is kept as received rather than lost.
      extra: unreadable("recipient_id", raw.recipient_id, phoneNumber),
    });
  },
);
