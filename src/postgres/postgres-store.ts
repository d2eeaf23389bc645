/**
 * The PostgreSQL store: the contact book's rules, applied with set-based SQL, safe from many
 * workers at once, answering every query exactly as the in-memory book would.
 *
 * @module
 */
import type { ContactFields, DeclinedRecord } from "../book/book-state.js";
import { lookupKey, partyOfKey, userIdOfKey } from "../book/identity.js";
import type { Contact, Conversation, ConversationEntry, HistorySync } from "../book/queries.js";
import type { CoexistenceEvent } from "../events/coexistence-event.js";
import { AtomBatch } from "./atom-batch.js";
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
  readonly schema?: string;
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
  /** Applies events in one transaction (retried on serialization failures and deadlocks). */
  apply(events: Iterable<CoexistenceEvent>): Promise<void>;
  getContact(phoneNumberId: string, key: string): Promise<Contact | undefined>;
  listContacts(phoneNumberId: string): Promise<Contact[]>;
  getConversation(phoneNumberId: string, key: string): Promise<Conversation | undefined>;
  listConversations(phoneNumberId: string): Promise<ConversationEntry[]>;
  getHistorySync(phoneNumberId: string): Promise<HistorySync>;
  listBusinesses(): Promise<string[]>;
}

const CONTACT_FIELDS = ["phoneNumber", "userId", "parentUserId", "fullName", "firstName", "username", "countryCode"] as const;

