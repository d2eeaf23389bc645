/**
 * Storing a book as JSON and restoring it.
 *
 * @module
 */
import * as v from "valibot";
import { joinPath } from "../parsing/path.js";
import { BookDraft } from "./book-draft.js";
import { contactFieldsOf, createContactBook, declinedRecordOf, type ContactBook, type ContactRecord, type DeclinedRecord, type Direction } from "./book-state.js";
import { IDENTITY_KEY, keysOf } from "./identity.js";
import { compareKeys, sortedEntries } from "./persistent-map.js";

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
export const BOOK_VERSION = 2;

/**
 * One business in a serialised book: its atoms, each list sorted, so equal books serialise to
 * equal JSON.
 *
 * @example
 * ```ts
 * const business = serializeBook(book).businesses.find((each) => each.phoneNumberId === "106540352242922");
 * ```
 */
export interface SerializedBusiness {
  /** The business number's id (`phoneNumberId`). A list, not an object's keys, so any string (even `__proto__`) is a business. */
  readonly phoneNumberId: string;
  readonly contacts: { readonly key: string; readonly kind: ContactRecord["kind"]; readonly timestamp: number; readonly contact: ContactRecord["contact"] }[];
  /** Every identifier seen (`p:<digits>`, `u:<user id>`, `v:<parent user id>`) and when it was last seen. */
  readonly identifiers: [string, number][];
  /** The people with more than one identifier: each a sorted list of keys. */
  readonly people: string[][];
  /** `[message id, customer key, timestamp, direction]`. */
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
  /** {@link BOOK_VERSION}; {@link deserializeBook} also reads version 1 (0.1.0). */
  readonly version: typeof BOOK_VERSION;
  /** Sorted by `phoneNumberId`. */
  readonly businesses: SerializedBusiness[];
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
  const businesses: SerializedBusiness[] = [];
  for (const [phoneNumberId, state] of sortedEntries(book.businesses)) {
    const identifiers = sortedEntries(state.people);
    const groups = new Map<string, string[]>();
    for (const [key, link] of identifiers) {
      const group = groups.get(link.rep);
      if (group === undefined) groups.set(link.rep, [key]);
      else group.push(key);
    }
    const business: SerializedBusiness = {
      phoneNumberId,
      contacts: identifiers.flatMap(([key, { contact: record }]) =>
        record === undefined ? [] : [{ key, kind: record.kind, timestamp: record.timestamp, contact: record.contact }],
      ),
      identifiers: identifiers.map(([key, link]) => [key, link.seenAt]),
      // Members come out sorted (identifiers are); groups are ordered by their first member.
      people: [...groups.values()].filter((group) => group.length > 1).sort((a, b) => compareKeys(a[0] as string, b[0] as string)),
      messages: sortedEntries(state.messages).map(([messageId, record]) => [messageId, record.key, record.timestamp, record.direction]),
      chunks: sortedEntries(state.chunks).map(([key]) => key),
      historyMessages: sortedEntries(state.historyMessages).map(([key]) => key),
      progress: state.progress,
    };
    businesses.push(state.declined === undefined ? business : { ...business, declined: state.declined });
  }
  return { format: BOOK_FORMAT, version: BOOK_VERSION, businesses };
}

const text = v.string();
const optionalText = v.optional(v.string());
// `+ 0` turns -0 (valid JSON, and an integer >= 0) into 0, so a restored book serialises to the same JSON.
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.transform((value) => value + 0));

const contactSchema = v.strictObject({
  phoneNumber: optionalText,
  userId: optionalText,
  parentUserId: optionalText,
  fullName: optionalText,
  firstName: optionalText,
  username: optionalText,
  countryCode: optionalText,
});

const contactKey = v.pipe(text, v.regex(/^[pu]:./s, 'Expected a contact key like "p:<digits>" or "u:<user id>".'));
const identifierKey = v.pipe(text, v.regex(IDENTITY_KEY, 'Expected an identifier key like "p:<digits>", "u:<user id>" or "v:<parent user id>".'));
const direction = v.picklist(["inbound", "outbound"]);

const commonEntries = {
  contacts: v.array(v.strictObject({ key: contactKey, kind: v.picklist(["add", "remove"]), timestamp: count, contact: contactSchema })),
  chunks: v.array(v.pipe(text, v.regex(/^\d+:\d+$/, 'Expected a chunk key like "<phase>:<chunk order>".'))),
  historyMessages: v.array(v.pipe(text, v.nonEmpty())),
  progress: count,
  declined: v.optional(v.strictObject({ code: v.pipe(v.number(), v.integer()), title: optionalText, message: optionalText, details: optionalText })),
};

