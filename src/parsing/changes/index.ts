/**
 * The parser for each webhook field.
 *
 * @module
 */
import type { ChangeContext } from "./change-context.js";
import { parseHistoryChange } from "./history-change.js";
import { parseUserIdUpdateChange, parseUserPreferencesChange } from "./identity-changes.js";
import { parseMessageEchoesChange, parseMessagesChange } from "./message-changes.js";
import { parseStateSyncChange } from "./state-sync-change.js";
import { parseUnhandledChange } from "./unhandled-change.js";

const PARSERS: Readonly<Record<string, (value: unknown, context: ChangeContext) => void>> = {
  smb_app_state_sync: parseStateSyncChange,
  smb_message_echoes: parseMessageEchoesChange,
  history: parseHistoryChange,
  messages: parseMessagesChange,
  user_id_update: parseUserIdUpdateChange,
  user_preferences: parseUserPreferencesChange,
};

/** Parses one change value into events and issues, by its field. */
export function parseChangeValue(value: unknown, context: ChangeContext): void {
  const parser = Object.hasOwn(PARSERS, context.field) ? PARSERS[context.field] : undefined;
  (parser ?? parseUnhandledChange)(value, context);
}

export type { ChangeContext } from "./change-context.js";
