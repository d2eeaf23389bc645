import pg from "pg";
import { inject } from "vitest";

/** The cluster of this run, or null when PostgreSQL is not installed (tests skip). */
export const cluster = inject("postgres");

let counter = 0;

/** A pool on the cluster, and a schema name no other test uses. */
export function connect(max = 6): { pool: pg.Pool; schema: string } {
  if (cluster === null) throw new Error("no PostgreSQL cluster");
  const pool = new pg.Pool({ host: cluster.host, port: cluster.port, user: cluster.user, database: cluster.database, max });
  return { pool, schema: `t_${process.pid}_${Date.now().toString(36)}_${counter++}` };
}
