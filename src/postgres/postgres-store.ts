/**
 * The PostgreSQL store: the contact book's rules, applied with set-based SQL, safe from many
 * workers at once, answering every query exactly as the in-memory book would.
 *
 * @module
 */
import { contactPage, conversationOrder, conversationPage } from "../book/pages.js";
import { contactFieldsOf, declinedRecordOf, type ContactRecord, type ConversationRecord, type DeclinedRecord } from "../book/book-state.js";
import { lookupKeys } from "../book/identity.js";
import { compareKeys } from "../book/persistent-map.js";
import { contactOf, conversationEntryOf, conversationOf, personView, type ConversationEntry, type ContactEntry, type PersonView } from "../book/queries.js";
import { pageOptions, timelineEntryOf } from "../book/timeline.js";
import { secondsOf, serviceWindowOf } from "../book/service-window.js";
import type { Amendments, EditRecord, MessageOrigin, MessageRecord, ReactionRecord, TimelineStatus } from "../book/timeline-records.js";
import { AtomBatch } from "./atom-batch.js";
import { Database, type ConnectionPool, type Queryable } from "./database.js";
import { checkSchemaName, migrate } from "./migrations.js";
import { isSharded, shardedStore, type ShardedDatabases } from "./sharded-store.js";
import type { PostgresStore, PostgresStoreOptions } from "./store-interface.js";

export type { PostgresStore, PostgresStoreOptions } from "./store-interface.js";

function contactRecordOf(row: Record<string, unknown>): ContactRecord {
  return {
    kind: Number(row.removed) === 1 ? "remove" : "add",
    timestamp: Number(row.timestamp),
    contact: contactFieldsOf(JSON.parse(row.contact as string) as object),
  };
}

/** The people of one business, computed from its identifiers and links (a union-find over the rows). */
interface People {
  /** Each person, by any of its keys. */
  readonly personOf: ReadonlyMap<string, PersonView>;
  /** Every person, in listing order. */
  readonly all: readonly PersonView[];
}

function find(parent: Map<string, string>, key: string): string {
  let root = key;
  while (parent.get(root) !== root) root = parent.get(root) as string;
  for (let node = key; node !== root;) {
    const next = parent.get(node) as string;
    parent.set(node, root);
    node = next;
  }
  return root;
}

/** The latest message of a person: the greater id on equal timestamps, as in the book. */
function summaryOf(rows: readonly Record<string, unknown>[]): ConversationRecord | undefined {
  let best: Record<string, unknown> | undefined;
  for (const row of rows) {
    if (best === undefined || (row.message_id as string) > (best.message_id as string)) best = row;
  }
  if (best === undefined) return undefined;
  return {
    messageCount: Number(best.message_count),
    lastMessageAt: Number(best.timestamp),
    lastMessageId: best.message_id as string,
    lastDirection: best.outbound === true ? "outbound" : "inbound",
  };
}

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

/** The person `key` names (phone number in any format, user id, or parent user id), among a business's people. */
function personIn(people: People, key: string): PersonView | undefined {
  for (const candidate of lookupKeys(key)) {
    const person = people.personOf.get(candidate);
    if (person !== undefined) return person;
  }
  return undefined;
}

function declinedOf(value: unknown): DeclinedRecord {
  return declinedRecordOf(JSON.parse(value as string) as object);
}

/**
 * A contact book in PostgreSQL. Give it a node-postgres `Pool` (transactions run concurrently, each
 * on its own connection) or a single `Client` (its transactions take turns). Nothing from a
 * payload is ever spliced into SQL: every value is a parameter, and the schema name is checked.
 *
 * @example
 * ```ts
 * import pg from "pg";
 * import { parseWebhook } from "whatsapp-coexistence";
 * import { createPostgresStore } from "whatsapp-coexistence/postgres";
 *
 * const store = createPostgresStore(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await store.migrate();
 * await store.apply(parseWebhook(rawBody));
 * console.log(await store.listContacts("106540352242922"));
 *
 * // Businesses spread over several databases: each one's events and queries go to its own.
 * const pools = [new pg.Pool({ host: "db-a" }), new pg.Pool({ host: "db-b" })];
 * const spread = createPostgresStore({ pools, poolFor: (phoneNumberId) => pools[Number(phoneNumberId.slice(-1)) % 2]! });
 * ```
 */
