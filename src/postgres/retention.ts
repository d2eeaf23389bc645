/**
 * Retention in the store, as the book applies it (`HistoryRetained`): each business's horizon,
 * and the messages dropped (a `dropped_messages` row per id, with a customer key seen with it). A
 * batch is checked against them once its businesses are locked: a piece of a dropped message, or
 * one older than the horizon, is taken out of the batch and its message dropped (`AtomBatch.drop`).
 * Dropping runs with the business locked exclusively (no writer shares it), so a message is never
 * written beside its own tombstone.
 *
 * @module
 */
import { rowId, type AtomBatch } from "./atom-batch.js";
import type { Queryable } from "./database.js";
import { refreshMessageSummaries } from "./person-summaries.js";

/**
 * Checks a batch against its businesses' horizons (stored, and its own `HistoryRetained`) and
 * dropped messages, and takes out of it every message to drop.
 *
 * @param businesses - every business the batch writes to (`batch.businesses()`, locked).
 *
 * @returns whether the batch drops anything, or touches a business with erasures (it must then
 *   hold its businesses exclusively).
 */
export async function gateBatch(connection: Queryable, s: string, batch: AtomBatch, businesses: readonly string[]): Promise<boolean> {
  const ids = batch.messageIds();
  const horizons = new Map(batch.retentions);
  const withDrops = new Set<string>();
  for (const { phoneNumberId } of batch.erasures.values()) batch.erasing.add(phoneNumberId);
  const { rows: states } = await connection.query(
    `SELECT phone_number_id, before, has_drops, has_erasures FROM ${s}.retention WHERE phone_number_id = ANY ($1::text[])`,
    [businesses],
  );
  for (const row of states) {
    const id = row.phone_number_id as string;
    horizons.set(id, Math.max(horizons.get(id) ?? 0, Number(row.before)));
    if (row.has_drops === true) withDrops.add(id);
    // A business with erasures: each of its batches runs alone, and settles the erased people it touches.
    if (row.has_erasures === true) batch.erasing.add(id);
  }
  const doomed = new Map<string, string | undefined>();
  for (const [phoneNumberId, , id] of ids) {
    const first = batch.firstAt(id);
    if (first !== undefined && first < (horizons.get(phoneNumberId) ?? 0)) doomed.set(id, undefined);
  }
  // Dropped by an earlier attempt of this batch (whose transaction was not kept): read again, as a
  // record or a tombstone with another key may have come since.
  for (const { phoneNumberId, messageId, key } of batch.drops.values()) {
    const id = rowId(phoneNumberId, messageId);
    if (!doomed.has(id)) {
      doomed.set(id, key);
      ids.push([phoneNumberId, messageId, id]);
    }
  }
  // The pieces of messages dropped before (and the key each was seen with): read only where the business has any.
  const maybeDropped = ids.filter(([phoneNumberId]) => withDrops.has(phoneNumberId));
  if (maybeDropped.length > 0) {
    const { rows } = await connection.query(
      `SELECT b.n, d.key FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS b(id, message, n)
         JOIN ${s}.dropped_messages AS d ON d.phone_number_id = b.id AND d.message_id = b.message`,
      [maybeDropped.map(([id]) => id), maybeDropped.map(([, message]) => message)],
    );
    for (const row of rows) {
      const [, , id] = maybeDropped[Number(row.n) - 1] as [string, string, string];
      doomed.set(id, row.key === "" ? undefined : (row.key as string));
    }
  }
  if (doomed.size > 0) {
    // A stored record of a message dropped now: its key stays with the message's (a record would have joined them).
    const doomedIds = ids.filter(([, , id]) => doomed.has(id));
    const { rows } = await connection.query(
      `SELECT b.n, m.keys[1] AS key FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS b(id, message, n)
         JOIN ${s}.message_records AS m ON m.phone_number_id = b.id AND m.message_id = b.message`,
      [doomedIds.map(([id]) => id), doomedIds.map(([, message]) => message)],
    );
    const stored = new Map(rows.map((row) => [(doomedIds[Number(row.n) - 1] as [string, string, string])[2], row.key as string]));
    for (const [phoneNumberId, messageId, id] of doomedIds) {
      batch.drop(
        phoneNumberId,
        messageId,
        [doomed.get(id), stored.get(id)].filter((key): key is string => key !== undefined),
      );
    }
  }
  return batch.drops.size > 0 || batch.retentions.size > 0 || batch.erasing.size > 0;
}

