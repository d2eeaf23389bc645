/**
 * The customer service window: a business may send a free-form message through the API for 24
 * hours after the customer's last message to it; after that, only a template (Meta's pricing and
 * messaging documentation, "Customer service windows"). Coexistence messages typed in the app are
 * not limited by it. The book and the PostgreSQL store both answer with {@link serviceWindowOf}.
 *
 * @module
 */

/**
 * How long the window stays open after the customer's last message, in seconds (24 hours).
 *
 * @example
 * ```ts
 * const closesAt = lastInboundAt + SERVICE_WINDOW_SECONDS;
 * ```
 */
export const SERVICE_WINDOW_SECONDS = 24 * 60 * 60;

/**
 * Whether the business may send a free-form message to a person now, and until when.
 *
 * @example
 * ```ts
 * const window: ServiceWindow = { open: true, closesAt: 1739407424, lastInboundAt: 1739321024, lastInboundId: "wamid.1" };
 * ```
 */
export interface ServiceWindow {
  readonly open: boolean;
  /** When it closes (or closed), unix seconds: 24 hours after `lastInboundAt`. */
  readonly closesAt?: number;
  /** The person's last message to the business (received, or inbound in history), unix seconds. */
  readonly lastInboundAt?: number;
  readonly lastInboundId?: string;
}

/**
 * A time as unix seconds: a number is taken as seconds, a `Date` is converted.
 *
 * @example
 * ```ts
 * secondsOf(new Date(1739321024000)); // 1739321024
 * ```
 */
export function secondsOf(now: number | Date): number {
  if (now instanceof Date) return Math.floor(now.getTime() / 1000);
  if (typeof now !== "number" || !Number.isFinite(now)) throw new TypeError(`getServiceWindow: now must be unix seconds or a Date, not ${String(now)}.`);
  return now;
}

/**
 * The window a person's last inbound message opens, seen at `now` (unix seconds).
 *
 * @example
 * ```ts
 * serviceWindowOf({ at: 1739321024, id: "wamid.1" }, 1739321024 + 3600).open; // true
 * serviceWindowOf(undefined, 1739321024).open; // false: the customer never wrote
 * ```
 */
export function serviceWindowOf(last: { readonly at: number; readonly id: string } | undefined, now: number): ServiceWindow {
  if (last === undefined) return { open: false };
  const closesAt = last.at + SERVICE_WINDOW_SECONDS;
  return { open: now < closesAt, closesAt, lastInboundAt: last.at, lastInboundId: last.id };
}
