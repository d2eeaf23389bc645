/**
 * Storing a book as JSON and restoring it.
 *
 * @module
 */
import * as v from "valibot";
import { joinPath } from "../parsing/path.js";
import { BookDraft } from "./book-draft.js";
import { contactFieldsOf, createContactBook, declinedRecordOf, type ContactBook, type ContactRecord, type DeclinedRecord, type Direction } from "./book-state.js";
import { sortedEntries } from "./persistent-map.js";

/**
 * The `format` tag of serialised books.
 *
 * @example
 * ```ts
 * serializeBook(book).format === BOOK_FORMAT; // true
 * ```
 */
export const BOOK_FORMAT = "whatsapp-coexistence/contact-book";
/**
 * The version of the serialised form this library writes; it reads this version and older ones.
 *
 * @example
 * ```ts
 * serializeBook(book).version === BOOK_VERSION; // true
 * ```
 */
export const BOOK_VERSION = 1;

/**
 * One business in a serialised book: its atoms, each list sorted, so equal books serialise to
 * equal JSON.
 *
 * @example
 * ```ts
 * const business: SerializedBusiness = serializeBook(book).businesses["106540352242922"]!;
 * ```
 */
export interface SerializedBusiness {
  readonly contacts: { readonly key: string; readonly kind: ContactRecord["kind"]; readonly timestamp: number; readonly contact: ContactRecord["contact"] }[];
  /** `[conversation key, message id, timestamp, direction]`. */
  readonly messages: [string, string, number, Direction][];
  readonly chunks: string[];
  readonly historyMessages: string[];
  readonly progress: number;
  readonly declined?: DeclinedRecord;
}

/**
 * A book as JSON-safe data.
 *
 * @example
 * ```ts
 * const data: SerializedBook = serializeBook(book);
 * await writeFile("book.json", JSON.stringify(data));
 * ```
 */
export interface SerializedBook {
  readonly format: typeof BOOK_FORMAT;
  readonly version: typeof BOOK_VERSION;
  readonly businesses: Record<string, SerializedBusiness>;
}

/**
 * Thrown by {@link deserializeBook} for data that is not a serialised book, or one written by a
 * newer version of this library.
 *
 * @example
 * ```ts
 * try { deserializeBook(JSON.parse(text)); } catch (error) { if (error instanceof BookFormatError) console.error(error.issues); }
 * ```
 */
export class BookFormatError extends Error {
  /** What is wrong, with paths into the data. */
  readonly issues: readonly { readonly path: string; readonly message: string }[];

  /** @param issues - the problems found. */
  constructor(issues: readonly { path: string; message: string }[]) {
    const first = issues[0];
    super(`Not a serialised contact book${first === undefined ? "" : `${first.path === "" ? "" : ` at ${first.path}`}: ${first.message}`}`);
    this.name = "BookFormatError";
    this.issues = issues;
  }
}

/**
 * The book as JSON-safe data (with a format tag and version), canonical: books that answer every
 * query alike serialise to equal JSON.
 *
 * @example
 * ```ts
 * const json = JSON.stringify(serializeBook(book));
 * const again = deserializeBook(JSON.parse(json));
 * ```
 */
export function serializeBook(book: ContactBook): SerializedBook {
  const businesses: Record<string, SerializedBusiness> = {};
  for (const [phoneNumberId, state] of sortedEntries(book.businesses)) {
    const business: SerializedBusiness = {
      contacts: sortedEntries(state.contacts).map(([key, record]) => ({ key, kind: record.kind, timestamp: record.timestamp, contact: record.contact })),
      messages: sortedEntries(state.messages).map(([key, record]) => {
        const split = key.indexOf("\n");
        return [key.slice(0, split), key.slice(split + 1), record.timestamp, record.direction];
      }),
      chunks: sortedEntries(state.chunks).map(([key]) => key),
      historyMessages: sortedEntries(state.historyMessages).map(([key]) => key),
      progress: state.progress,
    };
    businesses[phoneNumberId] = state.declined === undefined ? business : { ...business, declined: state.declined };
  }
  return { format: BOOK_FORMAT, version: BOOK_VERSION, businesses };
}

