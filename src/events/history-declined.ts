import type { EventBase } from "./event-base.js";
import type { Extra } from "./parts.js";

/**
 * The business declined to share its chat history (`history` item with `errors`; code 2593109).
 *
 * @example
 * ```ts
 * if (event.type === "HistoryDeclined") console.log(event.code, event.details);
 * ```
 */
export interface HistoryDeclined extends EventBase {
  readonly type: "HistoryDeclined";
  /** 2593109: history sharing is turned off. */
  readonly code: number;
  readonly title?: string;
  readonly message?: string;
  /** `error_data.details`. */
  readonly details?: string;
  /** A link to Meta's documentation of the error. */
  readonly href?: string;
  readonly extra?: Extra;
}
