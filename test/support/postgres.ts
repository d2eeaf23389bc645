import pg from "pg";
import { inject } from "vitest";
import type { PostgresStore } from "../../src/postgres/index.js";
import { BUSINESS_IDS, LOOKUP_KEYS, PAGE, pagesOf, SERVICE_WINDOW_NOW } from "./event-streams.js";

/** The cluster of this run, or null when PostgreSQL is not installed (tests skip). */
export const cluster = inject("postgres");

let counter = 0;

/** A pool on the cluster, and a schema name no other test uses. */
export function connect(max = 6): { pool: pg.Pool; schema: string } {
  if (cluster === null) throw new Error("no PostgreSQL cluster");
  const pool = new pg.Pool({ host: cluster.host, port: cluster.port, user: cluster.user, database: cluster.database, max });
  return { pool, schema: `t_${process.pid}_${Date.now().toString(36)}_${counter++}` };
}

/** Every page of a store listing, one after the other. */
async function everyPageAsync<T extends { cursor: string }>(page: (cursor: string | undefined) => Promise<T[]>): Promise<T[]> {
  const all: T[] = [];
  for (let next = await page(undefined); next.length > 0; next = await page(next[next.length - 1]?.cursor)) all.push(...next);
  return all;
}

/** Everything the store says, through the same queries. */
export async function storeAnswers(store: PostgresStore, keys: readonly string[] = LOOKUP_KEYS) {
  return {
    businesses: await store.listBusinesses(),
    perBusiness: await Promise.all(
      BUSINESS_IDS.map(async (id) => ({
        contacts: await everyPageAsync((after) => store.listContacts(id, { after, limit: PAGE })),
        conversations: await everyPageAsync((before) => store.listConversations(id, { before, limit: PAGE })),
        history: await store.getHistorySync(id),
        lookups: await Promise.all(
          keys.map(async (key) => [
            await store.getContact(id, key),
            await store.getConversation(id, key),
            await store.getIdentity(id, key),
            await store.getServiceWindow(id, key, SERVICE_WINDOW_NOW),
          ]),
        ),
      })),
    ),
    timelines: await Promise.all(
      BUSINESS_IDS.map((id) => Promise.all(keys.map((key) => pagesOf((before) => store.listMessages(id, key, { before, limit: PAGE }))))),
    ),
  };
}

/** The store's tables, emptied (each test starts from none of its rows). */
export function truncateStore(pool: pg.Pool, schema: string): Promise<unknown> {
  const tables = [
    "contacts",
    "identifiers",
    "links",
    "message_records",
    "history_chunks",
    "history_messages",
    "history_state",
    "message_edits",
    "message_revokes",
    "message_reactions",
    "persons",
  ];
  return pool.query(`TRUNCATE ${tables.map((table) => `"${schema}".${table}`).join(", ")}`);
}
