/**
 * `value.contacts`: the customers' profiles a change lists, attached to the events they describe
 * (matched by phone number, user id or parent user id). A profile never becomes an event of its
 * own.
 *
 * @module
 */
import type { CoexistenceEvent } from "../../events/coexistence-event.js";
import type { CustomerIds, ProfileContact } from "../../events/parts.js";
import { profileContactSchema } from "../../schemas/value-parts.js";
import { joinPath } from "../../core/path.js";
import { runTolerantSchema } from "../tolerant-schema.js";
import { readItems, type ChangeContext } from "./change-context.js";

/** An event that may carry the profile of its customer, and who that customer is. */
export interface ProfiledEvent {
  readonly event: CoexistenceEvent & { readonly contact?: ProfileContact };
  readonly customer: CustomerIds;
}

function matches(contact: ProfileContact, customer: CustomerIds): boolean {
  return (
    (customer.phoneNumber !== undefined && contact.phoneNumber === customer.phoneNumber) ||
    (customer.userId !== undefined && contact.userId === customer.userId) ||
    (customer.parentUserId !== undefined && contact.parentUserId === customer.parentUserId)
  );
}

/**
 * Reads `value.contacts` (profiles that cannot be read become issues).
 *
 * @returns the profiles, in order.
 */
export function readProfiles(value: Record<string, unknown>, context: ChangeContext): ProfileContact[] {
  const items = readItems(value, "contacts", context) ?? [];
  const path = joinPath(context.path, "contacts");
  const profiles: ProfileContact[] = [];
  for (let index = 0; index < items.length; index++) {
    const profile = runTolerantSchema(profileContactSchema, items[index], joinPath(path, index), context.depth + 2, context.run, {});
    if (profile !== undefined) profiles.push(profile);
  }
  return profiles;
}

/**
 * Pushes a change's events, each with the profile of its customer where the change lists one.
 * A change that lists exactly one profile which matches no event by its identifiers gives it to
 * each of its events that has none (one customer per change is how Meta sends them).
 */
export function pushWithProfiles(pending: readonly ProfiledEvent[], profiles: readonly ProfileContact[], context: ChangeContext): void {
  const found = pending.map(({ customer }) => profiles.find((profile) => matches(profile, customer)));
  const lone = profiles.length === 1 && !found.includes(profiles[0]) ? profiles[0] : undefined;
  pending.forEach(({ event }, index) => {
    const contact = found[index] ?? lone;
    context.run.events.push(contact === undefined ? event : ({ ...event, contact } as CoexistenceEvent));
  });
}
