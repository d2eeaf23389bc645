/**
 * The store's tables, created by versioned migrations.
 *
 * @module
 */
import { fromSortableText, sortableText } from "./atom-batch.js";
import type { Database, Queryable } from "./database.js";
import { assignPeople } from "./people.js";

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A schema name, checked: lowercase letters, digits and underscores only, so it can be quoted into
 * SQL text safely (nothing from a payload ever is).
 *
 * @throws TypeError for anything else.
 */
export function checkSchemaName(schema: string): string {
  if (!IDENTIFIER.test(schema)) {
    throw new TypeError(
      `The schema name ${JSON.stringify(schema)} is not allowed: use lowercase letters, digits and underscores (at most 63, not starting with a digit).`,
    );
  }
  return `"${schema}"`;
}

/** One migration: SQL text, or steps that need code (run on the migration's connection). */
type Migration = string | ((connection: Queryable) => Promise<void>);

/**
 * Version 3 makes names and texts readable: `contact` and `declined` hold the JSON as written, and
 * the order the join compares moves to `contact_order` / `declined_order` (text escaped so that
 * `COLLATE "C"` order equals JavaScript's, see `sortableText`).
 */
function readableTexts(s: string): Migration {
  return async (connection) => {
    await connection.query(`ALTER TABLE ${s}.contacts ADD COLUMN contact_order text COLLATE "C";
      UPDATE ${s}.contacts SET contact_order = contact;
      ALTER TABLE ${s}.history_state ADD COLUMN declined_order text COLLATE "C";
      UPDATE ${s}.history_state SET declined_order = declined;`);
    const escaped = await connection.query(`SELECT phone_number_id, key, contact FROM ${s}.contacts WHERE strpos(contact, chr(55295)) > 0`);
    for (const row of escaped.rows) {
      await connection.query(`UPDATE ${s}.contacts SET contact = $3 WHERE phone_number_id = $1 AND key = $2`, [
        row.phone_number_id,
        row.key,
        fromSortableText(row.contact as string),
      ]);
    }
    const declined = await connection.query(`SELECT phone_number_id, declined FROM ${s}.history_state WHERE strpos(declined, chr(55295)) > 0`);
    for (const row of declined.rows) {
      await connection.query(`UPDATE ${s}.history_state SET declined = $2 WHERE phone_number_id = $1`, [
        row.phone_number_id,
        fromSortableText(row.declined as string),
      ]);
    }
    await connection.query(`ALTER TABLE ${s}.contacts ALTER COLUMN contact_order SET NOT NULL`);
  };
}

/** A SQL expression giving `contentOrder` of a message kept without its content (versions 1 to 3). */
const BARE_CONTENT_ORDER = `'0' || CASE origin WHEN 'history' THEN '1' WHEN 'received' THEN '2' ELSE '3' END
  || lpad((9999999999999 - "timestamp")::text, 13, '0') || CASE WHEN outbound THEN '1' ELSE '0' END`;

/**
 * Version 4 keeps each message's timeline: its content, origin and status on the record (with the
 * orders the joins compare), a key and an order for paging (`message_records_timeline`, so a page
 * reads O(page) rows), and the edits, revokes and reactions that point to a message.
 */
