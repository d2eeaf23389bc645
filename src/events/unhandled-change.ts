import type { EventBase } from "./event-base.js";

/**
 * A change, or part of one, that no other event represents: another field (`account_update`, ...),
 * another 360dialog event, or the rest of a known change (a `messages` change's `calls` and value-level `errors`).
 * Nothing in a body is silently dropped.
 *
 * @example
 * ```ts
 * if (event.type === "UnhandledChange" && event.field === "account_update") console.log(event.value);
 * ```
 */
export interface UnhandledChange extends EventBase {
  readonly type: "UnhandledChange";
  /** The change's `field`, or 360dialog's `event`. */
  readonly field: string;
  /** The raw value, untouched (for part of a known change: its value without the parts other events carry). */
  readonly value: unknown;
}
