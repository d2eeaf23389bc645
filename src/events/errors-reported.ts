import type { EventBase } from "./event-base.js";
import type { ApiError } from "./parts.js";

/**
 * Errors Meta reports for a business number but ties to no single message: a `messages` change's
 * value-level `errors` (130429: rate limit hit, 131000: something went wrong, 131049: not
 * delivered to keep the ecosystem healthy, ...).
 *
 * @example
 * ```ts
 * if (event.type === "ErrorsReported") for (const error of event.errors) console.warn(event.phoneNumberId, error.code, error.title);
 * ```
 */
export interface ErrorsReported extends EventBase {
  readonly type: "ErrorsReported";
  /** The field of the change that reported them (`messages`, or `smb_message_echoes`). */
  readonly field: string;
  readonly errors: ApiError[];
}
