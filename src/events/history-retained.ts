/**
 * An event the application applies itself (it never comes from a webhook): keep a business's
 * messages from `before` on. Everything of a message older than the horizon goes (its content,
 * its timeline entry, its edits and reactions), and a late piece of it (a history chunk retried
 * days later, a status) is not stored again. The horizon only moves forward.
 *
 * @example
 * ```ts
 * const retained: HistoryRetained = { type: "HistoryRetained", phoneNumberId: "106540352242922", before: 1739321024 };
 * ```
 */
export interface HistoryRetained {
  readonly type: "HistoryRetained";
  readonly phoneNumberId: string;
  /** The horizon, unix seconds: messages with any piece older than this are dropped. */
  readonly before: number;
}

/** Seconds in a day. */
const DAY = 86_400;

/**
 * Makes a {@link HistoryRetained}: keep `days` days of messages before `now` (a provider keeps 180
 * days, or less), or everything from `before` on.
 *
 * @throws TypeError for an empty business id, a negative or fractional count of days, or a time that is not one.
 * @example
 * ```ts
 * book = applyEvent(book, historyRetained("106540352242922", { days: 180 }));
 * book = applyEvent(book, historyRetained("106540352242922", { before: new Date("2026-06-01") }));
 * ```
 */
export function historyRetained(
  phoneNumberId: string,
  horizon: { readonly days: number; readonly now?: number | Date } | { readonly before: number | Date },
): HistoryRetained {
  if (typeof phoneNumberId !== "string" || phoneNumberId === "") throw new TypeError("historyRetained: give the business's phoneNumberId.");
  let before: number;
  if ("days" in horizon) {
    if (!Number.isInteger(horizon.days) || horizon.days < 0)
      throw new TypeError(`historyRetained: days must be a whole number of days, not ${String(horizon.days)}.`);
    before = unixSeconds(horizon.now ?? new Date(), "now") - horizon.days * DAY;
  } else {
    before = unixSeconds(horizon.before, "before");
  }
  return { type: "HistoryRetained", phoneNumberId, before: Math.max(0, before) };
}

/** A time as whole unix seconds. */
function unixSeconds(time: number | Date, name: string): number {
  const seconds = time instanceof Date ? Math.floor(time.getTime() / 1000) : time;
  if (typeof seconds !== "number" || !Number.isInteger(seconds) || seconds < 0) {
    throw new TypeError(`historyRetained: ${name} must be unix seconds or a Date, not ${String(time)}.`);
  }
  return seconds;
}
