/**
 * A store spread over several databases: each business lives in the database its `poolFor` names,
 * and every query stays within one business, so the businesses of a provider can be spread over
 * several PostgreSQL servers (or the schema distributed by `phone_number_id`, as Citus does).
 *
 * @module
 */
import { withoutBusiness } from "../book/apply-event.js";
import { addUnplaced, countUnplaced, noneUnplaced } from "../book/unplaced.js";
import type { BookEvent } from "../events/book-event.js";
import type { ConnectionPool, Queryable } from "./database.js";
import type { PostgresStore } from "./store-interface.js";

/**
 * Where each business lives: every database the store uses (`pools`: `migrate()` and
 * `listBusinesses()` visit each), and the one of them that holds a business (`poolFor`, which must
 * always name the same database for the same business).
 *
 * @example
 * ```ts
 * const pools = [new pg.Pool({ host: "db-a" }), new pg.Pool({ host: "db-b" })];
 * const store = createPostgresStore({ pools, poolFor: (phoneNumberId) => pools[hash(phoneNumberId) % pools.length]! });
 * ```
 */
export interface ShardedDatabases {
  readonly pools: readonly (Queryable | ConnectionPool)[];
  readonly poolFor: (phoneNumberId: string) => Queryable | ConnectionPool;
}

/**
 * Whether a store's first argument spreads businesses over several databases.
 *
 * @example
 * ```ts
 * isSharded({ pools: [a, b], poolFor: () => a }); // true
 * ```
 */
export function isSharded(database: unknown): database is ShardedDatabases {
  return typeof database === "object" && database !== null && typeof (database as ShardedDatabases).poolFor === "function";
}

/**
 * One store per database, and the routing between them: a batch of events is split by business,
 * each business's events applied in its database (atomically there, as a one-database store does).
 *
 * @param storeOf - the store over one database.
 * @example
 * ```ts
 * const store = shardedStore({ pools, poolFor }, (pool) => createPostgresStore(pool, { schema }));
 * ```
 */
export function shardedStore(databases: ShardedDatabases, storeOf: (pool: Queryable | ConnectionPool) => PostgresStore): PostgresStore {
  const { pools, poolFor } = databases;
  if (!Array.isArray(pools) || pools.length === 0)
    throw new TypeError("createPostgresStore({ pools, poolFor }): give every database the store uses in `pools`.");
  const stores = new Map(pools.map((pool) => [pool, storeOf(pool)]));
  const storeFor = (phoneNumberId: string): PostgresStore => {
    const store = stores.get(poolFor(phoneNumberId));
    if (store === undefined) throw new Error(`poolFor(${JSON.stringify(phoneNumberId)}) named a database that is not in \`pools\`.`);
    return store;
  };
  return {
    async migrate() {
      const applied = await Promise.all([...stores.values()].map((store) => store.migrate()));
      return applied[0] ?? [];
    },
    async apply(events) {
      const byStore = new Map<PostgresStore, BookEvent[]>();
      let unplaced = noneUnplaced();
      const everywhere: BookEvent[] = [];
      for (const event of events) {
        // A lifecycle event names a WABA, not a business: every database keeps the (few) account records.
        if (event.phoneNumberId === undefined && event.type === "AccountLifecycleChanged" && withoutBusiness(event) === undefined) {
          everywhere.push(event);
          continue;
        }
        if (event.phoneNumberId === undefined) {
          // No business, no database: counted as the book counts it.
          const reason = withoutBusiness(event);
          if (reason !== undefined) unplaced = countUnplaced(unplaced, reason);
          continue;
        }
        const store = storeFor(event.phoneNumberId);
        const batch = byStore.get(store);
        if (batch === undefined) byStore.set(store, [event]);
        else batch.push(event);
      }
      if (everywhere.length > 0) for (const store of stores.values()) byStore.set(store, [...(byStore.get(store) ?? []), ...everywhere]);
      const results = await Promise.all([...byStore].map(([store, batch]) => store.apply(batch)));
      for (const result of results) unplaced = addUnplaced(unplaced, result.unplaced);
      return { unplaced };
    },
    // Async, so a poolFor that names no known database rejects rather than throws.
    getContact: async (id, key) => storeFor(id).getContact(id, key),
    listContacts: async (id, options) => storeFor(id).listContacts(id, options),
    getConversation: async (id, key) => storeFor(id).getConversation(id, key),
    listConversations: async (id, options) => storeFor(id).listConversations(id, options),
    getIdentity: async (id, key) => storeFor(id).getIdentity(id, key),
    getServiceWindow: async (id, key, now) => storeFor(id).getServiceWindow(id, key, now),
    listMessages: async (id, key, options) => storeFor(id).listMessages(id, key, options),
    getHistorySync: async (id) => storeFor(id).getHistorySync(id),
    getConnection: async (id) => storeFor(id).getConnection(id),
    async listBusinesses() {
      const lists = await Promise.all([...stores.values()].map((store) => store.listBusinesses()));
      return [...new Set(lists.flat())].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    },
  };
}
