/**
 * The PostgreSQL store: the contact book's rules, applied with set-based SQL, safe from many
 * workers at once, answering every query exactly as the in-memory book would.
 *
 * @module
 */
import { contactFieldsOf, declinedRecordOf, type DeclinedRecord } from "../book/book-state.js";
import { lookupKey, partyOfKey, userIdOfKey } from "../book/identity.js";
import { compareKeys } from "../book/persistent-map.js";
import type { Contact, Conversation, ConversationEntry, HistorySync } from "../book/queries.js";
import type { CoexistenceEvent } from "../events/coexistence-event.js";
import { AtomBatch, fromSortableText } from "./atom-batch.js";
import { Database, type ConnectionPool, type Queryable } from "./database.js";
import { checkSchemaName, migrate } from "./migrations.js";

/**
 * Options of {@link createPostgresStore}.
 *
 * @example
 * ```ts
 * const options: PostgresStoreOptions = { schema: "whatsapp" };
 * ```
 */
export interface PostgresStoreOptions {
  /** The schema that holds the tables (lowercase letters, digits, underscores). Default `coexistence`. */
  readonly schema?: string | undefined;
}

/**
 * The store's operations: the book's queries, async, business first.
 *
 * @example
 * ```ts
 * const store: PostgresStore = createPostgresStore(pool);
 * await store.migrate();
 * await store.apply(parseWebhook(body));
 * ```
 */
export interface PostgresStore {
  /** Creates or upgrades the tables (idempotent, versioned, safe from several workers at once). Resolves to the versions applied. */
  migrate(): Promise<number[]>;
  /** Applies events atomically, in one statement (retried on serialization failures and deadlocks). */
  apply(events: Iterable<CoexistenceEvent>): Promise<void>;
  getContact(phoneNumberId: string, key: string): Promise<Contact | undefined>;
  listContacts(phoneNumberId: string): Promise<Contact[]>;
  getConversation(phoneNumberId: string, key: string): Promise<Conversation | undefined>;
  listConversations(phoneNumberId: string): Promise<ConversationEntry[]>;
  getHistorySync(phoneNumberId: string): Promise<HistorySync>;
  listBusinesses(): Promise<string[]>;
}

function contactOf(row: Record<string, unknown>): Contact {
  return { ...contactFieldsOf(JSON.parse(fromSortableText(row.contact as string)) as object), updatedAt: Number(row.timestamp) };
}

