/**
 * `account_update`: an `AccountLifecycleChanged` for the lifecycle of a coexistence number
 * (`PARTNER_REMOVED`, `ACCOUNT_OFFBOARDED`, `ACCOUNT_RECONNECTED`, `PARTNER_ADDED`, ...); any other
 * account event stays an `UnhandledChange`.
 *
 * @module
 */
import { ACCOUNT_LIFECYCLE_EVENTS } from "../../events/account-lifecycle-changed.js";
import { accountLifecycleSchema } from "../../schemas/account-update.js";
import { toUnixSeconds } from "../../core/normalize.js";
import { isObject } from "../../core/parse-run.js";
import { runTolerantSchema } from "../tolerant-schema.js";
import { readChangeValue, type ChangeContext } from "./change-context.js";
import { parseUnhandledChange } from "./unhandled-change.js";

const LIFECYCLE: ReadonlySet<string> = new Set(ACCOUNT_LIFECYCLE_EVENTS);

/** Parses an `account_update` change value. */
export function parseAccountUpdateChange(value: unknown, context: ChangeContext): void {
  if (!isObject(value) || typeof value.event !== "string" || !LIFECYCLE.has(value.event)) return parseUnhandledChange(value, context);
  const change = readChangeValue(value, context);
  if (change === undefined) return;
  const parsed = runTolerantSchema(accountLifecycleSchema, value, context.path, context.depth, context.run, {});
  if (parsed === undefined) return;
  const { wabaInfoId, extra, ...lifecycle } = parsed;
  // The WABA of the value names the business when the envelope does not; a different one is kept as received.
  const base = change.base.wabaId === undefined && wabaInfoId !== undefined ? { ...change.base, wabaId: wabaInfoId } : change.base;
  const differs = wabaInfoId !== undefined && base.wabaId !== wabaInfoId;
  const kept = differs ? { ...extra, waba_info: { ...(extra?.waba_info as object | undefined), waba_id: wabaInfoId } } : extra;
  const timestamp = toUnixSeconds(context.entryTime);
  context.run.events.push({
    type: "AccountLifecycleChanged",
    ...base,
    ...lifecycle,
    ...(timestamp === undefined ? {} : { timestamp }),
    ...(kept === undefined ? {} : { extra: kept }),
  });
}
