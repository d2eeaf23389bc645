/**
 * `smb_message_echoes` (one `MessageEchoed` per echo) and `messages` (one `MessageReceived` per
 * customer message, one `MessageEchoed` per `message_echoes` item found there, one
 * `MessageStatusUpdated` per status, one `ErrorsReported` for value-level `errors`); `calls` stay
 * in an `UnhandledChange`.
 *
 * @module
 */
import type { ApiError } from "../../events/parts.js";
import type { Message } from "../../events/message.js";
import { apiErrorSchema } from "../../schemas/api-error.js";
import { statusSchema } from "../../schemas/status.js";
import { joinPath } from "../../core/path.js";
import { runSchema } from "../../core/parse-run.js";
import { runTolerantSchema } from "../tolerant-schema.js";
import { reportBusinessAsCustomer } from "./business-not-customer.js";
import { readChangeValue, readItems, type ChangeContext, type ChangeValue } from "./change-context.js";
import { emitLeftovers } from "./leftovers.js";
import { MESSAGE_READER } from "./parse-message.js";
import { readItem } from "../read-item.js";
import { pushWithProfiles, readProfiles, type ProfiledEvent } from "./profile-contacts.js";

const ECHOES = "message_echoes";
const MESSAGES = "messages";
const STATUSES = "statuses";
const ERRORS = "errors";

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
  readValueErrors(change, context);
  emitLeftovers(change, [...keys, ERRORS, "contacts"], context);
}

function readMessageItems(change: ChangeValue, context: ChangeContext, key: string, pending: ProfiledEvent[]): void {
  const items = readItems(change.raw, key, context) ?? [];
  const itemsPath = joinPath(context.path, key);
  const echo = key === ECHOES;
  for (let index = 0; index < items.length; index++) {
    const message = readItem(MESSAGE_READER, items[index], itemsPath, index, context.depth + 2, context.run, undefined);
    if (message === undefined) continue;
    const customer = echo ? recipientOf(message) : senderOf(message);
    reportBusinessAsCustomer(customer, change.base, joinPath(itemsPath, index), echo ? "to" : "from", context.run);
    pending.push({ event: echo ? { type: "MessageEchoed", ...change.base, message } : { type: "MessageReceived", ...change.base, message }, customer });
  }
}

/** A value's own `errors` (not tied to one message): one `ErrorsReported` holding those that can be read. */
function readValueErrors(change: ChangeValue, context: ChangeContext): void {
  if (change.raw[ERRORS] === undefined) return;
  const items = readItems(change.raw, ERRORS, context) ?? [];
  const itemsPath = joinPath(context.path, ERRORS);
  const errors: ApiError[] = [];
  for (let index = 0; index < items.length; index++) {
    const error = runSchema(apiErrorSchema, items[index], joinPath(itemsPath, index), context.depth + 2, context.run);
    if (error !== undefined) errors.push(error);
  }
  if (errors.length > 0) context.run.events.push({ type: "ErrorsReported", ...change.base, field: context.field, errors });
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
    const path = joinPath(itemsPath, index);
    const status = runTolerantSchema(statusSchema, items[index], path, context.depth + 2, context.run, {});
    if (status === undefined) continue;
    const customer = status.recipient.participant ?? status.recipient;
    reportBusinessAsCustomer(
      customer,
      change.base,
      path,
      status.recipient.participant === undefined ? "recipient_id" : "recipient_participant_id",
      context.run,
    );
    pending.push({ event: { type: "MessageStatusUpdated", ...change.base, ...status }, customer });
  }
}
