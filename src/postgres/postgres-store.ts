/**
 * The PostgreSQL store: the contact book's rules, applied with set-based SQL, safe from many
 * workers at once, answering every query exactly as the in-memory book would. Writing places each
 * batch's people first (`people.ts`), then upserts its rows in one statement (`upserts.ts`); every
 * query reads its person by index and a page by one index range scan.
 *
 * @module
 */
import { contactFieldsOf, declinedRecordOf, type ContactRecord, type DeclinedRecord } from "../book/book-state.js";
import { contactPage, conversationPage } from "../book/pages.js";
import { contactOf, conversationEntryOf, conversationOf, type ConversationEntry, type ContactEntry } from "../book/queries.js";
import { compareKeys } from "../book/persistent-map.js";
import { pageOptions } from "../book/timeline.js";
import { AtomBatch, sortableText } from "./atom-batch.js";
import { Database, type ConnectionPool, type Queryable } from "./database.js";
import { checkSchemaName, migrate } from "./migrations.js";
import { NEEDS_EXCLUSIVE, peopleByIds, personByKey, personSlot, placeBatch, refreshPeople, type StoredPerson } from "./people.js";
import { isSharded, shardedStore, type ShardedDatabases } from "./sharded-store.js";
import type { PostgresStore, PostgresStoreOptions } from "./store-interface.js";
import { serviceWindowFrom, timelinePage } from "./timeline-reads.js";
import { batchStatement } from "./upserts.js";

export type { PostgresStore, PostgresStoreOptions } from "./store-interface.js";

function contactRecordOf(row: Record<string, unknown>): ContactRecord {
  return {
    kind: Number(row.removed) === 1 ? "remove" : "add",
    timestamp: Number(row.timestamp),
    contact: contactFieldsOf(JSON.parse(row.contact as string) as object),
  };
}

function declinedOf(value: unknown): DeclinedRecord {
  return declinedRecordOf(JSON.parse(value as string) as object);
}

/** A person's conversation summary, from its `persons` row. */
function summaryOf(row: Record<string, unknown>) {
  return {
    messageCount: Number(row.messages),
    lastMessageAt: Number(row.last_at),
    lastMessageId: row.last_message_id as string,
    lastDirection: row.last_outbound === true ? ("outbound" as const) : ("inbound" as const),
  };
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

  /** Writes a batch in one transaction: its people placed, its rows upserted, its people's summaries refreshed. */
  async function write(batch: AtomBatch, exclusive: boolean): Promise<boolean> {
    return db.transaction(async (connection) => {
      // Every statement of a write joins a batch (hundreds of rows) to tables by their keys. With
      // the default costs the planner prefers to hash a whole table once it holds some tens of
      // thousands of rows, which would make every write O(business): index lookups it is.
      await connection.query("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off");
      const placement = await placeBatch(connection, schema, batch, exclusive);
      if (placement === NEEDS_EXCLUSIVE) return false;
      const statement = batchStatement(s, batch, placement);
      if (statement === undefined) return true;
      const { rows } = await connection.query(statement.text, statement.values);
      const created = new Map<string, number>();
      for (const row of rows) if (row.person_id !== undefined) created.set(personSlot(row.phone_number_id as string, String(row.person_id)), Number(row.created));
      await refreshPeople(connection, s, placement, created);
      return true;
    });
  }

  /** The address-book records kept under some keys, by key. */
  async function contactRecords(phoneNumberId: string, keys: readonly string[]): Promise<Map<string, ContactRecord>> {
    const { rows } = await db.query(`SELECT key, removed, "timestamp", contact FROM ${s}.contacts WHERE phone_number_id = $1 AND key = ANY($2)`, [
      phoneNumberId,
      keys,
    ]);
    return new Map(rows.map((row) => [row.key as string, contactRecordOf(row)]));
  }

  const personFor = (phoneNumberId: string, key: string): Promise<StoredPerson | undefined> => personByKey(db, s, phoneNumberId, key);

  return {
    migrate: () => migrate(db, schema),

    async apply(events) {
      const batch = new AtomBatch(events);
      // A batch that creates or joins people runs again with its businesses to itself.
      if (!(await write(batch, false))) await write(batch, true);
      return { unplaced: batch.unplaced };
    },

    async getContact(phoneNumberId, key) {
      const person = await personFor(phoneNumberId, key);
      return person === undefined ? undefined : contactOf(person, (await contactRecords(phoneNumberId, person.keys)).values());
    },

    async listContacts(phoneNumberId, options) {
      const { after, limit } = contactPage(options);
      // The listed people (whose records join to an add), by smallest identifier, strictly past the cursor: one index range scan.
      const { rows } = await db.query(
        `SELECT person_id FROM ${s}.persons WHERE phone_number_id = $1 AND listed AND ($2::text IS NULL OR first_order > $2)
          ORDER BY first_order LIMIT $3`,
        [phoneNumberId, after === undefined ? null : sortableText(after), limit],
      );
      const ids = rows.map((row) => String(row.person_id));
      const people = await peopleByIds(db, s, phoneNumberId, ids);
      const records = await contactRecords(phoneNumberId, [...people.values()].flatMap((person) => person.keys));
      const contacts: ContactEntry[] = [];
      for (const id of ids) {
        const person = people.get(id) as StoredPerson;
        const contact = contactOf(person, person.keys.flatMap((key) => records.get(key) ?? []));
        if (contact !== undefined) contacts.push({ ...contact, cursor: person.first });
      }
      return contacts;
    },

    async getConversation(phoneNumberId, key) {
      const person = await personFor(phoneNumberId, key);
      if (person === undefined) return undefined;
      const { rows } = await db.query(`SELECT * FROM ${s}.persons WHERE phone_number_id = $1 AND person_id = $2 AND messages > 0`, [phoneNumberId, person.id]);
      return rows[0] === undefined ? undefined : conversationOf(person, summaryOf(rows[0]));
    },

    async listConversations(phoneNumberId, options) {
      const { bound, limit } = conversationPage(options);
      // Newest last message first, strictly past the cursor: one index range scan.
      const { rows } = await db.query(
        `SELECT * FROM ${s}.persons WHERE phone_number_id = $1 AND messages > 0 AND ($2::bigint IS NULL OR (last_at, last_id_order) < ($2::bigint, $3::text))
          ORDER BY last_at DESC, last_id_order DESC LIMIT $4`,
        [phoneNumberId, bound?.[0] ?? null, bound === undefined ? null : sortableText(bound[1]), limit],
      );
      const people = await peopleByIds(
        db,
        s,
        phoneNumberId,
        rows.map((row) => String(row.person_id)),
      );
      return rows.map((row): ConversationEntry => conversationEntryOf(people.get(String(row.person_id)) as StoredPerson, summaryOf(row)));
    },

    async listMessages(phoneNumberId, key, options = {}) {
      pageOptions(options); // checked before the person is looked up
      const person = await personFor(phoneNumberId, key);
      return person === undefined ? [] : timelinePage(db, s, phoneNumberId, person, options);
    },

    async getIdentity(phoneNumberId, key) {
      return (await personFor(phoneNumberId, key))?.identity;
    },

    async getServiceWindow(phoneNumberId, key, now) {
      return serviceWindowFrom(db, s, phoneNumberId, await personFor(phoneNumberId, key), now);
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
