import type { EventBase } from "./event-base.js";
import type { Extra, ProfileContact } from "./parts.js";

/**
 * A customer's business-scoped user id rotated, because their phone number changed
 * (`user_id_update` field, one per item). Old and new ids belong to the same person.
 *
 * @example
 * ```ts
 * if (event.type === "UserIdChanged") console.log(`${event.previousUserId} → ${event.userId}`);
 * ```
 */
export interface UserIdChanged extends EventBase {
  readonly type: "UserIdChanged";
  /** `user_id.previous`. */
  readonly previousUserId?: string;
  /** `user_id.current`. */
  readonly userId: string;
  readonly previousParentUserId?: string;
  readonly parentUserId?: string;
  /** `wa_id`, as digits, where given. */
  readonly phoneNumber?: string;
  readonly detail?: string;
  /** Unix seconds. */
  readonly timestamp: number;
  /** The customer's profile, where the change lists it in `contacts`. */
  readonly contact?: ProfileContact;
  readonly extra?: Extra;
}