const text = v.string();
const optionalText = v.optional(v.string());
const count = v.pipe(v.number(), v.integer(), v.minValue(0));

const contactSchema = v.strictObject({
  phoneNumber: optionalText,
  userId: optionalText,
  parentUserId: optionalText,
  fullName: optionalText,
  firstName: optionalText,
  username: optionalText,
  countryCode: optionalText,
});

const businessSchema = v.strictObject({
  contacts: v.array(
    v.strictObject({
      key: v.pipe(text, v.regex(/^[pu]:./, 'Expected a contact key like "p:<digits>" or "u:<user id>".')),
      kind: v.picklist(["add", "remove"]),
      timestamp: count,
      contact: contactSchema,
    }),
  ),
  messages: v.array(v.tuple([v.pipe(text, v.regex(/^[pu]:./)), v.pipe(text, v.nonEmpty()), count, v.picklist(["inbound", "outbound"])])),
  chunks: v.array(v.pipe(text, v.regex(/^\d+:\d+$/, 'Expected a chunk key like "<phase>:<chunk order>".'))),
  historyMessages: v.array(v.pipe(text, v.nonEmpty())),
  progress: count,
  declined: v.optional(v.strictObject({ code: v.pipe(v.number(), v.integer()), title: optionalText, message: optionalText, details: optionalText })),
});

const bookSchema = v.strictObject({
  format: v.literal(BOOK_FORMAT, `Expected format "${BOOK_FORMAT}".`),
  version: v.literal(BOOK_VERSION),
  businesses: v.record(text, businessSchema),
});

function pathOf(issue: v.BaseIssue<unknown>): string {
  let path = "";
  for (const item of issue.path ?? []) if (typeof item.key === "string" || typeof item.key === "number") path = joinPath(path, item.key);
  return path;
}

/**
 * Restores a book from {@link serializeBook}'s data (or its JSON text). The result answers every
 * query as the original did and keeps converging with later events.
 *
 * @throws {@link BookFormatError} for malformed data or a newer format version; never returns a half-built book.
 * @example
 * ```ts
 * const book = deserializeBook(JSON.parse(await readFile("book.json", "utf8")));
 * ```
 */
export function deserializeBook(data: unknown): ContactBook {
  let input = data;
  if (typeof data === "string") {
    try {
      input = JSON.parse(data);
    } catch (error) {
      throw new BookFormatError([{ path: "", message: `Not valid JSON (${(error as Error).message}).` }]);
    }
  }
  if (typeof input === "object" && input !== null && (input as { format?: unknown }).format === BOOK_FORMAT) {
    const version = (input as { version?: unknown }).version;
    if (typeof version === "number" && version > BOOK_VERSION) {
      throw new BookFormatError([
        { path: "version", message: `The book was written in format version ${version}; this library reads version ${BOOK_VERSION}. Upgrade whatsapp-coexistence.` },
      ]);
    }
  }
  const result = v.safeParse(bookSchema, input);
  if (!result.success) throw new BookFormatError(result.issues.map((issue) => ({ path: pathOf(issue), message: issue.message })));
  const draft = new BookDraft(createContactBook());
  for (const [phoneNumberId, business] of Object.entries(result.output.businesses)) {
    for (const { key, kind, timestamp, contact } of business.contacts) {
      draft.putContact(phoneNumberId, key, { kind, timestamp, contact: contactFieldsOf(contact) });
    }
    for (const [conversationKey, messageId, timestamp, direction] of business.messages) {
      draft.putMessage(phoneNumberId, conversationKey, messageId, { timestamp, direction });
    }
    for (const chunk of business.chunks) draft.putChunk(phoneNumberId, chunk);
    for (const id of business.historyMessages) draft.putHistoryMessage(phoneNumberId, id);
    draft.putProgress(phoneNumberId, business.progress);
    if (business.declined !== undefined) draft.putDeclined(phoneNumberId, declinedRecordOf(business.declined));
  }
  return draft.commit();
}