function timelines(s: string): Migration {
  return async (connection) => {
    await connection.query(`ALTER TABLE ${s}.message_records
        ADD COLUMN origin text NOT NULL DEFAULT 'received',
        ADD COLUMN content text COLLATE "C",
        ADD COLUMN content_order text COLLATE "C" NOT NULL DEFAULT '',
        ADD COLUMN status text,
        ADD COLUMN errors text,
        ADD COLUMN status_order text COLLATE "C" NOT NULL DEFAULT '0',
        ADD COLUMN list_key text COLLATE "C",
        ADD COLUMN id_order text COLLATE "C";
      UPDATE ${s}.message_records SET origin = CASE WHEN history THEN 'history' WHEN outbound THEN 'echo' ELSE 'received' END, list_key = keys[1], id_order = message_id;
      UPDATE ${s}.message_records SET content_order = ${BARE_CONTENT_ORDER};`);
    // Only ids with a non-ASCII character (or U+0001) can need escaping: rare, so each is checked here.
    const escaped = await connection.query(
      `SELECT phone_number_id, message_id FROM ${s}.message_records WHERE octet_length(message_id) <> char_length(message_id) OR strpos(message_id, chr(1)) > 0`,
    );
    for (const row of escaped.rows) {
      if (sortableText(row.message_id as string) === row.message_id) continue;
      await connection.query(`UPDATE ${s}.message_records SET id_order = $3 WHERE phone_number_id = $1 AND message_id = $2`, [
        row.phone_number_id,
        row.message_id,
        sortableText(row.message_id as string),
      ]);
    }
    await connection.query(`ALTER TABLE ${s}.message_records ALTER COLUMN list_key SET NOT NULL, ALTER COLUMN id_order SET NOT NULL;
      CREATE INDEX message_records_timeline ON ${s}.message_records (phone_number_id, list_key, "timestamp", id_order);
      CREATE TABLE ${s}.message_edits (
        phone_number_id text NOT NULL,
        message_id text NOT NULL,
        "timestamp" bigint NOT NULL,
        content text COLLATE "C" NOT NULL,
        edit_order text COLLATE "C" NOT NULL,
        PRIMARY KEY (phone_number_id, message_id)
      );
      CREATE TABLE ${s}.message_revokes (
        phone_number_id text NOT NULL,
        message_id text NOT NULL,
        PRIMARY KEY (phone_number_id, message_id)
      );
      CREATE TABLE ${s}.message_reactions (
        phone_number_id text NOT NULL,
        message_id text NOT NULL,
        reactor text NOT NULL,
        reaction text NOT NULL,
        "timestamp" bigint NOT NULL,
        emoji_order text COLLATE "C" NOT NULL,
        from_order text COLLATE "C" NOT NULL,
        PRIMARY KEY (phone_number_id, message_id, reactor)
      );`);
  };
}

/**
 * Version 5 places people at write time: each identifier row names its person (`person_id`), each
 * message row too, and `persons` holds what the queries read (the identifiers with when each was
 * seen, the winning address-book record, the newest message and the count) and what the listings
 * order by, so every query reads its person's row by index and a page with one index range scan. Each precedence rule's whole
 * order is one stored key (`contact_order`, `reaction_order`), compared as text and nothing else.
 * The `contacts` table goes: a person's winner (the greatest record of its keys) is on its row.
 */
function people(s: string): Migration {
  return async (connection) => {
    await connection.query(`CREATE SEQUENCE ${s}.person_ids;
      CREATE TABLE ${s}.persons (
        phone_number_id text NOT NULL,
        person_id bigint NOT NULL,
        first_order text COLLATE "C" NOT NULL,
        identifiers integer NOT NULL,
        messages integer NOT NULL DEFAULT 0,
        last_at bigint,
        last_id_order text COLLATE "C",
        last_message_id text,
        last_outbound boolean,
        contact_order text COLLATE "C",
        listed boolean DEFAULT false,
        contact text,
        contact_at bigint,
        identifiers_json text,
        PRIMARY KEY (phone_number_id, person_id)
      );
      ALTER TABLE ${s}.identifiers ADD COLUMN person_id bigint;
      ALTER TABLE ${s}.message_records ADD COLUMN person_id bigint;
      -- An address-book record's key is an identifier like any other.
      INSERT INTO ${s}.identifiers (phone_number_id, key, seen_at)
        SELECT phone_number_id, key, "timestamp" FROM ${s}.contacts
        ON CONFLICT (phone_number_id, key) DO UPDATE SET seen_at = GREATEST(${s}.identifiers.seen_at, EXCLUDED.seen_at);
      UPDATE ${s}.contacts SET contact_order = lpad("timestamp"::text, 13, '0') || removed::text || contact_order;
      ALTER TABLE ${s}.message_reactions ADD COLUMN reaction_order text COLLATE "C";
      UPDATE ${s}.message_reactions SET reaction_order = lpad("timestamp"::text, 13, '0') || emoji_order;
      ALTER TABLE ${s}.message_reactions ALTER COLUMN reaction_order SET NOT NULL, DROP COLUMN emoji_order, DROP COLUMN from_order;`);
    await assignPeople(connection, s);
    await connection.query(`ALTER TABLE ${s}.identifiers ALTER COLUMN person_id SET NOT NULL;
      ALTER TABLE ${s}.persons ALTER COLUMN listed SET NOT NULL;
      ALTER TABLE ${s}.message_records ALTER COLUMN person_id SET NOT NULL;
      CREATE INDEX identifiers_by_person ON ${s}.identifiers (phone_number_id, person_id);
      CREATE INDEX message_records_by_person ON ${s}.message_records (phone_number_id, person_id, "timestamp", id_order);
      CREATE INDEX message_records_inbound ON ${s}.message_records (phone_number_id, person_id, "timestamp", id_order) WHERE NOT outbound;
      CREATE INDEX persons_by_last ON ${s}.persons (phone_number_id, last_at, last_id_order) WHERE messages > 0;
      CREATE INDEX persons_by_first ON ${s}.persons (phone_number_id, first_order) WHERE listed;
      DROP INDEX ${s}.message_records_by_key;
      DROP INDEX ${s}.message_records_timeline;
      -- Each person's winning address-book record is on its row; a key's own record is no longer needed.
      DROP TABLE ${s}.contacts;`);
  };
}