export function createPostgresStore(database: Queryable | ConnectionPool | ShardedDatabases, options: PostgresStoreOptions = {}): PostgresStore {
  if (isSharded(database)) return shardedStore(database, (pool) => createPostgresStore(pool, options));
  const schema = options.schema ?? "coexistence";
  const s = checkSchemaName(schema);
  const db = new Database(database);

  /** Each table's upsert: rows arrive as one array per column (`unnest`), already joined and sorted. */
  const upserts = {
    // An order column left NULL in the batch is its text's own (see orderUnlessSame).
    contacts: (p: string[]) => `INSERT INTO ${s}.contacts AS c (phone_number_id, key, removed, "timestamp", contact, contact_order, user_id)
      SELECT id, key, removed, at, contact, COALESCE(contact_order, contact), user_id
        FROM unnest(${p[0]}::text[], ${p[1]}::text[], ${p[2]}::smallint[], ${p[3]}::bigint[], ${p[4]}::text[], ${p[5]}::text[], ${p[6]}::text[])
          AS batch(id, key, removed, at, contact, contact_order, user_id)
      ON CONFLICT (phone_number_id, key) DO UPDATE
        SET removed = EXCLUDED.removed, "timestamp" = EXCLUDED."timestamp", contact = EXCLUDED.contact, contact_order = EXCLUDED.contact_order, user_id = EXCLUDED.user_id
        WHERE (EXCLUDED."timestamp", EXCLUDED.removed, EXCLUDED.contact_order) > (c."timestamp", c.removed, c.contact_order)`,
    identifiers: (p: string[]) => `INSERT INTO ${s}.identifiers AS i (phone_number_id, key, seen_at)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[], ${p[2]}::bigint[])
      ON CONFLICT (phone_number_id, key) DO UPDATE SET seen_at = EXCLUDED.seen_at WHERE EXCLUDED.seen_at > i.seen_at`,
    links: (p: string[]) => `INSERT INTO ${s}.links (phone_number_id, a, b)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[], ${p[2]}::text[]) ON CONFLICT DO NOTHING`,
    // Content, status and keys join separately: each column takes the winner of its own order (the
    // content's: its order, then its JSON under COLLATE "C", as the book's contentWins).
    messages: (p: string[]) => `INSERT INTO ${s}.message_records AS m (phone_number_id, message_id, "timestamp", outbound, history, keys,
        origin, content, content_order, status, errors, status_order, list_key, id_order)
      SELECT id, message, at, outbound, history,
             CASE WHEN more IS NULL THEN ARRAY[key] ELSE ARRAY(SELECT jsonb_array_elements_text(more::jsonb) ORDER BY 1) END,
             origin, content, content_order, status, errors, status_order, key, COALESCE(id_order, message)
        FROM unnest(${p[0]}::text[], ${p[1]}::text[], ${p[2]}::bigint[], ${p[3]}::boolean[], ${p[4]}::boolean[], ${p[5]}::text[], ${p[6]}::text[],
                    ${p[7]}::text[], ${p[8]}::text[], ${p[9]}::text[], ${p[10]}::text[], ${p[11]}::text[], ${p[12]}::text[], ${p[13]}::text[])
          AS batch(id, message, at, outbound, history, key, more, origin, content, content_order, status, errors, status_order, id_order)
      ON CONFLICT (phone_number_id, message_id) DO UPDATE SET
        "timestamp" = CASE WHEN (EXCLUDED.content_order, EXCLUDED.content) > (m.content_order, m.content) THEN EXCLUDED."timestamp" ELSE m."timestamp" END,
        outbound = CASE WHEN (EXCLUDED.content_order, EXCLUDED.content) > (m.content_order, m.content) THEN EXCLUDED.outbound ELSE m.outbound END,
        origin = CASE WHEN (EXCLUDED.content_order, EXCLUDED.content) > (m.content_order, m.content) THEN EXCLUDED.origin ELSE m.origin END,
        content = CASE WHEN (EXCLUDED.content_order, EXCLUDED.content) > (m.content_order, m.content) THEN EXCLUDED.content ELSE m.content END,
        content_order = CASE WHEN (EXCLUDED.content_order, EXCLUDED.content) > (m.content_order, m.content) THEN EXCLUDED.content_order ELSE m.content_order END,
        status = CASE WHEN EXCLUDED.status_order > m.status_order THEN EXCLUDED.status ELSE m.status END,
        errors = CASE WHEN EXCLUDED.status_order > m.status_order THEN EXCLUDED.errors ELSE m.errors END,
        status_order = GREATEST(m.status_order, EXCLUDED.status_order),
        history = m.history OR EXCLUDED.history,
        keys = CASE WHEN EXCLUDED.keys <@ m.keys THEN m.keys ELSE ARRAY(SELECT DISTINCT k FROM unnest(m.keys || EXCLUDED.keys) AS k ORDER BY 1) END
        WHERE (EXCLUDED.content_order, EXCLUDED.content) > (m.content_order, m.content) OR EXCLUDED.status_order > m.status_order OR (EXCLUDED.history AND NOT m.history)
           OR NOT (EXCLUDED.keys <@ m.keys)`,
    edits: (p: string[]) => `INSERT INTO ${s}.message_edits AS e (phone_number_id, message_id, "timestamp", content, edit_order)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[], ${p[2]}::bigint[], ${p[3]}::text[], ${p[4]}::text[])
      ON CONFLICT (phone_number_id, message_id) DO UPDATE
        SET "timestamp" = EXCLUDED."timestamp", content = EXCLUDED.content, edit_order = EXCLUDED.edit_order
        WHERE EXCLUDED.edit_order > e.edit_order`,
    revokes: (p: string[]) => `INSERT INTO ${s}.message_revokes (phone_number_id, message_id)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[]) ON CONFLICT DO NOTHING`,
    reactions: (p: string[]) => `INSERT INTO ${s}.message_reactions AS r (phone_number_id, message_id, reactor, reaction, "timestamp", emoji_order, from_order)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[], ${p[2]}::text[], ${p[3]}::text[], ${p[4]}::bigint[], ${p[5]}::text[], ${p[6]}::text[])
      ON CONFLICT (phone_number_id, message_id, reactor) DO UPDATE
        SET reaction = EXCLUDED.reaction, "timestamp" = EXCLUDED."timestamp", emoji_order = EXCLUDED.emoji_order, from_order = EXCLUDED.from_order
        WHERE (EXCLUDED."timestamp", EXCLUDED.emoji_order, EXCLUDED.from_order) > (r."timestamp", r.emoji_order, r.from_order)`,
    chunks: (p: string[]) => `INSERT INTO ${s}.history_chunks (phone_number_id, phase, chunk_order)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::integer[], ${p[2]}::integer[]) ON CONFLICT DO NOTHING`,
    historyMessages: (p: string[]) => `INSERT INTO ${s}.history_messages (phone_number_id, message_id)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[]) ON CONFLICT DO NOTHING`,
    states: (p: string[]) => `INSERT INTO ${s}.history_state AS h (phone_number_id, progress, declined, declined_order)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::integer[], ${p[2]}::text[], ${p[3]}::text[])
      ON CONFLICT (phone_number_id) DO UPDATE SET
        progress = GREATEST(h.progress, EXCLUDED.progress),
        declined = CASE WHEN EXCLUDED.declined_order IS NOT NULL AND (h.declined_order IS NULL OR EXCLUDED.declined_order > h.declined_order) THEN EXCLUDED.declined ELSE h.declined END,
        declined_order = CASE WHEN EXCLUDED.declined_order IS NOT NULL AND (h.declined_order IS NULL OR EXCLUDED.declined_order > h.declined_order) THEN EXCLUDED.declined_order ELSE h.declined_order END
        WHERE EXCLUDED.progress > h.progress OR (EXCLUDED.declined_order IS NOT NULL AND (h.declined_order IS NULL OR EXCLUDED.declined_order > h.declined_order))`,
  };

  /** One statement for a whole batch: each non-empty table's upsert as a data-modifying CTE. */
  function batchStatement(batch: AtomBatch): { text: string; values: unknown[] } | undefined {
    const values: unknown[] = [];
    const parts: string[] = [];
    for (const [table, columns] of Object.entries(batch.columns()) as [keyof typeof upserts, unknown[][]][]) {
      if ((columns[0] as unknown[]).length === 0) continue;
      const placeholders = columns.map((column) => `$${values.push(column)}`);
      parts.push(`${table} AS (${upserts[table](placeholders)})`);
    }
    return parts.length === 0 ? undefined : { text: `WITH ${parts.join(",\n")} SELECT 1`, values };
  }

  /**
   * The people of a business: identifiers joined by their links and by the keys one message id was
   * seen with, exactly the groups the book forms.
   */
  async function peopleOf(phoneNumberId: string): Promise<People> {
    const [identifiers, links, shared] = await Promise.all([
      // An address-book record's key is seen at the record's timestamp (it has no identifiers row of its own).
      db.query(
        `SELECT key, max(seen_at) AS seen_at FROM (SELECT key, seen_at FROM ${s}.identifiers WHERE phone_number_id = $1
           UNION ALL SELECT key, "timestamp" FROM ${s}.contacts WHERE phone_number_id = $1) AS seen GROUP BY key`,
        [phoneNumberId],
      ),
      db.query(`SELECT a, b FROM ${s}.links WHERE phone_number_id = $1`, [phoneNumberId]),
      db.query(`SELECT keys FROM ${s}.message_records WHERE phone_number_id = $1 AND cardinality(keys) > 1`, [phoneNumberId]),
    ]);
    const seenAt = new Map<string, number>();
    const parent = new Map<string, string>();
    for (const row of identifiers.rows) {
      seenAt.set(row.key as string, Number(row.seen_at));
      parent.set(row.key as string, row.key as string);
    }
    const union = (a: string, b: string) => {
      for (const key of [a, b]) if (!parent.has(key)) parent.set(key, key);
      const [rootA, rootB] = [find(parent, a), find(parent, b)];
      if (rootA !== rootB) parent.set(rootA, rootB);
    };
    for (const row of links.rows) union(row.a as string, row.b as string);
    for (const row of shared.rows) {
      const keys = row.keys as string[];
      for (const key of keys) union(keys[0] as string, key);
    }
    const groups = new Map<string, string[]>();
    for (const key of parent.keys()) {
      const root = find(parent, key);
      const group = groups.get(root);
      if (group === undefined) groups.set(root, [key]);
      else group.push(key);
    }
    const personOf = new Map<string, PersonView>();
    const all: PersonView[] = [];
    for (const keys of groups.values()) {
      const person = personView(keys, (key) => seenAt.get(key) ?? 0);
      all.push(person);
      for (const key of keys) personOf.set(key, person);
    }
    return { personOf, all: all.sort((a, b) => compareKeys(a.first, b.first)) };
  }

  async function personFor(phoneNumberId: string, key: string): Promise<PersonView | undefined> {
    return personIn(await peopleOf(phoneNumberId), key);
  }

  /**
   * Per person (by its index in `persons`): the number of distinct messages, and its latest
   * messages (several on a timestamp tie; {@link summaryOf} picks as the book does).
   */
  async function summaries(phoneNumberId: string, persons: readonly PersonView[]): Promise<Map<number, ConversationRecord>> {
    const keys = persons.flatMap((person) => person.keys);
    const indexes = persons.flatMap((person, index) => person.keys.map(() => index));
    const { rows } = await db.query(
      `WITH person AS (SELECT * FROM unnest($2::text[], $3::integer[]) AS p(key, person)),
            messages AS (SELECT DISTINCT ON (person.person, m.message_id) person.person, m.message_id, m."timestamp", m.outbound
                           FROM ${s}.message_records AS m
                           CROSS JOIN LATERAL unnest(m.keys) AS k(key)
                           JOIN person ON person.key = k.key
                          WHERE m.phone_number_id = $1 AND m.keys && $2::text[]),
            totals AS (SELECT person, count(*) AS message_count, max("timestamp") AS newest FROM messages GROUP BY person)
       SELECT totals.person, totals.message_count, messages.message_id, messages."timestamp", messages.outbound
         FROM totals JOIN messages ON messages.person = totals.person AND messages."timestamp" = totals.newest`,
      [phoneNumberId, keys, indexes],
    );
    const byPerson = new Map<number, Record<string, unknown>[]>();
    for (const row of rows) {
      const index = Number(row.person);
      const rows = byPerson.get(index);
      if (rows === undefined) byPerson.set(index, [row]);
      else rows.push(row);
    }
    const out = new Map<number, ConversationRecord>();
    for (const [index, personRows] of byPerson) out.set(index, summaryOf(personRows) as ConversationRecord);
    return out;
  }

  async function contactRecords(phoneNumberId: string, keys: readonly string[] | undefined) {
    const { rows } = await db.query(
      `SELECT key, removed, "timestamp", contact FROM ${s}.contacts WHERE phone_number_id = $1 AND ($2::text[] IS NULL OR key = ANY($2))`,
      [phoneNumberId, keys ?? null],
    );
    return rows;
  }

  return {
    migrate: () => migrate(db, schema),

    async apply(events) {
      const batch = new AtomBatch(events);
      const statement = batchStatement(batch);
      if (statement !== undefined) await db.statement(statement.text, statement.values);
      return { unplaced: batch.unplaced };
    },

    async getContact(phoneNumberId, key) {
      const person = await personFor(phoneNumberId, key);
      if (person === undefined) return undefined;
      return contactOf(person, (await contactRecords(phoneNumberId, person.keys)).map(contactRecordOf));
    },

    async listContacts(phoneNumberId, options) {
      const { after, limit } = contactPage(options);
      const [people, rows] = await Promise.all([peopleOf(phoneNumberId), contactRecords(phoneNumberId, undefined)]);
      const records = new Map<PersonView, ContactRecord[]>();
      for (const row of rows) {
        const person = people.personOf.get(row.key as string);
        if (person === undefined) continue;
        const list = records.get(person);
        if (list === undefined) records.set(person, [contactRecordOf(row)]);
        else list.push(contactRecordOf(row));
      }
      // The book's order, and its page: by each person's smallest identifier, strictly past the cursor.
      const contacts: ContactEntry[] = [];
      for (const person of people.all) {
        if (after !== undefined && compareKeys(person.first, after) <= 0) continue;
        const contact = contactOf(person, records.get(person) ?? []);
        if (contact !== undefined) contacts.push({ ...contact, cursor: person.first });
        if (contacts.length === limit) break;
      }
      return contacts;
    },

    async getConversation(phoneNumberId, key) {
      const person = await personFor(phoneNumberId, key);
      if (person === undefined) return undefined;
      const record = (await summaries(phoneNumberId, [person])).get(0);
      return record === undefined ? undefined : conversationOf(person, record);
    },

    async listConversations(phoneNumberId, options) {
      const { bound, limit } = conversationPage(options);
      const people = await peopleOf(phoneNumberId);
      const records = await summaries(phoneNumberId, people.all);
      const entries: ConversationEntry[] = [];
      people.all.forEach((person, index) => {
        const record = records.get(index);
        if (record !== undefined) entries.push(conversationEntryOf(person, record));
      });
      // The book's order, and its page: newest last message first, strictly past the cursor.
      const order = (a: ConversationEntry, b: ConversationEntry) => conversationOrder(a.lastMessageAt, a.lastMessageId, b.lastMessageAt, b.lastMessageId);
      entries.sort(order);
      const from = bound === undefined ? 0 : entries.findIndex((entry) => conversationOrder(bound[0], bound[1], entry.lastMessageAt, entry.lastMessageId) < 0);
      return from < 0 ? [] : entries.slice(from, from + limit);
    },

    async listMessages(phoneNumberId, key, options = {}) {
      const { before, limit } = pageOptions(options);
      const people = await peopleOf(phoneNumberId);
      const person = personIn(people, key);
      if (person === undefined) return [];
      let bound: [number, string] | [null, null] = [null, null];
      if (before !== undefined) {
        const { rows } = await db.query(`SELECT "timestamp", id_order, keys FROM ${s}.message_records WHERE phone_number_id = $1 AND message_id = $2`, [
          phoneNumberId,
          before,
        ]);
        const row = rows[0];
        if (row === undefined || !(row.keys as string[]).some((each) => person.keys.includes(each))) return [];
        bound = [Number(row.timestamp), row.id_order as string];
      }
      // A page per identifier of the person (each an index range scan), merged: O(identifiers x page) rows.
      const { rows } = await db.query(
        `SELECT m.* FROM unnest($2::text[]) AS person(key)
           CROSS JOIN LATERAL (
             SELECT message_id, "timestamp", outbound, origin, content, status, errors, history, list_key, id_order FROM ${s}.message_records
              WHERE phone_number_id = $1 AND list_key = person.key AND ($3::bigint IS NULL OR ("timestamp", id_order) < ($3::bigint, $4::text))
              ORDER BY "timestamp" DESC, id_order DESC LIMIT $5) AS m
          ORDER BY m."timestamp" DESC, m.id_order DESC LIMIT $5`,
        [phoneNumberId, person.keys, bound[0], bound[1], limit],
      );
      const ids = rows.map((row) => row.message_id as string);
      const [edits, revokes, reactions] = await Promise.all([
        db.query(`SELECT message_id, "timestamp", content FROM ${s}.message_edits WHERE phone_number_id = $1 AND message_id = ANY($2)`, [phoneNumberId, ids]),
        db.query(`SELECT message_id FROM ${s}.message_revokes WHERE phone_number_id = $1 AND message_id = ANY($2)`, [phoneNumberId, ids]),
        db.query(`SELECT message_id, reactor, reaction, "timestamp" FROM ${s}.message_reactions WHERE phone_number_id = $1 AND message_id = ANY($2)`, [
          phoneNumberId,
          ids,
        ]),
      ]);
      const editOf = new Map<string, EditRecord>(
        edits.rows.map((row) => [row.message_id as string, { timestamp: Number(row.timestamp), content: JSON.parse(row.content as string) }]),
      );
      const revoked = new Set(revokes.rows.map((row) => row.message_id as string));
      const reactionsOf = new Map<string, [string, ReactionRecord][]>();
      for (const row of reactions.rows) {
        const { from, emoji } = JSON.parse(row.reaction as string) as { from: string; emoji: string };
        const list = reactionsOf.get(row.message_id as string) ?? [];
        list.push([row.reactor as string, { from, emoji, timestamp: Number(row.timestamp) }]);
        reactionsOf.set(row.message_id as string, list);
      }
      const personOf = (reactor: string) => people.personOf.get(reactor)?.first ?? reactor;
      return rows.map((row) => {
        const id = row.message_id as string;
        const amendments: Amendments = { edit: editOf.get(id), revoked: revoked.has(id), reactions: undefined };
        return timelineEntryOf(id, messageRecordOf(row), amendments, reactionsOf.get(id) ?? [], personOf);
      });
    },

    async getIdentity(phoneNumberId, key) {
      return (await personFor(phoneNumberId, key))?.identity;
    },

    async getServiceWindow(phoneNumberId, key, now) {
      const seconds = secondsOf(now);
      const person = await personFor(phoneNumberId, key);
      if (person === undefined) return serviceWindowOf(undefined, seconds);
      // The newest inbound record per identifier of the person (an index range scan each), then the newest of those.
      const { rows } = await db.query(
        `SELECT m.* FROM unnest($2::text[]) AS person(key)
           CROSS JOIN LATERAL (
             SELECT message_id, "timestamp", id_order FROM ${s}.message_records
              WHERE phone_number_id = $1 AND list_key = person.key AND NOT outbound
              ORDER BY "timestamp" DESC, id_order DESC LIMIT 1) AS m
          ORDER BY m."timestamp" DESC, m.id_order DESC LIMIT 1`,
        [phoneNumberId, person.keys],
      );
      const row = rows[0];
      return serviceWindowOf(row === undefined ? undefined : { at: Number(row.timestamp), id: row.message_id as string }, seconds);
    },

    async getHistorySync(phoneNumberId) {
      const { rows } = await db.query(
        `SELECT (SELECT count(*) FROM ${s}.history_chunks WHERE phone_number_id = $1) AS chunks,
                (SELECT count(*) FROM (SELECT message_id FROM ${s}.message_records WHERE phone_number_id = $1 AND history
                                       UNION SELECT message_id FROM ${s}.history_messages WHERE phone_number_id = $1) AS ids) AS messages,
                (SELECT progress FROM ${s}.history_state WHERE phone_number_id = $1) AS progress,
                (SELECT declined FROM ${s}.history_state WHERE phone_number_id = $1) AS declined`,
        [phoneNumberId],
      );
      const row = rows[0] as Record<string, unknown>;
      const chunks = Number(row.chunks);
      const progress = Number(row.progress ?? 0);
      const declined = row.declined === null || row.declined === undefined ? undefined : declinedOf(row.declined);
      const status = declined !== undefined ? "declined" : progress >= 100 ? "complete" : chunks > 0 ? "syncing" : "none";
      const sync = { status, progress, chunks, messages: Number(row.messages) } as const;
      return declined === undefined ? sync : { ...sync, declined };
    },

    async listBusinesses() {
      const { rows } = await db.query(
        `SELECT phone_number_id FROM ${s}.contacts UNION SELECT phone_number_id FROM ${s}.message_records
         UNION SELECT phone_number_id FROM ${s}.identifiers
         UNION SELECT phone_number_id FROM ${s}.history_chunks UNION SELECT phone_number_id FROM ${s}.history_messages
         UNION SELECT phone_number_id FROM ${s}.history_state UNION SELECT phone_number_id FROM ${s}.message_edits
         UNION SELECT phone_number_id FROM ${s}.message_revokes UNION SELECT phone_number_id FROM ${s}.message_reactions`,
      );
      return rows.map((row) => row.phone_number_id as string).sort(compareKeys);
    },
  };
}
