/**
 * The business's own numbers are never a customer's: an item whose customer is the business's
 * `phone_number_id` or display number (seen in an SDK's fixture: a message `from` the business's
 * own id) is kept, and reported, and the book never links it (`customerKeys` in `book/apply-event.ts`;
 * both ask `isBusinessNumber`).
 *
 * @module
 */
import type { EventBase } from "../../events/event-base.js";
import type { CustomerIds } from "../../events/parts.js";
import { isBusinessNumber } from "../../core/business-number.js";
import { joinPath } from "../../core/path.js";
import type { ParseRun } from "../../core/parse-run.js";

/**
 * Reports an item whose customer's phone number is the business's own `phone_number_id` or
 * display number.
 *
 * @param field - the raw key that holds the customer's number (`from`, `to`, `recipient_id`, `wa_id`).
 */
export function reportBusinessAsCustomer(customer: CustomerIds, base: EventBase, path: string, field: string, run: ParseRun): void {
  const phone = customer.phoneNumber;
  if (phone === undefined || !isBusinessNumber(base, phone)) return;
  const which = phone === base.phoneNumberId ? "phone_number_id" : "display number";
  run.issues.push({
    path: joinPath(path, field),
    message: `The customer's number ${phone} is the business's own ${which}: it is kept on the event but never taken for a customer.`,
  });
}
