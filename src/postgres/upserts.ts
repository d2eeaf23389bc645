/**
 * Writing a batch: one statement that upserts every table's rows (each a data-modifying CTE over
 * `unnest` columns). Each row keeps the greater of its stored and its new order key (see
 * `book/precedence.ts`); the SQL compares keys and knows no rule of its own.
 *
 * @module
 */
import type { AtomBatch } from "./atom-batch.js";
import { peopleUpserts, type Placement } from "./people.js";

/** Each table's upsert: rows arrive as one array per column (`unnest`), already joined and sorted. */
function upsertsOf(s: string) {
  return {
    identifiers: (p: string[]) => `INSERT INTO ${s}.identifiers AS i (phone_number_id, key, seen_at, person_id)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[], ${p[2]}::bigint[], ${p[3]}::bigint[])
      ON CONFLICT (phone_number_id, key) DO UPDATE SET seen_at = EXCLUDED.seen_at WHERE EXCLUDED.seen_at > i.seen_at`,
    links: (p: string[]) => `INSERT INTO ${s}.links (phone_number_id, a, b)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[], ${p[2]}::text[]) ON CONFLICT DO NOTHING`,
    // Content and status each take the winner of their own key; the content's key is (content_order, content).
    messages: (p: string[]) => `INSERT INTO ${s}.message_records AS m (phone_number_id, message_id, "timestamp", outbound, history, keys,
        origin, content, content_order, status, errors, status_order, list_key, id_order, person_id, first_at)
      SELECT id, message, at, outbound, history,
             CASE WHEN more IS NULL THEN ARRAY[key] ELSE ARRAY(SELECT jsonb_array_elements_text(more::jsonb) ORDER BY 1) END,
             origin, content, content_order, status, errors, status_order, key, COALESCE(id_order, message), person, first_at
        FROM unnest(${p[0]}::text[], ${p[1]}::text[], ${p[2]}::bigint[], ${p[3]}::boolean[], ${p[4]}::boolean[], ${p[5]}::text[], ${p[6]}::text[],
                    ${p[7]}::text[], ${p[8]}::text[], ${p[9]}::text[], ${p[10]}::text[], ${p[11]}::text[], ${p[12]}::text[], ${p[13]}::text[], ${p[14]}::bigint[],
                    ${p[15]}::bigint[])
          AS batch(id, message, at, outbound, history, key, more, origin, content, content_order, status, errors, status_order, id_order, person, first_at)
      ON CONFLICT (phone_number_id, message_id) DO UPDATE SET
        ("timestamp", outbound, origin, content, content_order) = (
          SELECT w.* FROM (VALUES (EXCLUDED."timestamp", EXCLUDED.outbound, EXCLUDED.origin, EXCLUDED.content, EXCLUDED.content_order),
                                  (m."timestamp", m.outbound, m.origin, m.content, m.content_order)) AS w(at, outbound, origin, content, content_order)
           ORDER BY w.content_order DESC, w.content DESC NULLS LAST LIMIT 1),
        (status, errors, status_order) = (
          SELECT w.* FROM (VALUES (EXCLUDED.status, EXCLUDED.errors, EXCLUDED.status_order), (m.status, m.errors, m.status_order)) AS w(status, errors, status_order)
           ORDER BY w.status_order DESC LIMIT 1),
        history = m.history OR EXCLUDED.history,
        first_at = LEAST(m.first_at, EXCLUDED.first_at),
        keys = CASE WHEN EXCLUDED.keys <@ m.keys THEN m.keys ELSE ARRAY(SELECT DISTINCT k FROM unnest(m.keys || EXCLUDED.keys) AS k ORDER BY 1) END
        WHERE (EXCLUDED.content_order, EXCLUDED.content) > (m.content_order, m.content) OR EXCLUDED.status_order > m.status_order OR (EXCLUDED.history AND NOT m.history)
           OR NOT (EXCLUDED.keys <@ m.keys) OR EXCLUDED.first_at < m.first_at
      RETURNING m.phone_number_id, m.message_id, m.person_id, (xmax = 0) AS created`,
    edits: (p: string[]) => `INSERT INTO ${s}.message_edits AS e (phone_number_id, message_id, "timestamp", content, edit_order)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[], ${p[2]}::bigint[], ${p[3]}::text[], ${p[4]}::text[])
      ON CONFLICT (phone_number_id, message_id) DO UPDATE
        SET "timestamp" = EXCLUDED."timestamp", content = EXCLUDED.content, edit_order = EXCLUDED.edit_order
        WHERE EXCLUDED.edit_order > e.edit_order`,
    revokes: (p: string[]) => `INSERT INTO ${s}.message_revokes (phone_number_id, message_id)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[]) ON CONFLICT DO NOTHING`,
    reactions: (p: string[]) => `INSERT INTO ${s}.message_reactions AS r (phone_number_id, message_id, reactor, reaction, "timestamp", reaction_order)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[], ${p[2]}::text[], ${p[3]}::text[], ${p[4]}::bigint[], ${p[5]}::text[])
      ON CONFLICT (phone_number_id, message_id, reactor) DO UPDATE
        SET reaction = EXCLUDED.reaction, "timestamp" = EXCLUDED."timestamp", reaction_order = EXCLUDED.reaction_order
        WHERE EXCLUDED.reaction_order > r.reaction_order`,
    chunks: (p: string[]) => `INSERT INTO ${s}.history_chunks (phone_number_id, phase, chunk_order)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::integer[], ${p[2]}::integer[]) ON CONFLICT DO NOTHING`,
    historyMessages: (p: string[]) => `INSERT INTO ${s}.history_messages (phone_number_id, message_id)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[]) ON CONFLICT DO NOTHING`,
    states: (p: string[]) => `INSERT INTO ${s}.history_state AS h (phone_number_id, progress, declined, declined_order)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::integer[], ${p[2]}::text[], ${p[3]}::text[])
      ON CONFLICT (phone_number_id) DO UPDATE SET
        progress = GREATEST(h.progress, EXCLUDED.progress),
        (declined, declined_order) = (
          SELECT w.* FROM (VALUES (EXCLUDED.declined, EXCLUDED.declined_order), (h.declined, h.declined_order)) AS w(declined, declined_order)
           ORDER BY w.declined_order DESC NULLS LAST LIMIT 1)
        WHERE EXCLUDED.progress > h.progress OR EXCLUDED.declined_order > h.declined_order OR (h.declined_order IS NULL AND EXCLUDED.declined_order IS NOT NULL)`,
    // Each column keeps the greater value (the book's rule for a business's WABA and display number).
    accounts: (p: string[]) => `INSERT INTO ${s}.business_accounts AS a (phone_number_id, waba_id, waba_order, display_number)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[], ${p[2]}::text[], ${p[3]}::text[])
      ON CONFLICT (phone_number_id) DO UPDATE SET
        (waba_id, waba_order) = (SELECT w.* FROM (VALUES (EXCLUDED.waba_id, EXCLUDED.waba_order), (a.waba_id, a.waba_order)) AS w(id, o) ORDER BY w.o DESC NULLS LAST LIMIT 1),
        display_number = GREATEST(a.display_number, EXCLUDED.display_number)
        WHERE EXCLUDED.waba_order > a.waba_order OR (a.waba_order IS NULL AND EXCLUDED.waba_order IS NOT NULL)
           OR EXCLUDED.display_number > a.display_number OR (a.display_number IS NULL AND EXCLUDED.display_number IS NOT NULL)`,
    amendedAt: (p: string[]) => `INSERT INTO ${s}.amended_at AS a (phone_number_id, message_id, first_at)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[], ${p[2]}::bigint[])
      ON CONFLICT (phone_number_id, message_id) DO UPDATE SET first_at = EXCLUDED.first_at WHERE EXCLUDED.first_at < a.first_at`,
    lifecycles: (p: string[]) => `INSERT INTO ${s}.account_lifecycle AS l (account_key, record, lifecycle_order)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[], ${p[2]}::text[])
      ON CONFLICT (account_key) DO UPDATE SET record = EXCLUDED.record, lifecycle_order = EXCLUDED.lifecycle_order
        WHERE EXCLUDED.lifecycle_order > l.lifecycle_order`,
  };
}

