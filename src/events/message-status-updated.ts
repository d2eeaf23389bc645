import type { EventBase } from "./event-base.js";
import type { ApiError, CustomerIds, Extra, ProfileContact } from "./parts.js";

/**
 * A delivery status as Meta sends it, lowercased: `sent`, `delivered`, `read`, `played`,
 * `failed`, or a new value kept as received.
 *
 * @example
 * ```ts
 * const status: DeliveryStatus = "read";
 * ```
 */
export type DeliveryStatus = "sent" | "delivered" | "read" | "played" | "failed" | (string & {});

/**
 * How Meta priced the message a status is about (`pricing`).
 *
 * @example
 * ```ts
 * const pricing: StatusPricing = { billable: true, pricingModel: "PMP", category: "utility" };
 * ```
 */
export interface StatusPricing {
  readonly billable?: boolean;
  readonly pricingModel?: string;
  readonly type?: string;
  readonly category?: string;
  readonly extra?: Extra;
}

/**
 * The conversation window a status belongs to (`conversation`; omitted from API v24 on outside
 * free entry points).
 *
 * @example
 * ```ts
 * const conversation: StatusConversation = { id: "c1", originType: "service" };
 * ```
 */
export interface StatusConversation {
  readonly id?: string;
  /** Unix seconds. */
  readonly expirationTimestamp?: number;
  /** `origin.type`: `service`, `utility`, `marketing`, ... */
  readonly originType?: string;
  readonly extra?: Extra;
}

/**
 * Who a status is about: the customer's identifiers, or, for a message sent to a group, the
 * participant's under `participant`.
 *
 * @example
 * ```ts
 * const toGroup: StatusRecipient = { participant: { phoneNumber: "16505551234", userId: "US.1" } };
 * ```
 */
export interface StatusRecipient extends CustomerIds {
  /** In a group: the participant the status is about. */
  readonly participant?: CustomerIds;
}

/**
 * A delivery receipt for a message the business sent through the API (`messages` field, one per
 * `value.statuses[]` item). Statuses arrive out of order: `read` can come before `delivered`.
 *
 * @example
 * ```ts
 * if (event.type === "MessageStatusUpdated" && event.status === "failed") console.warn(event.messageId, event.errors);
 * ```
 */
export interface MessageStatusUpdated extends EventBase {
  readonly type: "MessageStatusUpdated";
  /** The message the status is about. */
  readonly messageId: string;
  readonly status: DeliveryStatus;
  /** Unix seconds. */
  readonly timestamp: number;
  /**
   * The customer: `recipient_id` as `phoneNumber`, `recipient_user_id` as `userId`, and the parent
   * BSUID under any of its names (`recipient_parent_user_id`, `parent_recipient_user_id`,
   * `parent_user_id`). For a message sent to a group, `recipient_id` is the group (`groupId`) and
   * the person is `participant` (`recipient_participant_id`, `recipient_participant_user_id`,
   * `recipient_participant_parent_user_id`).
   */
  readonly recipient: StatusRecipient;
  /** `group` for a message sent to a group. */
  readonly recipientType?: string;
  /** The group's id, for a message sent to a group. */
  readonly groupId?: string;
  /** The customer's profile, where the change lists it in `contacts` (sent, delivered and read only). */
  readonly contact?: ProfileContact;
  /** Why a `failed` message failed. */
  readonly errors?: ApiError[];
  readonly pricing?: StatusPricing;
  readonly conversation?: StatusConversation;
  /** The `biz_opaque_callback_data` the message was sent with. */
  readonly bizOpaqueCallbackData?: string;
  readonly extra?: Extra;
}
