/**
 * Reading a person's timeline from the store: a page is one index range scan of the person's
 * messages (`message_records_by_person`), with the amendments of that page's messages.
 *
 * @module
 */
import { secondsOf, serviceWindowOf, type ServiceWindow } from "../book/service-window.js";
import { pageOptions, timelineEntryOf, type ListMessagesOptions, type TimelineEntry } from "../book/timeline.js";
import type { Amendments, EditRecord, MessageOrigin, MessageRecord, ReactionRecord, TimelineStatus } from "../book/timeline-records.js";
import type { Queryable } from "./database.js";
import { personOfKeySql, personOfKeyValues } from "./person-reads.js";

function messageRecordOf(row: Record<string, unknown>): MessageRecord {
  return {
    key: row.list_key as string,
    timestamp: Number(row.timestamp),
    direction: row.outbound === true ? "outbound" : "inbound",
    origin: row.origin as MessageOrigin,
    message: row.content === null ? undefined : JSON.parse(row.content as string),
    status: row.status === null ? undefined : (row.status as TimelineStatus),
    errors: row.errors === null ? undefined : JSON.parse(row.errors as string),
    history: row.history === true,
    // Not read (a page shows no piece's time but the entry's own).
    firstAt: Number(row.timestamp),
  };
}

/** The reactions of one message as the page's statement aggregates them: `[reactor, reaction JSON, timestamp, reactor's person]`. */
type ReactionRow = [string, string, number, number | null];

/**
 * A page of the timeline of the person `key` names, newest first, as the book's `listMessages`
 * answers it, in one statement: the page is one index range scan of the person's messages; each
 * message's edit, revoke and reactions are read beside it.
 *
 * @returns an empty page when the person is unknown, or `before` names no message of theirs.
 */
export async function readTimelinePage(db: Queryable, s: string, phoneNumberId: string, key: string, options: ListMessagesOptions): Promise<TimelineEntry[]> {
  const { before, limit } = pageOptions(options);
  const person = personOfKeySql(s);
  // Two texts, the first page's and a later page's, so each prepared statement keeps one plan.
  const bound =
    before === undefined
      ? ""
      : `AND (m."timestamp", m.id_order) < (SELECT b."timestamp", b.id_order FROM ${s}.message_records AS b
                                              WHERE b.phone_number_id = $1 AND b.message_id = $4 AND b.person_id = ${person})`;
  const { rows } = await db.query(
    `SELECT page.*, e."timestamp" AS edit_at, e.content AS edit_content, v.message_id IS NOT NULL AS revoked, r.reactions
       FROM (SELECT message_id, "timestamp", outbound, origin, content, status, errors, history, list_key, id_order FROM ${s}.message_records AS m
              WHERE m.phone_number_id = $1 AND m.person_id = ${person} ${bound}
              ORDER BY m."timestamp" DESC, m.id_order DESC LIMIT $3) AS page
       LEFT JOIN ${s}.message_edits AS e ON e.phone_number_id = $1 AND e.message_id = page.message_id
       LEFT JOIN ${s}.message_revokes AS v ON v.phone_number_id = $1 AND v.message_id = page.message_id
       LEFT JOIN LATERAL (
         SELECT json_agg(json_build_array(x.reactor, x.reaction, x."timestamp", i.person_id)) AS reactions
           FROM ${s}.message_reactions AS x LEFT JOIN ${s}.identifiers AS i ON i.phone_number_id = x.phone_number_id AND i.key = x.reactor
          WHERE x.phone_number_id = $1 AND x.message_id = page.message_id) AS r ON true
      ORDER BY page."timestamp" DESC, page.id_order DESC`,
    before === undefined ? [...personOfKeyValues(phoneNumberId, key), limit] : [...personOfKeyValues(phoneNumberId, key), limit, before],
  );
  return rows.map((row) => {
    const id = row.message_id as string;
    const edit: EditRecord | undefined = row.edit_at === null ? undefined : { timestamp: Number(row.edit_at), content: JSON.parse(row.edit_content as string) };
    const amendments: Amendments = { edit, revoked: row.revoked === true, reactions: undefined, firstAt: undefined };
    const reactions = ((row.reactions as ReactionRow[] | null) ?? []).map(([reactor, reaction, timestamp]): [string, ReactionRecord] => {
      const { from, emoji } = JSON.parse(reaction) as { from: string; emoji: string };
      return [reactor, { from, emoji, timestamp: Number(timestamp) }];
    });
    // One reaction per person: a reactor groups under its person's row id (keys start with a letter, never "#").
    const personOf = new Map(
      ((row.reactions as ReactionRow[] | null) ?? []).map(([reactor, , , person]) => [reactor, person === null ? reactor : `#${person}`]),
    );
    return timelineEntryOf(id, messageRecordOf(row), amendments, reactions, (reactor) => personOf.get(reactor) ?? reactor, true);
  });
}

/** The service window of the person `key` names: measured from its newest inbound message (one index lookup). */
export async function readServiceWindow(db: Queryable, s: string, phoneNumberId: string, key: string, now: number | Date): Promise<ServiceWindow> {
  const seconds = secondsOf(now);
  const { rows } = await db.query(
    `SELECT message_id, "timestamp" FROM ${s}.message_records WHERE phone_number_id = $1 AND person_id = ${personOfKeySql(s)} AND NOT outbound
      ORDER BY "timestamp" DESC, id_order DESC LIMIT 1`,
    personOfKeyValues(phoneNumberId, key),
  );
  const row = rows[0];
  return serviceWindowOf(row === undefined ? undefined : { at: Number(row.timestamp), id: row.message_id as string }, seconds);
}
