/**
 * whatsapp-coexistence/postgres: the contact book in PostgreSQL, for many workers.
 *
 * @module
 */
export { createPostgresStore } from "./postgres-store.js";
export type { PostgresStore, PostgresStoreOptions, StoreQueries } from "./store-interface.js";
export type { ShardedDatabases } from "./sharded-store.js";
export type { Queryable, ConnectionPool, QueryResult } from "./database.js";
export { SCHEMA_VERSION } from "./migrations.js";
