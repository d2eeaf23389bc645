/**
 * `user_id_update` (one `UserIdChanged` per item) and `user_preferences` (one
 * `UserPreferencesUpdated` per item), each with the customer's profile from `value.contacts`.
 *
 * @module
 */
import * as v from "valibot";
import type { CoexistenceEvent } from "../../events/coexistence-event.js";
import type { CustomerIds } from "../../events/parts.js";
import { userIdUpdateSchema, userPreferenceSchema } from "../../schemas/identity-changes.js";
import { joinPath } from "../../core/path.js";
import { runTolerantSchema } from "../tolerant-schema.js";
import { readChangeValue, readItems, type ChangeContext, type ChangeValue } from "./change-context.js";
import { emitLeftovers } from "./leftovers.js";
import { pushWithProfiles, readProfiles, type ProfiledEvent } from "./profile-contacts.js";
import { reportBusinessAsCustomer } from "./business-not-customer.js";

/** Parses a `user_id_update` change value. */
export function parseUserIdUpdateChange(value: unknown, context: ChangeContext): void {
  parseItems(value, context, "user_id_update", userIdUpdateSchema, (change, item) => ({
    event: { type: "UserIdChanged", ...change.base, ...item },
    customer: { phoneNumber: item.phoneNumber, userId: item.userId, parentUserId: item.parentUserId },
  }));
}

/** Parses a `user_preferences` change value. */
export function parseUserPreferencesChange(value: unknown, context: ChangeContext): void {
  parseItems(value, context, "user_preferences", userPreferenceSchema, (change, item) => ({
    event: { type: "UserPreferencesUpdated", ...change.base, ...item },
    customer: item.user,
  }));
}

function parseItems<TItem>(
  value: unknown,
  context: ChangeContext,
  key: string,
  schema: v.GenericSchema<unknown, TItem>,
  toEvent: (change: ChangeValue, item: TItem) => { event: CoexistenceEvent; customer: CustomerIds },
): void {
  const change = readChangeValue(value, context);
  if (change === undefined) return;
  const items = readItems(change.raw, key, context) ?? [];
  const itemsPath = joinPath(context.path, key);
  const pending: ProfiledEvent[] = [];
  for (let index = 0; index < items.length; index++) {
    const path = joinPath(itemsPath, index);
    const item = runTolerantSchema(schema, items[index], path, context.depth + 2, context.run, {});
    if (item === undefined) continue;
    const made = toEvent(change, item);
    reportBusinessAsCustomer(made.customer, change.base, path, "wa_id", context.run);
    pending.push(made);
  }
  pushWithProfiles(pending, readProfiles(change.raw, context), context);
  emitLeftovers(change, [key, "contacts"], context);
}
