import type { EventBase } from "./event-base.js";
import type { Extra } from "./parts.js";

/**
 * The lifecycle of a coexistence number (`account_update`): the business disconnected the app from
 * the provider (`PARTNER_REMOVED`, with why and by whom), the Cloud API companion was offboarded on a
 * device change (`ACCOUNT_OFFBOARDED`) and came back (`ACCOUNT_RECONNECTED`), or a partner was
 * connected (`PARTNER_ADDED`, `PARTNER_APP_INSTALLED`, `PARTNER_APP_UNINSTALLED`). Other
 * `account_update` events stay an `UnhandledChange`.
 *
 * @example
 * ```ts
 * if (event.type === "AccountLifecycleChanged" && event.event === "PARTNER_REMOVED") console.warn(event.disconnection?.reason);
 * ```
 */
export interface AccountLifecycleChanged extends EventBase {
  readonly type: "AccountLifecycleChanged";
  /** `PARTNER_REMOVED`, `ACCOUNT_OFFBOARDED`, `ACCOUNT_RECONNECTED`, `PARTNER_ADDED`, `PARTNER_APP_INSTALLED`, `PARTNER_APP_UNINSTALLED`. */
  readonly event: AccountLifecycleEvent;
  /** `disconnection_info` of a `PARTNER_REMOVED`: `reason` (`ACCOUNT_DISCONNECTED`, `BUSINESS_DOWNGRADE`, `CHANGE_NUMBER`, `COMPANION_INACTIVITY`, `PRIMARY_INACTIVITY`, `USER_RE_REGISTERED`, ...) and `initiatedBy` (`USER`, `SYSTEM`). */
  readonly disconnection?: { readonly reason?: string; readonly initiatedBy?: string; readonly extra?: Extra };
  /** The entry's `time` (unix seconds), where the envelope gives it. */
  readonly timestamp?: number;
  /** `waba_info.owner_business_id`. */
  readonly ownerBusinessId?: string;
  /** `phone_number`: the number the event is about, as digits, where the body names it. */
  readonly phoneNumber?: string;
  readonly extra?: Extra;
}

/**
 * The `account_update` events that are the lifecycle of a coexistence number.
 *
 * @example
 * ```ts
 * ACCOUNT_LIFECYCLE_EVENTS.includes("PARTNER_REMOVED"); // true
 * ```
 */
export const ACCOUNT_LIFECYCLE_EVENTS = [
  "PARTNER_REMOVED",
  "ACCOUNT_OFFBOARDED",
  "ACCOUNT_RECONNECTED",
  "PARTNER_ADDED",
  "PARTNER_APP_INSTALLED",
  "PARTNER_APP_UNINSTALLED",
] as const;

/** One of {@link ACCOUNT_LIFECYCLE_EVENTS}. @example `const event: AccountLifecycleEvent = "ACCOUNT_RECONNECTED";` */
export type AccountLifecycleEvent = (typeof ACCOUNT_LIFECYCLE_EVENTS)[number];

/**
 * The lifecycle events after which a number is disconnected from the provider: the business
 * removed the partner (or Meta did, `initiated_by: SYSTEM`), the companion was offboarded, or the
 * partner's app was uninstalled. Every other lifecycle event connects it.
 *
 * @example
 * ```ts
 * DISCONNECTING_EVENTS.includes("PARTNER_REMOVED"); // true
 * ```
 */
export const DISCONNECTING_EVENTS: readonly AccountLifecycleEvent[] = ["PARTNER_REMOVED", "ACCOUNT_OFFBOARDED", "PARTNER_APP_UNINSTALLED"];
