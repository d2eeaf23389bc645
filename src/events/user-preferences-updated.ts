import type { EventBase } from "./event-base.js";
import type { CustomerIds, Extra, ProfileContact } from "./parts.js";

/**
 * A customer changed a messaging preference (`user_preferences` field, one per item), for example
 * stopping or resuming marketing messages.
 *
 * @example
 * ```ts
 * if (event.type === "UserPreferencesUpdated" && event.value === "stop") optOut(event.user);
 * ```
 */
export interface UserPreferencesUpdated extends EventBase {
  readonly type: "UserPreferencesUpdated";
  /** Who changed the preference. */
  readonly user: CustomerIds;
  /** `marketing_messages`, or a new value. */
  readonly category: string;
  /** `stop`, `resume`, `signup`, or a new value. */
  readonly value: string;
  /** `signup_id`: what the customer signed up for, on a `signup` preference. */
  readonly signupId?: string;
  readonly detail?: string;
  /** Unix seconds. */
  readonly timestamp: number;
  /** The customer's profile, where the change lists it in `contacts`. */
  readonly contact?: ProfileContact;
  readonly extra?: Extra;
}
