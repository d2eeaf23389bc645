/**
 * The PostgreSQL store: the contact book's rules, applied with set-based SQL, safe from many
 * workers at once, answering every query exactly as the in-memory book would. Writing places each
 * batch's people first (`people.ts`), then upserts its rows in one statement (`upserts.ts`); every
 * query reads its person by index and a page by one index range scan.
 *
 * @module
 */
import { declinedRecordOf, type DeclinedRecord, type LifecycleRecord } from "../book/book-state.js";
import { connectionKeys, connectionOf } from "../book/connection.js";
import { contactPage, conversationPage } from "../book/pages.js";
import { compareKeys } from "../book/persistent-map.js";
import { AtomBatch } from "./atom-batch.js";
import { Database, type ConnectionPool, type Queryable } from "./database.js";
import { checkSchemaName, migrate } from "./migrations.js";
import { NEEDS_EXCLUSIVE, personSlot, placeBatch, refreshPeople } from "./people.js";
import { personByKey, readContact, readContactPage, readConversation, readConversationPage } from "./person-reads.js";
import { isSharded, shardedStore, type ShardedDatabases } from "./sharded-store.js";
import type { PostgresStore, PostgresStoreOptions } from "./store-interface.js";
import { settleErasures } from "./erasure.js";
import { writeDrops } from "./retention.js";
import { readServiceWindow, readTimelinePage } from "./timeline-reads.js";
import { batchStatement } from "./upserts.js";

export type { PostgresStore, PostgresStoreOptions } from "./store-interface.js";

/** Thrown (and caught) when a write finds one of its messages stored with another person. */
const RACED = new Error("one of the batch's messages is stored with another person");

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

  /**
   * Writes a batch in one transaction: its people placed, its rows upserted, its people's
   * summaries refreshed, then what retention and erasure drop.
   */
  async function write(batch: AtomBatch, retry: boolean): Promise<boolean> {
    return db.transaction(async (connection) => {
      // Every statement of a write joins a batch (hundreds of rows) to tables by their keys. With
      // the default costs the planner prefers to hash a whole table once it holds some tens of
      // thousands of rows, which would make every write O(business): index lookups it is.
      await connection.query("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off");
      const placement = await placeBatch(connection, schema, batch, retry);
      if (placement === NEEDS_EXCLUSIVE) return false;
      const statement = batchStatement(s, batch, placement);
      if (statement !== undefined) {
        const { rows } = await connection.query(statement.text, statement.values);
        const created = new Map<string, number>();
        for (const row of rows) {
          if (row.person_id === undefined) continue;
          const id = row.phone_number_id as string;
          if (row.message_id === null) created.set(personSlot(id, String(row.person_id)), Number(row.created));
          // A message stored before (or by a writer sharing the lock) with another person's key: the
          // two people are one, which only a write that read its messages may join. Undo, and retry.
          else if (!placement.messagesRead && String(row.person_id) !== placement.personOf(id, batch.messageKey(id, row.message_id as string))) throw RACED;
        }
        await refreshPeople(connection, s, placement, created);
      }
      // What the data rules drop and erase, once the batch's rows are in.
      await writeDrops(connection, s, batch);
      await settleErasures(connection, s, batch, placement);
      return true;
    });
  }

  /** The address-book records kept under some keys, by key. */
  return {
    migrate: () => migrate(db, schema),

    async apply(events) {
      const batch = new AtomBatch(events);
      // A batch that joins people others are writing, or a message stored under another person's
      // key, runs again with its businesses to itself and its messages read.
      const shared = await write(batch, false).catch((error: unknown) => {
        if (error === RACED) return false;
        throw error;
      });
      if (!shared) await write(batch, true);
      return { unplaced: batch.unplaced };
    },

    getContact: async (phoneNumberId, key) => readContact(db, s, phoneNumberId, key),

    async listContacts(phoneNumberId, options) {
      const { after, limit } = contactPage(options);
      return readContactPage(db, s, phoneNumberId, after, limit);
    },

    getConversation: async (phoneNumberId, key) => readConversation(db, s, phoneNumberId, key),

    async listConversations(phoneNumberId, options) {
      const { bound, limit } = conversationPage(options);
      return readConversationPage(db, s, phoneNumberId, bound, limit);
    },

    listMessages: async (phoneNumberId, key, options = {}) => readTimelinePage(db, s, phoneNumberId, key, options),

    getIdentity: async (phoneNumberId, key) => (await personByKey(db, s, phoneNumberId, key))?.identity,

    getServiceWindow: async (phoneNumberId, key, now) => readServiceWindow(db, s, phoneNumberId, key, now),

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

    async getConnection(id) {
      // The business's WABA and display number first, then the records under the book's own keys.
      const account = await db.query(`SELECT waba_id, display_number FROM ${s}.business_accounts WHERE phone_number_id = $1`, [id]);
      const row = account.rows[0];
      const keys = connectionKeys(id, {
        wabaId: (row?.waba_id as string | null | undefined) ?? undefined,
        displayNumber: (row?.display_number as string | null | undefined) ?? undefined,
      });
      const { rows } = await db.query(`SELECT record FROM ${s}.account_lifecycle WHERE account_key = ANY ($1::text[])`, [keys]);
      return connectionOf(rows.map((each) => JSON.parse(each.record as string) as LifecycleRecord));
    },

    async listBusinesses() {
      const { rows } = await db.query(
        `SELECT phone_number_id FROM ${s}.persons UNION SELECT phone_number_id FROM ${s}.message_records
         UNION SELECT phone_number_id FROM ${s}.identifiers
         UNION SELECT phone_number_id FROM ${s}.history_chunks UNION SELECT phone_number_id FROM ${s}.history_messages
         UNION SELECT phone_number_id FROM ${s}.history_state UNION SELECT phone_number_id FROM ${s}.message_edits
         UNION SELECT phone_number_id FROM ${s}.message_revokes UNION SELECT phone_number_id FROM ${s}.message_reactions
         UNION SELECT phone_number_id FROM ${s}.business_accounts UNION SELECT phone_number_id FROM ${s}.retention
         UNION SELECT phone_number_id FROM ${s}.dropped_messages UNION SELECT phone_number_id FROM ${s}.amended_at`,
      );
      return rows.map((row) => row.phone_number_id as string).sort(compareKeys);
    },
  };
}
