import type { EventBase } from "./event-base.js";
import type { HistoryMessage } from "./message.js";
import type { ProfileContact } from "./parts.js";

/**
 * The media follow-up of a history sync (`history` change without a `history` key): the full media
 * objects for messages that earlier chunks carried as placeholders (same ids).
 *
 * @example
 * ```ts
 * if (event.type === "HistoryMedia") for (const m of event.messages) console.log(m.id, m.direction);
 * ```
 */
export interface HistoryMedia extends EventBase {
  readonly type: "HistoryMedia";
  /** Customer-sent media (`value.messages`, inbound) then business-sent media (`value.message_echoes`, outbound). */
  readonly messages: HistoryMessage[];
  /** The customers' profiles the change lists in `contacts`. */
  readonly contacts?: ProfileContact[];
}