function contactOf(row: Record<string, unknown>): Contact {
  const stored = row.contact as Record<string, unknown>;
  const contact: { -readonly [K in keyof ContactFields]: ContactFields[K] } = {};
  for (const field of CONTACT_FIELDS) if (typeof stored[field] === "string") contact[field] = stored[field] as string;
  return { ...contact, updatedAt: Number(row.timestamp) };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function declinedOf(value: unknown): DeclinedRecord {
  const stored = value as Record<string, unknown>;
  const declined: { code: number; title?: string; message?: string; details?: string } = { code: Number(stored.code) };
  for (const field of ["title", "message", "details"] as const) if (typeof stored[field] === "string") declined[field] = stored[field] as string;
  return declined;
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

  const sql = {
    contacts: `INSERT INTO ${s}.contacts AS c (phone_number_id, key, kind, rank, "timestamp", canon_key, contact)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::smallint[], $5::bigint[], $6::text[], $7::jsonb[])
      ON CONFLICT (phone_number_id, key) DO UPDATE
        SET kind = EXCLUDED.kind, rank = EXCLUDED.rank, "timestamp" = EXCLUDED."timestamp", canon_key = EXCLUDED.canon_key, contact = EXCLUDED.contact
        WHERE (EXCLUDED."timestamp", EXCLUDED.rank, EXCLUDED.canon_key) > (c."timestamp", c.rank, c.canon_key)`,
    messages: `INSERT INTO ${s}.messages AS m (phone_number_id, conversation_key, message_id, "timestamp", outbound, id_key)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::boolean[], $6::text[])
      ON CONFLICT (phone_number_id, conversation_key, message_id) DO UPDATE
        SET "timestamp" = GREATEST(m."timestamp", EXCLUDED."timestamp"), outbound = m.outbound OR EXCLUDED.outbound
        WHERE EXCLUDED."timestamp" > m."timestamp" OR (EXCLUDED.outbound AND NOT m.outbound)`,
    chunks: `INSERT INTO ${s}.history_chunks (phone_number_id, phase, chunk_order)
      SELECT * FROM unnest($1::text[], $2::integer[], $3::integer[]) ON CONFLICT DO NOTHING`,
    historyMessages: `INSERT INTO ${s}.history_messages (phone_number_id, message_id)
      SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
    states: `INSERT INTO ${s}.history_state AS h (phone_number_id, progress, declined, declined_key)
      SELECT * FROM unnest($1::text[], $2::integer[], $3::jsonb[], $4::text[])
      ON CONFLICT (phone_number_id) DO UPDATE SET
        progress = GREATEST(h.progress, EXCLUDED.progress),
        declined = CASE WHEN EXCLUDED.declined_key > h.declined_key OR (h.declined_key IS NULL AND EXCLUDED.declined_key IS NOT NULL) THEN EXCLUDED.declined ELSE h.declined END,
        declined_key = CASE WHEN EXCLUDED.declined_key > h.declined_key OR (h.declined_key IS NULL AND EXCLUDED.declined_key IS NOT NULL) THEN EXCLUDED.declined_key ELSE h.declined_key END
        WHERE EXCLUDED.progress > h.progress OR EXCLUDED.declined_key > h.declined_key OR (h.declined_key IS NULL AND EXCLUDED.declined_key IS NOT NULL)`,
  };

  async function conversationRows(phoneNumberId: string, conversationKey?: string) {
    const { rows } = await db.query(
      `SELECT DISTINCT ON (conversation_key) conversation_key, message_id, "timestamp", outbound,
              count(*) OVER (PARTITION BY conversation_key) AS message_count
         FROM ${s}.messages
        WHERE phone_number_id = $1 AND ($2::text IS NULL OR conversation_key = $2)
        ORDER BY conversation_key, "timestamp" DESC, id_key DESC`,
      [phoneNumberId, conversationKey ?? null],
    );
    return rows.map((row) => ({
      key: row.conversation_key as string,
      conversation: {
        messageCount: Number(row.message_count),
        lastMessageAt: Number(row.timestamp),
        lastMessageId: row.message_id as string,
        lastDirection: row.outbound === true ? "outbound" : "inbound",
      } satisfies Conversation,
    }));
  }

  return {
    migrate: () => migrate(db, schema),

    async apply(events) {
      const batch = new AtomBatch(events);
      if (batch.empty) return;
      const columns = batch.columns();
      await db.transaction(async (connection) => {
        if (columns.contacts[0]!.length > 0) await connection.query(sql.contacts, columns.contacts);
        if (columns.messages[0]!.length > 0) await connection.query(sql.messages, columns.messages);
        if (columns.chunks[0]!.length > 0) await connection.query(sql.chunks, columns.chunks);
        if (columns.historyMessages[0]!.length > 0) await connection.query(sql.historyMessages, columns.historyMessages);
        if (columns.states[0]!.length > 0) await connection.query(sql.states, columns.states);
      });
    },

    async getContact(phoneNumberId, key) {
      const identity = lookupKey(key);
      const direct = await db.query(`SELECT kind, "timestamp", contact FROM ${s}.contacts WHERE phone_number_id = $1 AND key = $2`, [phoneNumberId, identity]);
      const row = direct.rows[0];
      if (row?.kind === "add") return contactOf(row);
      const userId = userIdOfKey(identity);
      if (userId === undefined) return undefined;
      const { rows } = await db.query(
        `SELECT key, "timestamp", contact FROM ${s}.contacts WHERE phone_number_id = $1 AND user_id = $2 AND kind = 'add' AND key LIKE 'p:%'`,
        [phoneNumberId, userId],
      );
      const first = rows.sort((a, b) => compareText(a.key as string, b.key as string))[0];
      return first === undefined ? undefined : contactOf(first);
    },

    async listContacts(phoneNumberId) {
      const { rows } = await db.query(`SELECT key, "timestamp", contact FROM ${s}.contacts WHERE phone_number_id = $1 AND kind = 'add'`, [phoneNumberId]);
      return rows.sort((a, b) => compareText(a.key as string, b.key as string)).map(contactOf);
    },

    async getConversation(phoneNumberId, key) {
      const [row] = await conversationRows(phoneNumberId, lookupKey(key));
      return row?.conversation;
    },

    async listConversations(phoneNumberId) {
      const rows = await conversationRows(phoneNumberId);
      return rows.sort((a, b) => compareText(a.key, b.key)).map(({ key, conversation }) => ({ customer: partyOfKey(key), ...conversation }));
    },

    async getHistorySync(phoneNumberId) {
      const { rows } = await db.query(
        `SELECT (SELECT count(*) FROM ${s}.history_chunks WHERE phone_number_id = $1) AS chunks,
                (SELECT count(*) FROM ${s}.history_messages WHERE phone_number_id = $1) AS messages,
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
      return rows.map((row) => row.phone_number_id as string).sort(compareText);
    },
  };
}