/** The statement that writes a batch, and the messages it created per person (for the people's counts). */
export interface BatchStatement {
  readonly text: string;
  readonly values: unknown[];
}

/**
 * One statement for a whole batch: each non-empty table's upsert as a data-modifying CTE. It
 * returns, per person, how many message rows it created, and each message row it changed that
 * existed before (with its person).
 *
 * @param placement - where the batch's keys belong (see `placeBatch`).
 */
export function batchStatement(s: string, batch: AtomBatch, placement: Placement): BatchStatement | undefined {
  const upserts = upsertsOf(s);
  const values: unknown[] = [];
  const parts: string[] = [];
  const tables = Object.entries(batch.columns(placement)).map(([table, columns]) => ({ table, columns, sql: upserts[table as keyof typeof upserts] }));
  for (const { table, columns, sql } of [...tables, ...peopleUpserts(s, placement)]) {
    if ((columns[0] as unknown[]).length === 0) continue;
    const placeholders = columns.map((column) => `$${values.push(column)}`);
    parts.push(`${table} AS (${sql(placeholders)})`);
  }
  if (parts.length === 0) return undefined;
  // Per person, the messages created; and each message that existed, with the person it holds.
  const created =
    batch.messages.size > 0
      ? `SELECT phone_number_id, person_id, count(*) AS created, NULL AS message_id FROM messages WHERE created GROUP BY 1, 2
         UNION ALL SELECT phone_number_id, person_id, 0, message_id FROM messages WHERE NOT created`
      : "SELECT 1";
  return { text: `WITH ${parts.join(",\n")} ${created}`, values };
}
