/**
 * `smb_app_state_sync`: one `ContactAdded` or `ContactRemoved` per contact item.
 *
 * @module
 */
import { fastStateSyncItem } from "../../fast/fast-state-sync.js";
import { STATE_SYNC_IDENTITY_KEYS, stateSyncItemSchema } from "../../schemas/state-sync.js";
import { joinPath } from "../../core/path.js";
import { isObject } from "../../core/parse-run.js";
import { runTolerantSchema } from "../tolerant-schema.js";
import { emitLeftovers, readChangeValue, readItems, type ChangeContext } from "./change-context.js";

const ITEMS = "state_sync";

/** Parses an `smb_app_state_sync` change value into events. */
export function parseStateSyncChange(value: unknown, context: ChangeContext): void {
  const change = readChangeValue(value, context);
  if (change === undefined) return;
  const items = readItems(change.raw, ITEMS, context);
  if (items === undefined) return;
  const itemsPath = joinPath(context.path, ITEMS);
  const otherTypes: unknown[] = [];
  items.forEach((item, index) => {
    if (isObject(item) && typeof item.type === "string" && item.type !== "contact") {
      otherTypes.push(item);
      return;
    }
    const depth = context.depth + 2;
    const parsed =
      fastStateSyncItem(item, depth, context.run.maxDepth) ??
      runTolerantSchema(stateSyncItemSchema, item, joinPath(itemsPath, index), depth, context.run, { identity: STATE_SYNC_IDENTITY_KEYS });
    if (parsed === undefined) return;
    context.run.events.push({
      type: parsed.action === "add" ? "ContactAdded" : "ContactRemoved",
      ...change.base,
      contact: parsed.contact,
      timestamp: parsed.timestamp,
    });
  });
  emitLeftovers(change, [ITEMS], context, otherTypes.length > 0 ? { [ITEMS]: otherTypes } : {});
}