function declinedOf(value: unknown): DeclinedRecord {
  return declinedRecordOf(JSON.parse(fromSortableText(value as string)) as object);
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
 * ```
 */
export function createPostgresStore(database: Queryable | ConnectionPool, options: PostgresStoreOptions = {}): PostgresStore {
  const schema = options.schema ?? "coexistence";
  const s = checkSchemaName(schema);
  const db = new Database(database);

  /** Each table's upsert: rows arrive as one array per column (`unnest`), already joined and sorted. */
  const upserts = {
    contacts: (p: string[]) => `INSERT INTO ${s}.contacts AS c (phone_number_id, key, removed, "timestamp", contact, user_id)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[], ${p[2]}::smallint[], ${p[3]}::bigint[], ${p[4]}::text[], ${p[5]}::text[])
      ON CONFLICT (phone_number_id, key) DO UPDATE
        SET removed = EXCLUDED.removed, "timestamp" = EXCLUDED."timestamp", contact = EXCLUDED.contact, user_id = EXCLUDED.user_id
        WHERE (EXCLUDED."timestamp", EXCLUDED.removed, EXCLUDED.contact) > (c."timestamp", c.removed, c.contact)`,
    messages: (p: string[]) => `INSERT INTO ${s}.messages AS m (phone_number_id, conversation_key, message_id, "timestamp", outbound, history)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[], ${p[2]}::text[], ${p[3]}::bigint[], ${p[4]}::boolean[], ${p[5]}::boolean[])
      ON CONFLICT (phone_number_id, conversation_key, message_id) DO UPDATE
        SET "timestamp" = GREATEST(m."timestamp", EXCLUDED."timestamp"), outbound = m.outbound OR EXCLUDED.outbound, history = m.history OR EXCLUDED.history
        WHERE EXCLUDED."timestamp" > m."timestamp" OR (EXCLUDED.outbound AND NOT m.outbound) OR (EXCLUDED.history AND NOT m.history)`,
    chunks: (p: string[]) => `INSERT INTO ${s}.history_chunks (phone_number_id, phase, chunk_order)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::integer[], ${p[2]}::integer[]) ON CONFLICT DO NOTHING`,
    historyMessages: (p: string[]) => `INSERT INTO ${s}.history_messages (phone_number_id, message_id)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[]) ON CONFLICT DO NOTHING`,
    states: (p: string[]) => `INSERT INTO ${s}.history_state AS h (phone_number_id, progress, declined)
      SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::integer[], ${p[2]}::text[])
      ON CONFLICT (phone_number_id) DO UPDATE SET
        progress = GREATEST(h.progress, EXCLUDED.progress),
        declined = CASE WHEN h.declined IS NULL OR EXCLUDED.declined > h.declined THEN coalesce(EXCLUDED.declined, h.declined) ELSE h.declined END
        WHERE EXCLUDED.progress > h.progress OR (EXCLUDED.declined IS NOT NULL AND (h.declined IS NULL OR EXCLUDED.declined > h.declined))`,
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

  /** Per conversation: the count, and the latest messages (several on a timestamp tie; the greater id wins, as in the book). */
  async function conversationRows(phoneNumberId: string, conversationKey?: string) {
    const { rows } = await db.query(
      `SELECT m.conversation_key, m.message_id, m."timestamp", m.outbound, latest.message_count
         FROM (SELECT conversation_key, count(*) AS message_count, max("timestamp") AS newest
                 FROM ${s}.messages
                WHERE phone_number_id = $1 AND ($2::text IS NULL OR conversation_key = $2)
                GROUP BY conversation_key) AS latest
         JOIN ${s}.messages AS m
           ON m.phone_number_id = $1 AND m.conversation_key = latest.conversation_key AND m."timestamp" = latest.newest`,
      [phoneNumberId, conversationKey ?? null],
    );
    const byKey = new Map<string, { key: string; conversation: Conversation }>();
    for (const row of rows) {
      const key = row.conversation_key as string;
      const messageId = row.message_id as string;
      const current = byKey.get(key);
      if (current !== undefined && current.conversation.lastMessageId > messageId) continue;
      byKey.set(key, {
        key,
        conversation: {
          messageCount: Number(row.message_count),
          lastMessageAt: Number(row.timestamp),
          lastMessageId: messageId,
          lastDirection: row.outbound === true ? "outbound" : "inbound",
        },
      });
    }
    return [...byKey.values()];
  }

  return {
    migrate: () => migrate(db, schema),

    async apply(events) {
      const statement = batchStatement(new AtomBatch(events));
      if (statement !== undefined) await db.statement(statement.text, statement.values);
    },

    async getContact(phoneNumberId, key) {
      const identity = lookupKey(key);
      const direct = await db.query(`SELECT removed, "timestamp", contact FROM ${s}.contacts WHERE phone_number_id = $1 AND key = $2`, [phoneNumberId, identity]);
      const row = direct.rows[0];
      if (row !== undefined && Number(row.removed) === 0) return contactOf(row);
      const userId = userIdOfKey(identity);
      if (userId === undefined) return undefined;
      const { rows } = await db.query(
        `SELECT key, "timestamp", contact FROM ${s}.contacts WHERE phone_number_id = $1 AND user_id = $2 AND removed = 0 AND key LIKE 'p:%'`,
        [phoneNumberId, userId],
      );
      const first = rows.sort((a, b) => compareKeys(a.key as string, b.key as string))[0];
      return first === undefined ? undefined : contactOf(first);
    },

    async listContacts(phoneNumberId) {
      const { rows } = await db.query(`SELECT key, "timestamp", contact FROM ${s}.contacts WHERE phone_number_id = $1 AND removed = 0`, [phoneNumberId]);
      return rows.sort((a, b) => compareKeys(a.key as string, b.key as string)).map(contactOf);
    },

    async getConversation(phoneNumberId, key) {
      const [row] = await conversationRows(phoneNumberId, lookupKey(key));
      return row?.conversation;
    },

    async listConversations(phoneNumberId) {
      const rows = await conversationRows(phoneNumberId);
      return rows.sort((a, b) => compareKeys(a.key, b.key)).map(({ key, conversation }) => ({ customer: partyOfKey(key), ...conversation }));
    },

    async getHistorySync(phoneNumberId) {
      const { rows } = await db.query(
        `SELECT (SELECT count(*) FROM ${s}.history_chunks WHERE phone_number_id = $1) AS chunks,
                (SELECT count(*) FROM (SELECT message_id FROM ${s}.messages WHERE phone_number_id = $1 AND history
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
        `SELECT phone_number_id FROM ${s}.contacts UNION SELECT phone_number_id FROM ${s}.messages
         UNION SELECT phone_number_id FROM ${s}.history_chunks UNION SELECT phone_number_id FROM ${s}.history_messages
         UNION SELECT phone_number_id FROM ${s}.history_state`,
      );
      return rows.map((row) => row.phone_number_id as string).sort(compareKeys);
    },
  };
}