/** The migrations, in order; each runs once, in a transaction. */
function migrations(s: string): readonly Migration[] {
  return [
    `CREATE TABLE ${s}.contacts (
       phone_number_id text NOT NULL,
       key text NOT NULL,
       removed smallint NOT NULL CHECK (removed IN (0, 1)),
       "timestamp" bigint NOT NULL,
       contact text COLLATE "C" NOT NULL,
       user_id text,
       PRIMARY KEY (phone_number_id, key)
     );
     CREATE INDEX contacts_by_user_id ON ${s}.contacts (phone_number_id, user_id) WHERE user_id IS NOT NULL;
     CREATE TABLE ${s}.messages (
       phone_number_id text NOT NULL,
       conversation_key text NOT NULL,
       message_id text NOT NULL,
       "timestamp" bigint NOT NULL,
       outbound boolean NOT NULL,
       history boolean NOT NULL,
       PRIMARY KEY (phone_number_id, conversation_key, message_id)
     );
     CREATE TABLE ${s}.history_chunks (
       phone_number_id text NOT NULL,
       phase integer NOT NULL,
       chunk_order integer NOT NULL,
       PRIMARY KEY (phone_number_id, phase, chunk_order)
     );
     -- History message ids that no conversation holds (the others are messages with history = true).
     CREATE TABLE ${s}.history_messages (
       phone_number_id text NOT NULL,
       message_id text NOT NULL,
       PRIMARY KEY (phone_number_id, message_id)
     );
     CREATE TABLE ${s}.history_state (
       phone_number_id text PRIMARY KEY,
       progress integer NOT NULL DEFAULT 0,
       declined text COLLATE "C"
     );`,
    // 2: one person across identifiers. Messages are keyed by id, with the customer keys they were
    // seen with (`keys`, a set that only grows); identifiers and the links between them are facts that only accumulate, so the
    // people (connected groups) are the same whatever the order or concurrency of writers.
    `CREATE TABLE ${s}.identifiers (
       phone_number_id text NOT NULL,
       key text NOT NULL,
       seen_at bigint NOT NULL,
       PRIMARY KEY (phone_number_id, key)
     );
     CREATE TABLE ${s}.links (
       phone_number_id text NOT NULL,
       a text NOT NULL,
       b text NOT NULL,
       PRIMARY KEY (phone_number_id, a, b)
     );
     CREATE TABLE ${s}.message_records (
       phone_number_id text NOT NULL,
       message_id text NOT NULL,
       "timestamp" bigint NOT NULL,
       outbound boolean NOT NULL,
       history boolean NOT NULL,
       keys text[] COLLATE "C" NOT NULL,
       PRIMARY KEY (phone_number_id, message_id)
     );
     CREATE INDEX message_records_by_key ON ${s}.message_records USING gin (keys);
     INSERT INTO ${s}.message_records (phone_number_id, message_id, "timestamp", outbound, history, keys)
       SELECT phone_number_id, message_id, max("timestamp"), bool_or(outbound), bool_or(history), array_agg(DISTINCT conversation_key ORDER BY conversation_key)
         FROM ${s}.messages GROUP BY 1, 2;
     -- Version 1 knew no links: an address-book record's phone number and user ids are one person.
     CREATE TEMPORARY TABLE contact_ids ON COMMIT DROP AS
       SELECT phone_number_id, key, "timestamp", unnest(ARRAY[key, 'u:' || user_id, 'v:' || (contact::jsonb ->> 'parentUserId')]) AS id
         FROM ${s}.contacts;
     INSERT INTO ${s}.identifiers (phone_number_id, key, seen_at)
       SELECT phone_number_id, id, max(seen) FROM (
         SELECT phone_number_id, id, "timestamp" AS seen FROM contact_ids WHERE id IS NOT NULL
         UNION ALL SELECT phone_number_id, conversation_key, "timestamp" FROM ${s}.messages) AS seen
       GROUP BY 1, 2;
     INSERT INTO ${s}.links (phone_number_id, a, b)
       SELECT DISTINCT phone_number_id, key, id FROM contact_ids WHERE id IS NOT NULL AND id <> key;
     DROP TABLE ${s}.messages;`,
    readableTexts(s),
    timelines(s),
    people(s),
    accounts(s),
  ];
}

