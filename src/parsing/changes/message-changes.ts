/**
 * `smb_message_echoes` (one `MessageEchoed` per echo) and `messages` (one `MessageReceived` per
 * customer message, one `MessageEchoed` per `message_echoes` item found there, one
 * `MessageStatusUpdated` per status); value-level `errors` and `calls` stay in an
 * `UnhandledChange`.
 *
 * @module
 */
import type { Message } from "../../events/message.js";
import { STATUS_IDENTITY_KEYS, statusSchema } from "../../schemas/status.js";
import { joinPath } from "../../core/path.js";
import { runTolerantSchema } from "../tolerant-schema.js";
import { emitLeftovers, readChangeValue, readItems, type ChangeContext, type ChangeValue } from "./change-context.js";
import { parseMessage } from "./parse-message.js";
import { pushWithProfiles, readProfiles, type ProfiledEvent } from "./profile-contacts.js";

const ECHOES = "message_echoes";
const MESSAGES = "messages";
const STATUSES = "statuses";

/** Parses an `smb_message_echoes` change value: the business wrote from the app; the customer is `to`. */
export function parseMessageEchoesChange(value: unknown, context: ChangeContext): void {
  parseMessages(value, context, [ECHOES]);
}

/** Parses a `messages` change value: customers wrote to the business (and, in some bodies, echoes and statuses). */
export function parseMessagesChange(value: unknown, context: ChangeContext): void {
  parseMessages(value, context, [MESSAGES, ECHOES, STATUSES]);
}

function parseMessages(value: unknown, context: ChangeContext, keys: readonly string[]): void {
  const change = readChangeValue(value, context);
  if (change === undefined) return;
  const pending: ProfiledEvent[] = [];
  for (const key of keys) {
    if (key === STATUSES) readStatuses(change, context, pending);
    else readMessageItems(change, context, key, pending);
  }
  pushWithProfiles(pending, readProfiles(change.raw, context), context);
  emitLeftovers(change, [...keys, "contacts"], context);
}

function readMessageItems(change: ChangeValue, context: ChangeContext, key: string, pending: ProfiledEvent[]): void {
  const items = readItems(change.raw, key, context) ?? [];
  const itemsPath = joinPath(context.path, key);
  const echo = key === ECHOES;
  for (let index = 0; index < items.length; index++) {
    const message = parseMessage(items[index], joinPath(itemsPath, index), context.depth + 2, context.run);
    if (message === undefined) continue;
    pending.push(
      echo
        ? { event: { type: "MessageEchoed", ...change.base, message }, customer: recipientOf(message) }
        : { event: { type: "MessageReceived", ...change.base, message }, customer: senderOf(message) },
    );
  }
}

function senderOf(message: Message) {
  return { phoneNumber: message.from, userId: message.fromUserId, parentUserId: message.fromParentUserId };
}

function recipientOf(message: Message) {
  return { phoneNumber: message.to, userId: message.toUserId, parentUserId: message.toParentUserId };
}

function readStatuses(change: ChangeValue, context: ChangeContext, pending: ProfiledEvent[]): void {
  const items = readItems(change.raw, STATUSES, context) ?? [];
  const itemsPath = joinPath(context.path, STATUSES);
  for (let index = 0; index < items.length; index++) {
    const status = runTolerantSchema(statusSchema, items[index], joinPath(itemsPath, index), context.depth + 2, context.run, {
      identity: STATUS_IDENTITY_KEYS,
    });
    if (status !== undefined) pending.push({ event: { type: "MessageStatusUpdated", ...change.base, ...status }, customer: status.recipient });
  }
}