/**
 * Writes what a batch drops, after its rows: each business's horizon rises to the batch's, every
 * message with a piece older than it is dropped, and so is every message the batch took out. A
 * dropped message's record leaves its person (whose summary is brought up to date) and its
 * amendments go; its id stays, with a customer key seen with it; a history id stays counted.
 */
export async function writeDrops(connection: Queryable, s: string, batch: AtomBatch): Promise<void> {
  const drops = new Map<string, { messageId: string; key: string | undefined }[]>();
  for (const { phoneNumberId, messageId, key } of batch.drops.values()) {
    const list = drops.get(phoneNumberId) ?? [];
    list.push({ messageId, key });
    drops.set(phoneNumberId, list);
  }
  for (const [phoneNumberId, before] of batch.retentions) {
    await connection.query(
      `INSERT INTO ${s}.retention AS r (phone_number_id, before) VALUES ($1, $2)
        ON CONFLICT (phone_number_id) DO UPDATE SET before = GREATEST(r.before, EXCLUDED.before)`,
      [phoneNumberId, before],
    );
    const { rows } = await connection.query(
      `SELECT message_id FROM ${s}.message_records WHERE phone_number_id = $1 AND first_at < $2
        UNION SELECT message_id FROM ${s}.amended_at WHERE phone_number_id = $1 AND first_at < $2`,
      [phoneNumberId, before],
    );
    const list = drops.get(phoneNumberId) ?? [];
    for (const row of rows) list.push({ messageId: row.message_id as string, key: undefined });
    drops.set(phoneNumberId, list);
  }
  for (const [phoneNumberId, list] of drops) if (list.length > 0) await dropMessages(connection, s, phoneNumberId, list);
}

/** Drops messages of one business (see {@link writeDrops}). */
export async function dropMessages(
  connection: Queryable,
  s: string,
  phoneNumberId: string,
  list: readonly { messageId: string; key: string | undefined }[],
): Promise<void> {
  const values = [phoneNumberId, list.map((drop) => drop.messageId), list.map((drop) => drop.key ?? "")];
  const { rows } = await connection.query(
    `WITH d AS (SELECT id, min(key) FILTER (WHERE key <> '') AS least_key
                  FROM unnest($2::text[], $3::text[]) AS d(id, key) GROUP BY id),
          gone AS (DELETE FROM ${s}.message_records AS m USING d WHERE m.phone_number_id = $1 AND m.message_id = d.id
                   RETURNING m.message_id, m.person_id, m.history, m.keys[1] AS key),
          counted AS (INSERT INTO ${s}.history_messages (phone_number_id, message_id) SELECT $1, message_id FROM gone WHERE history ON CONFLICT DO NOTHING),
          edits AS (DELETE FROM ${s}.message_edits AS x USING d WHERE x.phone_number_id = $1 AND x.message_id = d.id),
          revokes AS (DELETE FROM ${s}.message_revokes AS x USING d WHERE x.phone_number_id = $1 AND x.message_id = d.id),
          reactions AS (DELETE FROM ${s}.message_reactions AS x USING d WHERE x.phone_number_id = $1 AND x.message_id = d.id),
          amended AS (DELETE FROM ${s}.amended_at AS x USING d WHERE x.phone_number_id = $1 AND x.message_id = d.id),
          marked AS (INSERT INTO ${s}.retention AS r (phone_number_id, has_drops) VALUES ($1, true)
                     ON CONFLICT (phone_number_id) DO UPDATE SET has_drops = true WHERE NOT r.has_drops),
          tombs AS (INSERT INTO ${s}.dropped_messages AS t (phone_number_id, message_id, key)
                    SELECT $1, d.id, COALESCE(LEAST(d.least_key, g.key), '') FROM d LEFT JOIN gone AS g ON g.message_id = d.id
                    ON CONFLICT (phone_number_id, message_id) DO UPDATE SET key = EXCLUDED.key
                      WHERE t.key = '' AND EXCLUDED.key <> '' OR EXCLUDED.key <> '' AND EXCLUDED.key < t.key)
     SELECT person_id, count(*) AS removed FROM gone GROUP BY person_id`,
    values,
  );
  await refreshMessageSummaries(
    connection,
    s,
    rows.map((row) => ({ phoneNumberId, person: String(row.person_id), change: -Number(row.removed) })),
  );
}
