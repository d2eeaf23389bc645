/**
 * The parser for each webhook field.
 *
 * @module
 */
import type { ChangeContext } from "./change-context.js";
import { parseAccountUpdateChange } from "./account-update-change.js";
import { parseHistoryChange } from "./history-change.js";
import { parseUserIdUpdateChange, parseUserPreferencesChange } from "./identity-changes.js";
import { parseMessageEchoesChange, parseMessagesChange } from "./message-changes.js";
import { parseStateSyncChange } from "./state-sync-change.js";
import { parseUnhandledChange } from "./unhandled-change.js";

/** Parses one change value into events and issues, by its field. */
export function parseChangeValue(value: unknown, context: ChangeContext): void {
  // A switch on the field compiles to string comparisons: cheaper than a keyed lookup per change.
  switch (context.field) {
    case "smb_app_state_sync":
      return parseStateSyncChange(value, context);
    case "smb_message_echoes":
      return parseMessageEchoesChange(value, context);
    case "history":
      return parseHistoryChange(value, context);
    case "messages":
      return parseMessagesChange(value, context);
    case "user_id_update":
      return parseUserIdUpdateChange(value, context);
    case "user_preferences":
      return parseUserPreferencesChange(value, context);
    case "account_update":
      return parseAccountUpdateChange(value, context);
    default:
      return parseUnhandledChange(value, context);
  }
}

export type { ChangeContext } from "./change-context.js";
