/**
 * What a fold could not place in a one-to-one conversation, and why: the book changes nothing
 * for such an event (or part of it), so every place that folds events says how many there were.
 *
 * @module
 */

/**
 * Why an event could not be placed:
 * - `no-business`: the event names no business (`phoneNumberId`): its body had no `metadata`
 *   (some partner forwards); pass the parse option `phoneNumberId`;
 * - `no-customer`: a message, status or preference names no customer identifier (or only the
 *   business's own number);
 * - `group`: group traffic, kept out of one-to-one conversations (its participants are linked).
 *
 * @example
 * ```ts
 * const reason: UnplacedReason = "no-business";
 * ```
 */
export type UnplacedReason = "no-business" | "no-customer" | "group";

/**
 * How many events a fold could not place, by reason.
 *
 * @example
 * ```ts
 * const { unplaced } = foldEvents(createContactBook(), events);
 * unplaced.count; // 0 when every event found its place
 * ```
 */
export interface UnplacedEvents {
  readonly count: number;
  readonly byReason: Readonly<Record<UnplacedReason, number>>;
}

/**
 * No event unplaced.
 *
 * @example
 * ```ts
 * noneUnplaced().count; // 0
 * ```
 */
export function noneUnplaced(): UnplacedEvents {
  return { count: 0, byReason: { "no-business": 0, "no-customer": 0, group: 0 } };
}

/**
 * One more unplaced event.
 *
 * @example
 * ```ts
 * countUnplaced(noneUnplaced(), "group").byReason.group; // 1
 * ```
 */
export function countUnplaced(unplaced: UnplacedEvents, reason: UnplacedReason): UnplacedEvents {
  return { count: unplaced.count + 1, byReason: { ...unplaced.byReason, [reason]: unplaced.byReason[reason] + 1 } };
}

/**
 * Two counts together (a store's batches, a CLI's files).
 *
 * @example
 * ```ts
 * addUnplaced(a, b).count === a.count + b.count; // true
 * ```
 */
export function addUnplaced(a: UnplacedEvents, b: UnplacedEvents): UnplacedEvents {
  const byReason = { ...a.byReason };
  for (const reason of Object.keys(byReason) as UnplacedReason[]) byReason[reason] += b.byReason[reason];
  return { count: a.count + b.count, byReason };
}

const EXPLANATIONS: Readonly<Record<UnplacedReason, (count: number) => string>> = {
  "no-business": (count) =>
    `${count} ${count === 1 ? "event names" : "events name"} no business (no metadata.phone_number_id in the body): pass the phoneNumberId parse option to place them`,
  "no-customer": (count) => `${count} ${count === 1 ? "event names" : "events name"} no customer (no identifier but the business's own number)`,
  group: (count) => `${count} group ${count === 1 ? "event is" : "events are"} kept out of one-to-one conversations (participants are linked)`,
};

/**
 * One line per reason, saying what to do: for a CLI, a log, an inspector.
 *
 * @example
 * ```ts
 * describeUnplaced(unplaced); // ["2 events name no business (...): pass the phoneNumberId parse option ..."]
 * ```
 */
export function describeUnplaced(unplaced: UnplacedEvents): string[] {
  return (Object.keys(EXPLANATIONS) as UnplacedReason[])
    .filter((reason) => unplaced.byReason[reason] > 0)
    .map((reason) => EXPLANATIONS[reason](unplaced.byReason[reason]));
}
