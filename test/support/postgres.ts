import pg from "pg";
import { inject } from "vitest";
import type { PostgresStore } from "../../src/postgres/index.js";
import { LOOKUP_KEYS, questions } from "./event-streams.js";

/** The cluster of this run, or null when PostgreSQL is not installed (tests skip). */
export const cluster = inject("postgres");

let counter = 0;

/** A pool on the cluster, and a schema name no other test uses. */
export function connect(max = 6): { pool: pg.Pool; schema: string } {
  if (cluster === null) throw new Error("no PostgreSQL cluster");
  const pool = new pg.Pool({ host: cluster.host, port: cluster.port, user: cluster.user, database: cluster.database, max });
  return { pool, schema: `t_${process.pid}_${Date.now().toString(36)}_${counter++}` };
}

/** The answers a store gives to the same questions as the book (see `questions`). */
export async function storeAnswers(store: PostgresStore, keys: readonly string[] = LOOKUP_KEYS) {
  const asking = questions(keys);
  for (let step = asking.next(); ;) {
    if (step.done === true) return step.value;
    const [name, args] = step.value;
    step = asking.next(await (store[name] as (...args: unknown[]) => Promise<unknown>)(...args));
  }
}

/** The store's tables (every one but the migrations' own), emptied: each test starts from none of its rows. */
export async function truncateStore(pool: pg.Pool, schema: string): Promise<unknown> {
  const { rows } = await pool.query("SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'migrations'", [schema]);
  return pool.query(`TRUNCATE ${rows.map((row: { tablename: string }) => `"${schema}"."${row.tablename}"`).join(", ")}`);
}
