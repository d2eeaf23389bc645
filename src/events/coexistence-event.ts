/**
 * The event union that parsing produces.
 *
 * @module
 */
import type { AccountLifecycleChanged } from "./account-lifecycle-changed.js";
import type { ContactAdded } from "./contact-added.js";
import type { ContactRemoved } from "./contact-removed.js";
import type { ErrorsReported } from "./errors-reported.js";
import type { HistoryChunk } from "./history-chunk.js";
import type { HistoryDeclined } from "./history-declined.js";
import type { HistoryMedia } from "./history-media.js";
import type { MessageEchoed } from "./message-echoed.js";
import type { MessageReceived } from "./message-received.js";
import type { MessageStatusUpdated } from "./message-status-updated.js";
import type { UnhandledChange } from "./unhandled-change.js";
import type { UserIdChanged } from "./user-id-changed.js";
import type { UserPreferencesUpdated } from "./user-preferences-updated.js";

/**
 * Every event type, in one list (useful for exhaustive handling and for building UIs).
 *
 * @example
 * ```ts
 * EVENT_TYPES.includes("ContactAdded"); // true
 * ```
 */
export const EVENT_TYPES = [
  "ContactAdded",
  "ContactRemoved",
  "MessageEchoed",
  "MessageReceived",
  "HistoryChunk",
  "HistoryDeclined",
  "HistoryMedia",
  "MessageStatusUpdated",
  "UserIdChanged",
  "UserPreferencesUpdated",
  "ErrorsReported",
  "AccountLifecycleChanged",
  "UnhandledChange",
] as const;

/**
 * Any event parsed from a webhook, discriminated on `type`.
 *
 * @example
 * ```ts
 * for (const event of parseWebhook(body)) {
 *   switch (event.type) {
 *     case "ContactAdded": console.log(event.contact.fullName); break;
 *     case "MessageEchoed": console.log(event.message.type); break;
 *     case "HistoryChunk": console.log(event.progress); break;
 *   }
 * }
 * ```
 */
export type CoexistenceEvent =
  | ContactAdded
  | ContactRemoved
  | MessageEchoed
  | MessageReceived
  | HistoryChunk
  | HistoryDeclined
  | HistoryMedia
  | MessageStatusUpdated
  | UserIdChanged
  | UserPreferencesUpdated
  | ErrorsReported
  | AccountLifecycleChanged
  | UnhandledChange;

/** The `type` of a {@link CoexistenceEvent}. @example `const type: CoexistenceEventType = "HistoryChunk";` */
export type CoexistenceEventType = (typeof EVENT_TYPES)[number];
