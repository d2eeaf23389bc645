/**
 * What the PostgreSQL store offers: the book's queries, async, business first, and its options.
 *
 * @module
 */
import type { ContactBook } from "../book/book-state.js";
import type { BOOK_QUERIES } from "../book/queries.js";
import type { UnplacedEvents } from "../book/unplaced.js";
import type { BookEvent } from "../events/book-event.js";

/**
 * Options of `createPostgresStore`.
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
 * The book's queries as the store answers them: the same names and arguments without the book,
 * each answer a promise. Derived from the book's list of queries, so the two cannot drift apart.
 *
 * @example
 * ```ts
 * const contact = await store.getContact("106540352242922", "+1 650-555-1234"); // as getContact(book, ...)
 * ```
 */
export type StoreQueries = {
  readonly [Name in keyof typeof BOOK_QUERIES]: (typeof BOOK_QUERIES)[Name] extends (book: ContactBook, ...args: infer Args) => infer Answer
    ? (...args: Args) => Promise<Answer>
    : never;
};

/**
 * The store's operations: the book's queries ({@link StoreQueries}: `getContact`, `listContacts`,
 * `getConversation`, `listConversations`, `getIdentity`, `getServiceWindow`, `listMessages`,
 * `getHistorySync`, `listBusinesses`), async and without the book, plus `migrate` and `apply`.
 *
 * @example
 * ```ts
 * const store: PostgresStore = createPostgresStore(pool);
 * await store.migrate();
 * await store.apply(parseWebhook(body));
 * ```
 */
export interface PostgresStore extends StoreQueries {
  /** Creates or upgrades the tables (idempotent, versioned, safe from several workers at once). Resolves to the versions applied. */
  migrate(): Promise<number[]>;
  /**
   * Applies events atomically, in one transaction (retried on serialization failures and
   * deadlocks). Resolves to what could not be placed, and why, as the book's `foldEvents` counts it
   * (events whose body named no business, messages that name no customer, group traffic).
   */
  apply(events: Iterable<BookEvent>): Promise<{ readonly unplaced: UnplacedEvents }>;
}
