/**
 * Erasure in the store, as the book applies it (`PersonErased`): each erased identifier with the
 * latest time it was erased at (`erasures`), and each person's horizon (`persons.horizon`, the
 * latest erasure of any of its identifiers). After a batch is written, every erased person it
 * touched (through a key, a message or a reaction), or that it erased or joined, is settled: its
 * messages whose earliest piece is at or before the horizon are dropped (as retention drops them),
 * its reactions at or before it deleted, its address-book winner cleared when no newer, and its
 * place in the contact list moved to its smallest identifier not erased. An identifier not seen
 * since the horizon is hidden from every answer (`person-reads.ts`). A business with erasures has
 * its batches run alone (see `gateBatch`), so settling never races another writer.
 *
 * @module
 */
import { smallestShown } from "../book/book-state.js";
import { sortableText, type AtomBatch } from "./atom-batch.js";
import type { Queryable } from "./database.js";
import { dropMessages } from "./retention.js";

/** Where a batch's keys belong (see `placeBatch`). */
interface KeyPlacement {
  personOf(phoneNumberId: string, key: string): string;
}

/**
 * Writes a batch's erasures and settles the erased people it touched (run after its rows, in its
 * transaction, with its businesses held exclusively).
 */
export async function settleErasures(connection: Queryable, s: string, batch: AtomBatch, placement: KeyPlacement): Promise<void> {
  if (batch.erasing.size === 0) return;
  const erasures = [...batch.erasures.values()];
  if (erasures.length > 0) {
    await connection.query(
      `WITH marks AS (INSERT INTO ${s}.erasures AS e (phone_number_id, key, erased_at) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
                      ON CONFLICT (phone_number_id, key) DO UPDATE SET erased_at = EXCLUDED.erased_at WHERE EXCLUDED.erased_at > e.erased_at),
            flags AS (INSERT INTO ${s}.retention AS r (phone_number_id, has_erasures) SELECT DISTINCT id, true FROM unnest($1::text[]) AS id
                      ON CONFLICT (phone_number_id) DO UPDATE SET has_erasures = true WHERE NOT r.has_erasures)
       UPDATE ${s}.persons AS p SET horizon = h.at
         FROM (SELECT id, person, max(at) AS at FROM unnest($1::text[], $4::bigint[], $3::bigint[]) AS h(id, person, at) GROUP BY 1, 2) AS h
        WHERE p.phone_number_id = h.id AND p.person_id = h.person AND h.at > p.horizon`,
      [
        erasures.map((erasure) => erasure.phoneNumberId),
        erasures.map((erasure) => erasure.key),
        erasures.map((erasure) => erasure.at),
        erasures.map((erasure) => placement.personOf(erasure.phoneNumberId, erasure.key)),
      ],
    );
  }
  // The erased people the batch touched: through its keys (and reactors), its messages, its erasures.
  const keys: [string, string][] = [];
  for (const row of batch.identifiers.values()) if (batch.erasing.has(row.phoneNumberId)) keys.push([row.phoneNumberId, row.key]);
  for (const row of batch.reactions.values()) if (batch.erasing.has(row.phoneNumberId)) keys.push([row.phoneNumberId, row.reactor]);
  const messages = batch.messageIds().filter(([id]) => batch.erasing.has(id));
  const { rows } = await connection.query(
    `SELECT p.phone_number_id, p.person_id, p.horizon FROM ${s}.persons AS p
      WHERE p.horizon > 0 AND (p.phone_number_id, p.person_id) IN (
        SELECT i.phone_number_id, i.person_id FROM unnest($1::text[], $2::text[]) AS k(id, key)
          JOIN ${s}.identifiers AS i ON i.phone_number_id = k.id AND i.key = k.key
        UNION SELECT m.phone_number_id, m.person_id FROM unnest($3::text[], $4::text[]) AS b(id, message)
          JOIN ${s}.message_records AS m ON m.phone_number_id = b.id AND m.message_id = b.message)
      ORDER BY 1, 2`,
    [keys.map(([id]) => id), keys.map(([, key]) => key), messages.map(([id]) => id), messages.map(([, message]) => message)],
  );
  for (const row of rows) await settlePerson(connection, s, row.phone_number_id as string, String(row.person_id), Number(row.horizon));
}

/** Erases what a person's horizon covers (see the module's description). */
async function settlePerson(connection: Queryable, s: string, phoneNumberId: string, person: string, horizon: number): Promise<void> {
  const { rows: covered } = await connection.query(
    `SELECT m.message_id, m.keys[1] AS key FROM ${s}.message_records AS m
       LEFT JOIN ${s}.amended_at AS a ON a.phone_number_id = m.phone_number_id AND a.message_id = m.message_id
      WHERE m.phone_number_id = $1 AND m.person_id = $2 AND LEAST(m.first_at, COALESCE(a.first_at, m.first_at)) <= $3`,
    [phoneNumberId, person, horizon],
  );
  if (covered.length > 0) {
    await dropMessages(
      connection,
      s,
      phoneNumberId,
      covered.map((row) => ({ messageId: row.message_id as string, key: row.key as string })),
    );
  }
  const { rows: identifiers } = await connection.query(
    `WITH reactions AS (DELETE FROM ${s}.message_reactions AS r USING ${s}.identifiers AS i
                        WHERE i.phone_number_id = $1 AND i.person_id = $2 AND r.phone_number_id = $1 AND r.reactor = i.key AND r."timestamp" <= $3),
          contact AS (UPDATE ${s}.persons SET contact = NULL, contact_order = NULL, contact_at = NULL, listed = false
                       WHERE phone_number_id = $1 AND person_id = $2 AND contact_at <= $3)
     SELECT key, seen_at FROM ${s}.identifiers WHERE phone_number_id = $1 AND person_id = $2`,
    [phoneNumberId, person, horizon],
  );
  // Its place in the contact list, as the book places it.
  const first = smallestShown(
    identifiers.map((row): [string, number] => [row.key as string, Number(row.seen_at)]),
    horizon,
  );
  if (first !== undefined) {
    await connection.query(`UPDATE ${s}.persons SET first_order = $3 WHERE phone_number_id = $1 AND person_id = $2`, [
      phoneNumberId,
      person,
      sortableText(first),
    ]);
  }
}
