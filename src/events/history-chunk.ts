import type { Extra } from "./parts.js";
import type { EventBase } from "./event-base.js";
import type { HistoryMessage } from "./message.js";

/**
 * One conversation in a history chunk: the customer, and the messages (in no guaranteed order).
 * The customer is `id` (a phone number) and/or `userId` (from `context`); real threads can name
 * neither, and then each message's own parties say who it is with.
 *
 * @example
 * ```ts
 * const thread: HistoryThread = { id: "16505551234", messages: [] };
 * ```
 */
export interface HistoryThread {
  /** The customer's phone number (`id`, else `context.wa_id`), as digits. */
  readonly id?: string;
  readonly userId?: string;
  readonly parentUserId?: string;
  /** An attribute of the customer, never an identifier. */
  readonly username?: string;
  readonly countryCode?: string;
  readonly messages: HistoryMessage[];
  readonly extra?: Extra;
}

/**
 * A chunk of past chats (`history` item with `metadata`). Chunks arrive out of order and may repeat
 * messages; `progress` 100 means the whole sync is done (more chunks may still follow). A history
 * item without `metadata` (seen in real traffic) still gives a chunk, with `phase`, `chunkOrder`
 * and `progress` absent.
 *
 * @example
 * ```ts
 * if (event.type === "HistoryChunk") console.log(`phase ${event.phase ?? "?"}, ${event.progress ?? "?"}%`);
 * ```
 */
export interface HistoryChunk extends EventBase {
  readonly type: "HistoryChunk";
  /** 0: day 0-1 before onboarding, 1: days 1-90, 2: days 90-180. */
  readonly phase?: number;
  /** Orders chunks that arrive out of sequence. */
  readonly chunkOrder?: number;
  /** 0 to 100; 100 means the sync is complete. */
  readonly progress?: number;
  readonly threads: HistoryThread[];
  /** The item's keys this library does not model, as received (its `metadata`'s under `extra.metadata`). */
  readonly extra?: Extra;
}
