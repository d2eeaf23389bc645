/**
 * Reading a person's timeline from the store: a page is one index range scan of the person's
 * messages (`message_records_by_person`), and the amendments of that page's messages.
 *
 * @module
 */
import { secondsOf, serviceWindowOf, type ServiceWindow } from "../book/service-window.js";
import { pageOptions, timelineEntryOf, type ListMessagesOptions, type TimelineEntry } from "../book/timeline.js";
import type { Amendments, EditRecord, MessageOrigin, MessageRecord, ReactionRecord, TimelineStatus } from "../book/timeline-records.js";
import type { Queryable } from "./database.js";
import type { StoredPerson } from "./people.js";

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
  };
}

/** The edits, revokes and reactions of some messages, by message id. */
async function amendmentsOf(db: Queryable, s: string, phoneNumberId: string, ids: readonly string[]) {
  const [edits, revokes, reactions] = await Promise.all([
    db.query(`SELECT message_id, "timestamp", content FROM ${s}.message_edits WHERE phone_number_id = $1 AND message_id = ANY($2)`, [phoneNumberId, ids]),
    db.query(`SELECT message_id FROM ${s}.message_revokes WHERE phone_number_id = $1 AND message_id = ANY($2)`, [phoneNumberId, ids]),
    // Each reactor with its person (none when the store never saw the reactor otherwise).
    db.query(
      `SELECT r.message_id, r.reactor, r.reaction, r."timestamp", i.person_id FROM ${s}.message_reactions AS r
         LEFT JOIN ${s}.identifiers AS i ON i.phone_number_id = r.phone_number_id AND i.key = r.reactor
        WHERE r.phone_number_id = $1 AND r.message_id = ANY($2)`,
      [phoneNumberId, ids],
    ),
  ]);
  const editOf = new Map<string, EditRecord>(
    edits.rows.map((row) => [row.message_id as string, { timestamp: Number(row.timestamp), content: JSON.parse(row.content as string) }]),
  );
  const revoked = new Set(revokes.rows.map((row) => row.message_id as string));
  const reactionsOf = new Map<string, [string, ReactionRecord][]>();
  const personOfReactor = new Map<string, string>();
  for (const row of reactions.rows) {
    const { from, emoji } = JSON.parse(row.reaction as string) as { from: string; emoji: string };
    const list = reactionsOf.get(row.message_id as string) ?? [];
    list.push([row.reactor as string, { from, emoji, timestamp: Number(row.timestamp) }]);
    reactionsOf.set(row.message_id as string, list);
    if (row.person_id !== null) personOfReactor.set(row.reactor as string, `#${String(row.person_id)}`);
  }
  return { editOf, revoked, reactionsOf, personOfReactor };
}

/**
 * A page of a person's timeline, newest first, as the book's `listMessages` answers it.
 *
 * @returns an empty page when `before` names no message of this person.
 */
export async function timelinePage(
  db: Queryable,
  s: string,
  phoneNumberId: string,
  person: StoredPerson,
  options: ListMessagesOptions,
): Promise<TimelineEntry[]> {
  const { before, limit } = pageOptions(options);
  let bound: [number, string] | [null, null] = [null, null];
  if (before !== undefined) {
    const { rows } = await db.query(`SELECT "timestamp", id_order, person_id FROM ${s}.message_records WHERE phone_number_id = $1 AND message_id = $2`, [
      phoneNumberId,
      before,
    ]);
    const row = rows[0];
    if (row === undefined || String(row.person_id) !== person.id) return [];
    bound = [Number(row.timestamp), row.id_order as string];
  }
  const { rows } = await db.query(
    `SELECT message_id, "timestamp", outbound, origin, content, status, errors, history, list_key FROM ${s}.message_records
      WHERE phone_number_id = $1 AND person_id = $2 AND ($3::bigint IS NULL OR ("timestamp", id_order) < ($3::bigint, $4::text))
      ORDER BY "timestamp" DESC, id_order DESC LIMIT $5`,
    [phoneNumberId, person.id, bound[0], bound[1], limit],
  );
  const ids = rows.map((row) => row.message_id as string);
  const { editOf, revoked, reactionsOf, personOfReactor } = await amendmentsOf(db, s, phoneNumberId, ids);
  // One reaction per person: a reactor groups under its person's row id (keys start with a letter, never "#").
  const personOf = (reactor: string) => personOfReactor.get(reactor) ?? reactor;
  return rows.map((row) => {
    const id = row.message_id as string;
    const amendments: Amendments = { edit: editOf.get(id), revoked: revoked.has(id), reactions: undefined };
    return timelineEntryOf(id, messageRecordOf(row), amendments, reactionsOf.get(id) ?? [], personOf);
  });
}

/** The person's service window: measured from its newest inbound message (one index lookup). */
export async function serviceWindowFrom(db: Queryable, s: string, phoneNumberId: string, person: StoredPerson | undefined, now: number | Date): Promise<ServiceWindow> {
  const seconds = secondsOf(now);
  if (person === undefined) return serviceWindowOf(undefined, seconds);
  const { rows } = await db.query(
    `SELECT message_id, "timestamp" FROM ${s}.message_records WHERE phone_number_id = $1 AND person_id = $2 AND NOT outbound
      ORDER BY "timestamp" DESC, id_order DESC LIMIT 1`,
    [phoneNumberId, person.id],
  );
  const row = rows[0];
  return serviceWindowOf(row === undefined ? undefined : { at: Number(row.timestamp), id: row.message_id as string }, seconds);
}
