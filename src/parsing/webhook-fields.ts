/**
 * The webhook fields this library parses: for each, what it carries, the event types it makes, and
 * (apart, internal) its parser. One
 * registry that parsing dispatches on, the CLI's inspector reads (which field a delivery's events
 * came from), and a test holds the docs to; a new field or event type is added here, and the
 * compiler names every event type that no field makes.
 *
 * @module
 */
import type { CoexistenceEvent } from "../events/coexistence-event.js";
import type { ChangeContext } from "./changes/change-context.js";
import { parseAccountUpdateChange } from "./changes/account-update-change.js";
import { parseHistoryChange } from "./changes/history-change.js";
import { parseUserIdUpdateChange, parseUserPreferencesChange } from "./changes/identity-changes.js";
import { parseMessageEchoesChange, parseMessagesChange } from "./changes/message-changes.js";
import { parseStateSyncChange } from "./changes/state-sync-change.js";

/** One webhook field: what it carries, and the event types it makes (the first field listing a type is its home). */
interface WebhookField {
  readonly about: string;
  readonly events: readonly CoexistenceEvent["type"][];
}

/**
 * The webhook fields the parser reads, each with what it carries and the event types it makes.
 * Any other field becomes an `UnhandledChange`; value-level `errors` of `messages` and
 * `smb_message_echoes` become an `ErrorsReported`.
 *
 * @example
 * ```ts
 * import { WEBHOOK_FIELDS } from "whatsapp-coexistence";
 *
 * Object.keys(WEBHOOK_FIELDS); // the fields to subscribe the app to
 * WEBHOOK_FIELDS.history.events; // ["HistoryChunk", "HistoryDeclined", "HistoryMedia"]
 * ```
 */
export const WEBHOOK_FIELDS = /* @__PURE__ */ Object.freeze({
  smb_app_state_sync: {
    about: "the phone's address book: contacts added, edited and removed",
    events: ["ContactAdded", "ContactRemoved"],
  },
  smb_message_echoes: {
    about: "messages the business typed in the WhatsApp Business app",
    events: ["MessageEchoed"],
  },
  history: {
    about: "past chats in chunks, their media, or a refusal",
    events: ["HistoryChunk", "HistoryDeclined", "HistoryMedia"],
  },
  messages: {
    about: "messages received from customers, delivery statuses (and echoes some partners forward here)",
    events: ["MessageReceived", "MessageStatusUpdated", "MessageEchoed"],
  },
  user_id_update: { about: "a customer's business-scoped user id rotated", events: ["UserIdChanged"] },
  user_preferences: { about: "a customer's marketing preferences", events: ["UserPreferencesUpdated"] },
  account_update: {
    about: "the number's lifecycle: partner removed, offboarded, reconnected",
    events: ["AccountLifecycleChanged"],
  },
} as const satisfies Readonly<Record<string, WebhookField>>);

/**
 * A webhook field this library parses.
 *
 * @example
 * ```ts
 * const field: WebhookFieldName = "smb_app_state_sync";
 * ```
 */
export type WebhookFieldName = keyof typeof WEBHOOK_FIELDS;

/** The event types some field makes; the two that carry their field themselves are left out. */
type FieldEventType = (typeof WEBHOOK_FIELDS)[WebhookFieldName]["events"][number];

/** Every event type a field makes, or that carries its own `field`: a new type without a home fails to compile here. */
const EVERY_TYPE_HAS_A_FIELD: [Exclude<CoexistenceEvent["type"], FieldEventType | "UnhandledChange" | "ErrorsReported">] extends [never] ? true : never = true;
void EVERY_TYPE_HAS_A_FIELD;

/** Each event type's home field (the first field that lists it). */
const HOME = /* @__PURE__ */ (() => {
  const home = new Map<string, WebhookFieldName>();
  for (const [field, { events }] of Object.entries(WEBHOOK_FIELDS) as [WebhookFieldName, { events: readonly string[] }][]) {
    for (const type of events) if (!home.has(type)) home.set(type, field);
  }
  return home;
})();

/**
 * The webhook field an event came from: its own `field` for an `UnhandledChange` or an
 * `ErrorsReported`, else its type's home field.
 *
 * @example
 * ```ts
 * fieldOfEvent({ type: "ContactAdded", ...rest }); // "smb_app_state_sync"
 * ```
 */
export function fieldOfEvent(event: CoexistenceEvent): string {
  return event.type === "UnhandledChange" || event.type === "ErrorsReported" ? event.field : (HOME.get(event.type) as string);
}

/** Each field's parser: a field of the registry without one fails to compile. */
export const FIELD_PARSERS: Readonly<Record<WebhookFieldName, (value: unknown, context: ChangeContext) => void>> = {
  smb_app_state_sync: parseStateSyncChange,
  smb_message_echoes: parseMessageEchoesChange,
  history: parseHistoryChange,
  messages: parseMessagesChange,
  user_id_update: parseUserIdUpdateChange,
  user_preferences: parseUserPreferencesChange,
  account_update: parseAccountUpdateChange,
};

/** Whether a field is one this library parses. */
export function isParsedField(field: string): field is WebhookFieldName {
  return Object.hasOwn(WEBHOOK_FIELDS, field);
}