/**
 * Version 6: the lifecycle of accounts (the newest record per account key, as the book keeps it)
 * and each business's WABA and display number; retention (each business's horizon, the messages
 * dropped, and the earliest piece's time of each message and of its amendments: stored data takes
 * its record's time, and its edits' and reactions' own); erasure (the identifiers erased and when,
 * each person's horizon, and reactions by reactor).
 */
function accounts(s: string): string {
  return `ALTER TABLE ${s}.message_records ADD COLUMN first_at bigint;
     UPDATE ${s}.message_records SET first_at = "timestamp";
     ALTER TABLE ${s}.message_records ALTER COLUMN first_at SET NOT NULL;
     CREATE TABLE ${s}.amended_at (
       phone_number_id text NOT NULL,
       message_id text NOT NULL,
       first_at bigint NOT NULL,
       PRIMARY KEY (phone_number_id, message_id)
     );
     INSERT INTO ${s}.amended_at (phone_number_id, message_id, first_at)
       SELECT phone_number_id, message_id, min("timestamp") FROM (
         SELECT phone_number_id, message_id, "timestamp" FROM ${s}.message_edits
         UNION ALL SELECT phone_number_id, message_id, "timestamp" FROM ${s}.message_reactions) AS amended
       GROUP BY 1, 2;
     CREATE TABLE ${s}.retention (
       phone_number_id text PRIMARY KEY,
       before bigint NOT NULL DEFAULT 0,
       has_drops boolean NOT NULL DEFAULT false,
       has_erasures boolean NOT NULL DEFAULT false
     );
     CREATE TABLE ${s}.erasures (
       phone_number_id text NOT NULL,
       key text NOT NULL,
       erased_at bigint NOT NULL,
       PRIMARY KEY (phone_number_id, key)
     );
     ALTER TABLE ${s}.persons ADD COLUMN horizon bigint NOT NULL DEFAULT 0;
     CREATE INDEX message_reactions_by_reactor ON ${s}.message_reactions (phone_number_id, reactor);
     CREATE TABLE ${s}.dropped_messages (
       phone_number_id text NOT NULL,
       message_id text NOT NULL,
       key text COLLATE "C" NOT NULL DEFAULT '',
       PRIMARY KEY (phone_number_id, message_id)
     );
     CREATE TABLE ${s}.account_lifecycle (
       account_key text PRIMARY KEY,
       record text NOT NULL,
       lifecycle_order text COLLATE "C" NOT NULL
     );
     CREATE TABLE ${s}.business_accounts (
       phone_number_id text PRIMARY KEY,
       waba_id text,
       waba_order text COLLATE "C",
       display_number text COLLATE "C"
     );`;
}

/**
 * The latest migration version this library knows.
 *
 * @example
 * ```ts
 * const applied = await store.migrate(); // e.g. [1, 2, 3, 4, 5, 6] on a new database, [] once at SCHEMA_VERSION
 * ```
 */
export const SCHEMA_VERSION = 6;

/**
 * Brings the schema up to date: idempotent, and safe when several workers start at once (an
 * advisory lock makes them take turns).
 *
 * @param target - the version to stop at (tests use it to build an older schema).
 * @returns the versions applied now (empty when already up to date).
 */
export async function migrate(database: Database, schema: string, target: number = SCHEMA_VERSION): Promise<number[]> {
  const s = checkSchemaName(schema);
  return database.transaction(async (connection) => {
    await connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`whatsapp-coexistence:${schema}`]);
    await connection.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await connection.query(`CREATE TABLE IF NOT EXISTS ${s}.migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await connection.query(`SELECT coalesce(max(version), 0) AS version FROM ${s}.migrations`);
    const current = Number(rows[0]?.version ?? 0);
    if (current > SCHEMA_VERSION) {
      throw new Error(`The schema ${schema} is at version ${current}, newer than this library's ${SCHEMA_VERSION}: upgrade whatsapp-coexistence.`);
    }
    const applied: number[] = [];
    const all = migrations(s);
    for (let version = current + 1; version <= Math.min(target, all.length); version++) {
      const migration = all[version - 1] as Migration;
      if (typeof migration === "string") await connection.query(migration);
      else await migration(connection);
      await connection.query(`INSERT INTO ${s}.migrations (version) VALUES ($1)`, [version]);
      applied.push(version);
    }
    return applied;
  });
}
