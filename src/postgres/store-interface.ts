/**
 * What the PostgreSQL store offers: the book's queries, async, business first, and its options.
 *
 * @module
 */
import type { Identity } from "../book/identity.js";
import type { ContactPageOptions, ConversationPageOptions } from "../book/pages.js";
import type { Contact, ContactEntry, Conversation, ConversationEntry, HistorySync } from "../book/queries.js";
import type { ListMessagesOptions, TimelineEntry } from "../book/timeline.js";
import type { UnplacedEvents } from "../book/unplaced.js";
import type { ServiceWindow } from "../book/service-window.js";
import type { CoexistenceEvent } from "../events/coexistence-event.js";

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
  /**
   * Applies events atomically, in one statement (retried on serialization failures and deadlocks).
   * Resolves to what could not be placed, and why, as the book's `foldEvents` counts it (events
   * whose body named no business, messages that name no customer, group traffic).
   */
  apply(events: Iterable<CoexistenceEvent>): Promise<{ readonly unplaced: UnplacedEvents }>;
  getContact(phoneNumberId: string, key: string): Promise<Contact | undefined>;
  /** A page of the contacts, as the book's `listContacts` gives it. */
  listContacts(phoneNumberId: string, options?: ContactPageOptions): Promise<ContactEntry[]>;
  getConversation(phoneNumberId: string, key: string): Promise<Conversation | undefined>;
  /** A page of the conversations, newest first, as the book's `listConversations` gives it. */
  listConversations(phoneNumberId: string, options?: ConversationPageOptions): Promise<ConversationEntry[]>;
  getIdentity(phoneNumberId: string, key: string): Promise<Identity | undefined>;
  /** Whether a free-form message may be sent to the person now, as the book's `getServiceWindow` answers. */
  getServiceWindow(phoneNumberId: string, key: string, now: number | Date): Promise<ServiceWindow>;
  /** The conversation's timeline, page by page, exactly as the book's `listMessages` (each page reads O(page) rows). */
  listMessages(phoneNumberId: string, key: string, options?: ListMessagesOptions): Promise<TimelineEntry[]>;
  getHistorySync(phoneNumberId: string): Promise<HistorySync>;
  listBusinesses(): Promise<string[]>;
}
