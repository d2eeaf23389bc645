/**
 * `smb_app_state_sync`: one `ContactAdded` or `ContactRemoved` per contact item.
 *
 * @module
 */
import { fastStateSyncItem } from "../../fast/fast-state-sync.js";
import type { ContactAdded } from "../../events/contact-added.js";
import type { ContactRemoved } from "../../events/contact-removed.js";
import { stateSyncItemSchema, type StateSyncItem } from "../../schemas/state-sync.js";
import { joinPath } from "../../core/path.js";
import { isObject } from "../../core/parse-run.js";
import { readItem, type ItemReader } from "../read-item.js";
import { runTolerantSchema } from "../tolerant-schema.js";
import { readChangeValue, readItems, type ChangeContext, type ChangeValue } from "./change-context.js";
import { emitLeftovers } from "./leftovers.js";

const ITEMS = "state_sync";

/** An address-book item: fast, else the tolerant schema. */
const STATE_SYNC_READER: ItemReader<StateSyncItem> = {
  fast: fastStateSyncItem,
  slow: (raw, path, depth, run) => runTolerantSchema(stateSyncItemSchema, raw, path, depth, run, {}),
};

/** Parses an `smb_app_state_sync` change value into events. */
export function parseStateSyncChange(value: unknown, context: ChangeContext): void {
  const change = readChangeValue(value, context);
  if (change === undefined) return;
  const items = readItems(change.raw, ITEMS, context);
  if (items === undefined) return;
  const { run } = context;
  const depth = context.depth + 2;
  const itemsPath = joinPath(context.path, ITEMS);
  let otherTypes: unknown[] | undefined;
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    if (isObject(item) && typeof item.type === "string" && item.type !== "contact") {
      (otherTypes ??= []).push(item);
      continue;
    }
    const parsed = readItem(STATE_SYNC_READER, item, itemsPath, index, depth, run, undefined);
    if (parsed !== undefined) run.events.push(contactEvent(change, parsed));
  }
  emitLeftovers(change, [ITEMS], context, otherTypes === undefined ? undefined : { [ITEMS]: otherTypes });
}

function contactEvent(change: ChangeValue, { action, contact, timestamp, extra }: StateSyncItem): ContactAdded | ContactRemoved {
  const type = action === "add" ? "ContactAdded" : "ContactRemoved";
  const common = change.common;
  if (extra !== undefined) return { type, ...change.base, contact, timestamp, extra };
  // One literal for the usual envelope (a spread in a literal takes a slower path).
  if (common !== undefined) {
    const { source, wabaId, phoneNumberId, displayPhoneNumber } = common;
    return { type, source, wabaId, phoneNumberId, displayPhoneNumber, contact, timestamp };
  }
  return { type, ...change.base, contact, timestamp };
}
