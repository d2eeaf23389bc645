/**
 * `smb_message_echoes` (one `MessageEchoed` per echo) and `messages` (one `MessageReceived` per
 * customer message; statuses and errors stay in an `UnhandledChange`).
 *
 * @module
 */
import { joinPath } from "../path.js";
import { emitLeftovers, readChangeValue, readItems, type ChangeContext } from "./change-context.js";
import { parseMessage } from "./parse-message.js";
import { ProfileContacts } from "./profile-contacts.js";

/** Parses an `smb_message_echoes` change value: the business wrote from the app; the customer is `to`. */
export function parseMessageEchoesChange(value: unknown, context: ChangeContext): void {
  parseMessages(value, context, "message_echoes", "MessageEchoed");
}

/** Parses a `messages` change value: customers wrote to the business. */
export function parseMessagesChange(value: unknown, context: ChangeContext): void {
  parseMessages(value, context, "messages", "MessageReceived");
}

function parseMessages(
  value: unknown,
  context: ChangeContext,
  key: "message_echoes" | "messages",
  type: "MessageEchoed" | "MessageReceived",
): void {
  const change = readChangeValue(value, context);
  if (change === undefined) return;
  const items = readItems(change.raw, key, context);
  const contacts = new ProfileContacts(change.raw, context);
  const itemsPath = joinPath(context.path, key);
  (items ?? []).forEach((raw, index) => {
    const message = parseMessage(raw, joinPath(itemsPath, index), context.depth + 2, context.run);
    if (message === undefined) return;
    const contact =
      type === "MessageEchoed" ? contacts.find(message.to, message.toUserId) : contacts.find(message.from, message.fromUserId);
    context.run.events.push(
      contact === undefined ? { type, ...change.base, message } : { type, ...change.base, message, contact },
    );
  });
  const unusedContacts = contacts.unused();
  emitLeftovers(change, [key, "contacts"], context, unusedContacts.length > 0 ? { contacts: unusedContacts } : {});
}
