/**
 * What the store needs from a PostgreSQL driver: `query(text, values)`, and for pools `connect()`.
 * node-postgres (`pg`) `Pool` and `Client` fit; so does any client with the same two methods.
 *
 * @module
 */

/**
 * The result shape the store reads: rows as plain objects.
 *
 * @example
 * ```ts
 * const result: QueryResult = await pool.query("SELECT 1 AS one"); // { rows: [{ one: 1 }] }
 * ```
 */
export interface QueryResult {
  readonly rows: Record<string, unknown>[];
}

/**
 * A connection: anything with node-postgres's `query(text, values)`.
 *
 * @example
 * ```ts
 * import pg from "pg";
 * const client: Queryable = new pg.Client({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<QueryResult>;
}

/**
 * A pool of connections (node-postgres's `Pool`): each transaction takes a connection of its own,
 * so many `apply` calls run at once.
 *
 * @example
 * ```ts
 * import pg from "pg";
 * const pool: ConnectionPool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
 * ```
 */
export interface ConnectionPool extends Queryable {
  connect(): Promise<Queryable & { release(error?: Error | boolean): void }>;
}

function isPool(database: Queryable | ConnectionPool): database is ConnectionPool {
  // pg.Client also has connect(), but it connects itself; pg.Pool keeps counts of its clients.
  return typeof (database as ConnectionPool).connect === "function" && "totalCount" in database;
}

const RETRYABLE = /* @__PURE__ */ new Set(["40001", "40P01"]); // serialization failure, deadlock detected
/** PostgreSQL's codes for a table, or a schema, that does not exist. */
const MISSING = /* @__PURE__ */ new Set(["42P01", "3F000"]);

/**
 * PostgreSQL's `relation "..." does not exist` says what is missing, not why: the store's tables
 * are made by `store.migrate()`. The original error is the `cause`.
 */
function explainMissingTables(error: unknown): never {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && MISSING.has(code)) {
    throw new Error(
      `The store's tables do not exist: call store.migrate() first (once, at start-up; it is idempotent). PostgreSQL said: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  throw error;
}
const MAX_ATTEMPTS = 8;

/** A 32-bit hash of a text (FNV-1a): statement names, advisory lock keys. */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash | 0;
}

/** Runs work in transactions on a pool or on one connection (whose transactions then take turns). */
export class Database {
  private queue: Promise<unknown> = Promise.resolve();
  /** The name of each query text sent as a prepared statement. */
  private readonly names = new Map<string, string>();

  /** @param database - a pool (concurrent transactions) or one connection (serialised). */
  constructor(private readonly database: Queryable | ConnectionPool) {}

  /** A query outside any transaction. */
  query(text: string, values?: unknown[]): Promise<QueryResult> {
    const result = isPool(this.database) ? this.prepared(this.database, text, values) : this.serialised(() => this.database.query(text, values));
    return result.catch(explainMissingTables);
  }

  /**
   * A query with parameters through a node-postgres pool as a named (prepared) statement: each
   * connection parses the store's few query texts once, not at every call.
   */
  private prepared(pool: Queryable, text: string, values: unknown[] | undefined): Promise<QueryResult> {
    // A text without parameters may hold several statements (a migration, BEGIN), which cannot be prepared.
    if (values === undefined) return pool.query(text);
    let name = this.names.get(text);
    if (name === undefined) {
      name = `whatsapp_coexistence_${this.names.size}_${(hash32(text) >>> 0).toString(36)}`;
      this.names.set(text, name);
    }
    return (pool as unknown as { query(config: { name: string; text: string; values?: unknown[] }): Promise<QueryResult> }).query({ name, text, values });
  }

  /** Runs `work` in a transaction, retrying it on a serialization failure or a deadlock. */
  transaction<T>(work: (connection: Queryable) => Promise<T>): Promise<T> {
    return retrying(() => this.once(work)).catch(explainMissingTables);
  }

  /** Runs one statement (atomic on its own), retrying it on a serialization failure or a deadlock. */
  statement(text: string, values: unknown[]): Promise<QueryResult> {
    return retrying(() => this.query(text, values));
  }

  private async once<T>(work: (connection: Queryable) => Promise<T>): Promise<T> {
    if (!isPool(this.database)) return this.serialised(() => runInTransaction(this.database, work));
    const connection = await this.database.connect();
    let broken: Error | undefined;
    try {
      // Through a pool's client, the transaction's statements are prepared statements too.
      const prepared: Queryable = { query: (text, values) => this.prepared(connection, text, values) };
      return await runInTransaction(prepared, work);
    } catch (error) {
      broken = error instanceof Error && (error as { code?: unknown }).code === undefined ? error : undefined;
      throw error;
    } finally {
      connection.release(broken);
    }
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

async function retrying<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= MAX_ATTEMPTS || typeof code !== "string" || !RETRYABLE.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

async function runInTransaction<T>(connection: Queryable, work: (connection: Queryable) => Promise<T>): Promise<T> {
  await connection.query("BEGIN");
  try {
    const result = await work(connection);
    await connection.query("COMMIT");
    return result;
  } catch (error) {
    await connection.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}
