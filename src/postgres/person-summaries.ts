/**
 * A person's conversation summary on its `persons` row (the count of its messages, its newest
 * message), brought up to date after a write adds messages to people or takes some away.
 *
 * @module
 */
import type { Queryable } from "./database.js";

/**
 * Adds `change` to each person's message count (negative when messages were dropped) and reads its
 * newest message again: one statement for every person.
 *
 * @example
 * ```ts
 * await refreshMessageSummaries(connection, s, [{ phoneNumberId: "106540352242922", person: "7", change: -2 }]);
 * ```
 */
export async function refreshMessageSummaries(
  connection: Queryable,
  s: string,
  people: readonly { readonly phoneNumberId: string; readonly person: string; readonly change: number }[],
): Promise<void> {
  if (people.length === 0) return;
  await connection.query(
    `UPDATE ${s}.persons AS p SET messages = p.messages + t.added,
       (last_at, last_id_order, last_message_id, last_outbound) = (
         SELECT "timestamp", id_order, message_id, outbound FROM ${s}.message_records AS m
          WHERE m.phone_number_id = p.phone_number_id AND m.person_id = p.person_id ORDER BY "timestamp" DESC, id_order DESC LIMIT 1)
     FROM unnest($1::text[], $2::bigint[], $3::integer[]) AS t(id, person, added)
     WHERE p.phone_number_id = t.id AND p.person_id = t.person`,
    [people.map((entry) => entry.phoneNumberId), people.map((entry) => entry.person), people.map((entry) => entry.change)],
  );
}
