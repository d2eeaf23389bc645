import type { HistoryThreadHeader } from "../schemas/history.js";
import type { EventBase } from "./event-base.js";
import type { HistoryMessage } from "./message.js";

/**
 * One conversation in a history chunk: the customer, and the messages (in no guaranteed order).
 *
 * @example
 * ```ts
 * const thread: HistoryThread = { id: "16505551234", messages: [] };
 * ```
 */
export type HistoryThread = HistoryThreadHeader & { readonly messages: HistoryMessage[] };

/**
 * A chunk of past chats (`history` item with `metadata`). Chunks arrive out of order and may repeat
 * messages; `progress` 100 means the whole sync is done (more chunks may still follow).
 *
 * @example
 * ```ts
 * if (event.type === "HistoryChunk") console.log(`phase ${event.phase}, ${event.progress}%`);
 * ```
 */
export interface HistoryChunk extends EventBase {
  readonly type: "HistoryChunk";
  /** 0: day 0-1 before onboarding, 1: days 1-90, 2: days 90-180. */
  readonly phase: number;
  /** Orders chunks that arrive out of sequence. */
  readonly chunkOrder: number;
  /** 0 to 100; 100 means the sync is complete. */
  readonly progress: number;
  readonly threads: HistoryThread[];
}
