/**
 * The business's own numbers: its `phone_number_id` and its display number are never a
 * customer's identifier. The parser reports an item that names one as its customer; the book
 * never links one.
 *
 * @module
 */
import type { EventBase } from "../events/event-base.js";

/**
 * Whether a phone number is the business's own `phone_number_id` or display number.
 *
 * @example
 * ```ts
 * isBusinessNumber({ phoneNumberId: "106540352242922", displayPhoneNumber: "15550783881" }, "15550783881"); // true
 * ```
 */
export function isBusinessNumber(business: Pick<EventBase, "phoneNumberId" | "displayPhoneNumber">, phone: string | undefined): boolean {
  return phone !== undefined && (phone === business.phoneNumberId || phone === business.displayPhoneNumber);
}
