import type { CoexistenceEvent } from "./coexistence-event.js";
import type { HistoryRetained } from "./history-retained.js";
import type { PersonErased } from "./person-erased.js";

/**
 * The events an application applies itself to keep its customers' data as it must: they never
 * come from a webhook, and the book and the store fold them under the same laws as the others.
 *
 * @example
 * ```ts
 * const event: DataEvent = historyRetained("106540352242922", { days: 180 });
 * ```
 */
export type DataEvent = HistoryRetained | PersonErased;

/**
 * What the book and the store fold: the events of webhooks and the application's own.
 *
 * @example
 * ```ts
 * const events: BookEvent[] = [...parseWebhook(body), historyRetained("106540352242922", { days: 180 })];
 * ```
 */
export type BookEvent = CoexistenceEvent | DataEvent;