/** Version 2: messages keyed by id, with the people. */
const businessSchema = v.strictObject({
  phoneNumberId: text,
  ...commonEntries,
  identifiers: v.array(v.tuple([identifierKey, count])),
  people: v.array(v.pipe(v.array(identifierKey), v.minLength(2, "Expected a person with at least two identifiers."))),
  messages: v.array(v.tuple([v.pipe(text, v.nonEmpty()), identifierKey, count, direction])),
});

/** Version 1 (0.1.0): messages keyed by conversation; no identity links. */
const businessSchemaV1 = v.strictObject({
  ...commonEntries,
  messages: v.array(v.tuple([contactKey, v.pipe(text, v.nonEmpty()), count, direction])),
});

const bookSchema = v.variant("version", [
  v.strictObject({
    format: v.literal(BOOK_FORMAT, `Expected format "${BOOK_FORMAT}".`),
    version: v.literal(BOOK_VERSION),
    businesses: v.array(businessSchema),
  }),
  v.strictObject({
    format: v.literal(BOOK_FORMAT, `Expected format "${BOOK_FORMAT}".`),
    version: v.literal(1),
    businesses: v.record(text, businessSchemaV1),
  }),
], `Expected a serialised contact book (format "${BOOK_FORMAT}", version 1 or ${BOOK_VERSION}).`);

type StoredBusiness = v.InferOutput<typeof businessSchema>;
type StoredBusinessV1 = v.InferOutput<typeof businessSchemaV1>;

function loadBusiness(draft: BookDraft, phoneNumberId: string, business: StoredBusiness): void {
  for (const [key, seenAt] of business.identifiers) draft.link(phoneNumberId, [key], seenAt);
  for (const group of business.people) draft.link(phoneNumberId, group, 0);
  for (const [messageId, key, timestamp, direction] of business.messages) {
    draft.link(phoneNumberId, [key], 0); // a no-op for a consistent file; keeps a hand-edited one answerable
    draft.putMessage(phoneNumberId, messageId, { timestamp, direction, key });
  }
  loadCommon(draft, phoneNumberId, business);
}

/** Version 1 knew no links: an address-book record's phone number and user ids are one person. */
function loadBusinessV1(draft: BookDraft, phoneNumberId: string, business: StoredBusinessV1): void {
  for (const { timestamp, contact } of business.contacts) draft.link(phoneNumberId, keysOf(contact), timestamp);
  for (const [key, messageId, timestamp, direction] of business.messages) {
    draft.link(phoneNumberId, [key], timestamp);
    draft.putMessage(phoneNumberId, messageId, { timestamp, direction, key });
  }
  loadCommon(draft, phoneNumberId, business);
}

function loadCommon(draft: BookDraft, phoneNumberId: string, business: StoredBusiness | StoredBusinessV1): void {
  for (const { key, kind, timestamp, contact } of business.contacts) {
    draft.putContact(phoneNumberId, key, { kind, timestamp, contact: contactFieldsOf(contact) });
  }
  for (const chunk of business.chunks) draft.putChunk(phoneNumberId, chunk);
  for (const id of business.historyMessages) draft.putHistoryMessage(phoneNumberId, id);
  draft.putProgress(phoneNumberId, business.progress);
  if (business.declined !== undefined) draft.putDeclined(phoneNumberId, declinedRecordOf(business.declined));
}

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
  if (typeof input !== "object" || input === null || (input as { format?: unknown }).format !== BOOK_FORMAT) {
    throw new BookFormatError([{ path: "format", message: `Expected format "${BOOK_FORMAT}": this is not a serialised contact book.` }]);
  }
  {
    const version = (input as { version?: unknown }).version;
    if (typeof version === "number" && version > BOOK_VERSION) {
      throw new BookFormatError([
        { path: "version", message: `The book was written in format version ${version}; this library reads version ${BOOK_VERSION}. Upgrade whatsapp-coexistence.` },
      ]);
    }
  }
  // The first problem is enough, and stopping there keeps a huge malformed input from costing an issue per element.
  const result = v.safeParse(bookSchema, input, { abortEarly: true });
  if (!result.success) throw new BookFormatError(result.issues.map((issue) => ({ path: pathOf(issue), message: issue.message })));
  const draft = new BookDraft(createContactBook());
  const book = result.output;
  if (book.version === BOOK_VERSION) for (const business of book.businesses) loadBusiness(draft, business.phoneNumberId, business);
  else for (const [phoneNumberId, business] of Object.entries(book.businesses)) loadBusinessV1(draft, phoneNumberId, business);
  return draft.commit();
}
