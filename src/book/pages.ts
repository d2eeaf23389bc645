/**
 * The pages of the two listings, defined once for the book and the PostgreSQL store: the
 * conversation list newest first, the contact list by each person's smallest identifier, each with
 * a stable cursor (an entry's `cursor`) and a default page of {@link DEFAULT_PAGE_SIZE}.
 *
 * @module
 */
import { DEFAULT_PAGE_SIZE } from "./timeline.js";

/**
 * A page of `listConversations`: the conversations whose last message is older than the cursor's
 * (newest first; ties broken by the greater message id first).
 *
 * @example
 * ```ts
 * const next = listConversations(book, id, { before: page.at(-1)?.cursor, limit: 20 });
 * ```
 */
export interface ConversationPageOptions {
  /** The `cursor` of the last entry of the previous page. */
  readonly before?: string | undefined;
  /** Entries per page, 1 or more. Default 50. */
  readonly limit?: number | undefined;
}

/**
 * A page of `listContacts`: the contacts after the cursor's, in the order of each person's smallest
 * identifier (phone numbers, then user ids, then parent user ids).
 *
 * @example
 * ```ts
 * const next = listContacts(book, id, { after: page.at(-1)?.cursor, limit: 100 });
 * ```
 */
export interface ContactPageOptions {
  /** The `cursor` of the last entry of the previous page. */
  readonly after?: string | undefined;
  /** Entries per page, 1 or more. Default 50. */
  readonly limit?: number | undefined;
}

function checkedLimit(limit: number | undefined, caller: string): number {
  const value = limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${caller}: limit must be a whole number of 1 or more, not ${String(limit)}.`);
  return value;
}

/** Checks the options of a listing's page, and that it was called in its current form. */
function checkedOptions(options: unknown, caller: string, cursor: "before" | "after"): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${caller} takes (book, phoneNumberId, { ${cursor}?, limit? }) and returns a page; it was given ${typeof options}.`);
  }
  const given = options as Record<string, unknown>;
  if (given[cursor] !== undefined && typeof given[cursor] !== "string") throw new TypeError(`${caller}: ${cursor} must be the cursor of an entry (a string).`);
  return given;
}

/**
 * A conversation's cursor: its last message's time and id.
 *
 * @example
 * ```ts
 * conversationCursor(1739321400, "wamid.9"); // "1739321400:wamid.9"
 * ```
 */
export function conversationCursor(lastMessageAt: number, lastMessageId: string): string {
  return `${lastMessageAt}:${lastMessageId}`;
}

/**
 * The checked options of a conversation page: its bound (the cursor read back) and its size.
 *
 * @throws TypeError for a cursor that is no conversation cursor; RangeError for a bad limit.
 * @example
 * ```ts
 * conversationPage({ before: "1739321400:wamid.9", limit: 20 }); // { bound: [1739321400, "wamid.9"], limit: 20 }
 * ```
 */
export function conversationPage(options: ConversationPageOptions | undefined): { bound: [number, string] | undefined; limit: number } {
  const given = checkedOptions(options, "listConversations", "before");
  const limit = checkedLimit(given.limit as number | undefined, "listConversations");
  const before = given.before as string | undefined;
  if (before === undefined) return { bound: undefined, limit };
  const colon = before.indexOf(":");
  const time = Number(before.slice(0, colon));
  if (colon < 1 || !Number.isSafeInteger(time) || time < 0)
    throw new TypeError(`listConversations: before must be an entry's cursor ("<time>:<message id>"), not ${JSON.stringify(before)}.`);
  return { bound: [time, before.slice(colon + 1)], limit };
}

/**
 * The checked options of a contact page: the person key it starts after, and its size.
 *
 * @example
 * ```ts
 * contactPage({ after: "p:16505551234" }); // { after: "p:16505551234", limit: 50 }
 * ```
 */
export function contactPage(options: ContactPageOptions | undefined): { after: string | undefined; limit: number } {
  const given = checkedOptions(options, "listContacts", "after");
  return { after: given.after as string | undefined, limit: checkedLimit(given.limit as number | undefined, "listContacts") };
}

/**
 * Whether a conversation comes after another in the list (newest first; on equal times the greater
 * message id first): the order of the book's index and of the store's page alike.
 *
 * @example
 * ```ts
 * [b, a].sort((x, y) => conversationOrder(x.lastMessageAt, x.lastMessageId, y.lastMessageAt, y.lastMessageId));
 * ```
 */
export function conversationOrder(time: number, id: string, otherTime: number, otherId: string): number {
  if (time !== otherTime) return otherTime - time;
  return id > otherId ? -1 : id < otherId ? 1 : 0;
}

/**
 * Every entry of a listing, page after page (for tools that print a whole book; an inbox pages).
 *
 * @example
 * ```ts
 * const contacts = everyPage((after) => listContacts(book, id, { after, limit: 500 }));
 * ```
 */
export function everyPage<T extends { readonly cursor: string }>(page: (cursor: string | undefined) => T[]): T[] {
  const all: T[] = [];
  for (let next = page(undefined); next.length > 0; next = page(next[next.length - 1]?.cursor)) all.push(...next);
  return all;
}
