/**
 * Storing a book as JSON and restoring it.
 *
 * @module
 */
import * as v from "valibot";
import { joinPath } from "../core/path.js";
import { DEFAULT_MAX_DEPTH, hostileVerdict } from "../core/hostile-input.js";
import { MAX_UNIX_SECONDS } from "../core/normalize.js";
import type { ParseIssue } from "../core/parse-issue.js";
import { BookDraft } from "./book-draft.js";
import {
  contactFieldsOf,
  createContactBook,
  declinedRecordOf,
  type BusinessState,
  type ContactBook,
  type ContactRecord,
  type DeclinedRecord,
  type Direction,
  type LifecycleRecord,
} from "./book-state.js";
import { IDENTITY_KEY, keysOf } from "./identity.js";
import type { EditedContent, Message } from "../events/message.js";
import { ACCOUNT_LIFECYCLE_EVENTS } from "../events/account-lifecycle-changed.js";
import { lifecycleRecordOf } from "./connection.js";
import type { ApiError } from "../events/parts.js";
import { compareKeys, forEachEntry, getEntry, sortedEntries } from "./persistent-map.js";
import type { EditRecord, MessageOrigin, MessageRecord, TimelineStatus } from "./timeline-records.js";

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
export const BOOK_VERSION = 4;

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
  /** Each message's record, sorted by id (`message` absent for a bare status). */
  readonly messages: SerializedMessage[];
  /** Edits, revokes and reactions, by the id of the message they point to, sorted by id. */
  readonly amendments: SerializedAmendments[];
  readonly chunks: string[];
  readonly historyMessages: string[];
  readonly progress: number;
  readonly declined?: DeclinedRecord;
  /** The retention horizon, when one was applied. */
  readonly retainedBefore?: number;
  /** Messages retention or an erasure dropped: `[message id, customer key or ""]`, sorted by id. */
  readonly dropped: [string, string][];
  /** Identifiers a `PersonErased` named, and the latest time each was erased at, sorted. */
  readonly erasures: [string, number][];
  /** The WABA the business belongs to, and its display number (digits), from its events. */
  readonly wabaId?: string;
  readonly displayNumber?: string;
}

/**
 * The newest lifecycle record of one account (`n:<phone number id>`, `w:<waba id>[/<digits>]`), in a
 * serialised book.
 *
 * @example
 * ```ts
 * const account: SerializedAccount = { key: "w:102290129340398", event: "PARTNER_REMOVED", timestamp: 1739400000, reason: "COMPANION_INACTIVITY", initiatedBy: "SYSTEM" };
 * ```
 */
export interface SerializedAccount extends LifecycleRecord {
  readonly key: string;
}

/**
 * One message record in a serialised book.
 *
 * @example
 * ```ts
 * const record: SerializedMessage = { id: "wamid.1", key: "p:16505551234", timestamp: 1739321400, direction: "outbound", origin: "api", status: "read" };
 * ```
 */
export interface SerializedMessage {
  readonly id: string;
  readonly key: string;
  readonly timestamp: number;
  readonly direction: Direction;
  readonly origin: MessageOrigin;
  readonly message?: Message;
  readonly status?: TimelineStatus;
  readonly errors?: readonly ApiError[];
  /** The earliest of its pieces' times, when earlier than `timestamp`. */
  readonly firstAt?: number;
}

/**
 * What other messages said about one message, in a serialised book.
 *
 * @example
 * ```ts
 * const amended: SerializedAmendments = { id: "wamid.1", revoked: true, reactions: [{ key: "p:16505551234", from: "16505551234", emoji: "👍", timestamp: 1739321500 }] };
 * ```
 */
export interface SerializedAmendments {
  readonly id: string;
  /** The latest edit: when, and the new content. */
  readonly edit?: { readonly timestamp: number; readonly content: EditedContent };
  readonly revoked?: true;
  /** Each reactor's latest reaction (`emoji` `""` when taken back), sorted by reactor key. */
  readonly reactions?: { readonly key: string; readonly from: string; readonly emoji: string; readonly timestamp: number }[];
  /** The earliest amending message's time. */
  readonly firstAt?: number;
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
  /** {@link BOOK_VERSION} (0.3.0); {@link deserializeBook} also reads versions 1 (0.1.0), 2 (0.2.0) and 3 (written only before 0.3.0 was released). */
  readonly version: typeof BOOK_VERSION;
  /** Sorted by `phoneNumberId`. */
  readonly businesses: SerializedBusiness[];
  /** The lifecycle of each account, sorted by key. */
  readonly accounts: SerializedAccount[];
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
  for (const [phoneNumberId, state] of sortedEntries(book.businesses)) businesses.push(serializedBusiness(phoneNumberId, state));
  return { format: BOOK_FORMAT, version: BOOK_VERSION, businesses, accounts: serializedAccounts(book) };
}

function serializedAccounts(book: ContactBook): SerializedAccount[] {
  return sortedEntries(book.accounts).map(([key, record]) => ({ key, ...record }));
}

/** One business as JSON-safe data, canonical. */
function serializedBusiness(phoneNumberId: string, state: BusinessState): SerializedBusiness {
  {
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
      messages: sortedEntries(state.messages).map(([id, record]) => serializedMessage(id, record)),
      amendments: sortedEntries(state.amendments).map(([id, amendments]) => {
        const out: { -readonly [K in keyof SerializedAmendments]: SerializedAmendments[K] } = { id };
        if (amendments.edit !== undefined) out.edit = amendments.edit;
        if (amendments.revoked) out.revoked = true;
        if (amendments.reactions !== undefined) out.reactions = sortedEntries(amendments.reactions).map(([key, reaction]) => ({ key, ...reaction }));
        if (amendments.firstAt !== undefined) out.firstAt = amendments.firstAt;
        return out;
      }),
      chunks: sortedEntries(state.chunks).map(([key]) => key),
      historyMessages: historyIds(state),
      dropped: sortedEntries(state.dropped),
      erasures: sortedEntries(state.erasures),
      progress: state.progress,
    };
    return { ...business, ...businessHead(state) };
  }
}

/** A business's single values that are not always there, in a fixed order. */
function businessHead(state: BusinessState): Pick<SerializedBusiness, "declined" | "retainedBefore" | "wabaId" | "displayNumber"> {
  const head: { -readonly [K in "declined" | "retainedBefore" | "wabaId" | "displayNumber"]?: SerializedBusiness[K] } = {};
  if (state.declined !== undefined) head.declined = state.declined;
  if (state.retainedBefore > 0) head.retainedBefore = state.retainedBefore;
  if (state.wabaId !== undefined) head.wabaId = state.wabaId;
  if (state.displayNumber !== undefined) head.displayNumber = state.displayNumber;
  return head;
}

/** The lists of a serialised business: each record becomes one line of the streamed form. */
const RECORD_LISTS = ["contacts", "identifiers", "people", "messages", "amendments", "chunks", "historyMessages", "dropped", "erasures"] as const;
type RecordList = (typeof RECORD_LISTS)[number];

/**
 * The book as lines of JSON, one record a line, for books too large for one JSON text (a book of
 * millions of messages is past the longest string a JavaScript engine holds). The first line is
 * the header `{ format, version, form: "lines" }`; then a line `{ account: record }` per account's
 * lifecycle; then, per business, a line
 * `{ business: { phoneNumberId, progress, declined?, retainedBefore?, wabaId?, displayNumber? } }` followed by one line per record
 * `{ <list>: record }` (`contacts`, `identifiers`, `people`, `messages`, `amendments`, `chunks`,
 * `historyMessages`, `dropped`, `erasures`), in the canonical order of {@link serializeBook}. Read it back with
 * {@link deserializeBookLines}.
 *
 * @example
 * ```ts
 * const file = createWriteStream("book.jsonl");
 * for (const line of serializeBookLines(book)) file.write(`${line}\n`);
 * ```
 */
export function* serializeBookLines(book: ContactBook): Generator<string, void, undefined> {
  yield JSON.stringify({ format: BOOK_FORMAT, version: BOOK_VERSION, form: "lines" });
  for (const account of serializedAccounts(book)) yield JSON.stringify({ account });
  for (const [phoneNumberId, state] of sortedEntries(book.businesses)) {
    const business = serializedBusiness(phoneNumberId, state);
    yield JSON.stringify({ business: { phoneNumberId, progress: business.progress, ...businessHead(state) } });
    for (const list of RECORD_LISTS) for (const record of business[list]) yield JSON.stringify({ [list]: record });
  }
}

/**
 * Restores a book from {@link serializeBookLines}'s lines (a file's lines, read one at a time, so no
 * text as large as the book is ever held). Each business is checked as {@link deserializeBook}
 * checks it.
 *
 * @throws {@link BookFormatError} for a malformed line (with its number), or a newer version.
 * @example
 * ```ts
 * const book = deserializeBookLines(readFileSync("book.jsonl", "utf8").split("\n"));
 * ```
 */
export function deserializeBookLines(lines: Iterable<string>): ContactBook {
  const draft = new BookDraft(createContactBook());
  let number = 0;
  let header = false;
  let business: Record<string, unknown> | undefined;
  let businessLine = 0;
  const flush = () => {
    if (business !== undefined) loadCheckedBusiness(draft, business, `line ${businessLine}`);
    business = undefined;
  };
  for (const line of lines) {
    number++;
    if (line.trim() === "") continue;
    const record = parseLine(line, number);
    if (!header) {
      checkHeader(record, `line ${number}`);
      if ((record as { form?: unknown }).form !== "lines") throw new BookFormatError([{ path: `line ${number}.form`, message: 'Expected form "lines".' }]);
      header = true;
      continue;
    }
    const [kind, value] = Object.entries(record)[0] ?? [];
    if (Object.keys(record).length !== 1 || kind === undefined) throw new BookFormatError([{ path: `line ${number}`, message: "Expected one record a line." }]);
    if (kind === "account" && business === undefined) {
      loadAccounts(draft, [checkedAccount(value, `line ${number}.account`)]);
    } else if (kind === "business") {
      flush();
      if (typeof value !== "object" || value === null || Array.isArray(value))
        throw new BookFormatError([{ path: `line ${number}.business`, message: "Expected a business." }]);
      business = { ...value, ...Object.fromEntries(RECORD_LISTS.map((list) => [list, []])) };
      businessLine = number;
    } else if ((RECORD_LISTS as readonly string[]).includes(kind) && business !== undefined) {
      (business[kind as RecordList] as unknown[]).push(value);
    } else {
      const message =
        kind === "account"
          ? "An account line after a business line."
          : business === undefined
            ? "A record before any business line."
            : `Unknown record "${kind}".`;
      throw new BookFormatError([{ path: `line ${number}.${kind}`, message }]);
    }
  }
  if (!header) throw new BookFormatError([{ path: "", message: "No header line: this is not a serialised contact book." }]);
  flush();
  return draft.commit();
}

function parseLine(line: string, number: number): Record<string, unknown> {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (error) {
    throw new BookFormatError([{ path: `line ${number}`, message: `Not valid JSON (${(error as Error).message}).` }]);
  }
  if (typeof record !== "object" || record === null || Array.isArray(record))
    throw new BookFormatError([{ path: `line ${number}`, message: "Expected an object." }]);
  return record as Record<string, unknown>;
}

/** Checks one business of the streamed form (depth first, then the schema) and loads it. */
function loadCheckedBusiness(draft: BookDraft, business: Record<string, unknown>, where: string): void {
  checkDepth(business, where);
  const result = v.safeParse(businessSchema, business, { abortEarly: true });
  if (!result.success) throw new BookFormatError(result.issues.map((issue) => ({ path: joinPath(where, pathOf(issue)), message: issue.message })));
  loadBusiness(draft, result.output.phoneNumberId, result.output);
}

/** Every id history carried, sorted: the history set and the records flagged as seen in history. */
function historyIds(state: BusinessState): string[] {
  const ids: string[] = [];
  forEachEntry(state.historyMessages, (id) => ids.push(id));
  forEachEntry(state.messages, (id, record) => {
    if (record.history && getEntry(state.historyMessages, id) !== true) ids.push(id);
  });
  return ids.sort(compareKeys);
}

function serializedMessage(id: string, record: MessageRecord): SerializedMessage {
  const out: { -readonly [K in keyof SerializedMessage]: SerializedMessage[K] } = {
    id,
    key: record.key,
    timestamp: record.timestamp,
    direction: record.direction,
    origin: record.origin,
  };
  if (record.message !== undefined) out.message = record.message;
  if (record.status !== undefined) out.status = record.status;
  if (record.errors !== undefined) out.errors = record.errors;
  if (record.firstAt < record.timestamp) out.firstAt = record.firstAt;
  return out;
}

const storedText = /* @__PURE__ */ v.string();
const storedOptionalText = /* @__PURE__ */ v.optional(v.string());
// `+ 0` turns -0 (valid JSON, and an integer >= 0) into 0, so a restored book serialises to the same JSON.
const count = /* @__PURE__ */ v.pipe(
  v.number(),
  v.integer(),
  v.minValue(0),
  v.transform((value) => value + 0),
);
/** A time, bounded as the parser bounds it (the latest a `Date` holds). */
const timestamp = /* @__PURE__ */ v.pipe(
  count,
  v.maxValue(MAX_UNIX_SECONDS, `Expected a unix timestamp of at most ${MAX_UNIX_SECONDS} (the parser refuses later ones).`),
);

const contactSchema = /* @__PURE__ */ v.strictObject({
  phoneNumber: storedOptionalText,
  userId: storedOptionalText,
  parentUserId: storedOptionalText,
  fullName: storedOptionalText,
  firstName: storedOptionalText,
  username: storedOptionalText,
  countryCode: storedOptionalText,
});

const contactKey = /* @__PURE__ */ v.pipe(storedText, v.regex(/^[pu]:./s, 'Expected a contact key like "p:<digits>" or "u:<user id>".'));
const identifierKey = /* @__PURE__ */ v.pipe(
  storedText,
  v.regex(IDENTITY_KEY, 'Expected an identifier key like "p:<digits>", "u:<user id>" or "v:<parent user id>".'),
);
const direction = /* @__PURE__ */ v.picklist(["inbound", "outbound"]);

const commonEntries = {
  contacts: v.array(v.strictObject({ key: contactKey, kind: v.picklist(["add", "remove"]), timestamp, contact: contactSchema })),
  chunks: v.array(v.pipe(storedText, v.regex(/^\d+:\d+$/, 'Expected a chunk key like "<phase>:<chunk order>".'))),
  historyMessages: v.array(v.pipe(storedText, v.nonEmpty())),
  progress: count,
  declined: v.optional(
    v.strictObject({ code: v.pipe(v.number(), v.integer()), title: storedOptionalText, message: storedOptionalText, details: storedOptionalText }),
  ),
};

const messageId = /* @__PURE__ */ v.pipe(storedText, v.nonEmpty());
const peopleEntries = {
  identifiers: v.array(v.tuple([identifierKey, timestamp])),
  people: v.array(v.pipe(v.array(identifierKey), v.minLength(2, "Expected a person with at least two identifiers."))),
};

/** A plain object with a string `type` (kept as it is, never copied key by key). */
function typedObject<T>(what: string) {
  return v.custom<T>(
    (value) => typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as { type?: unknown }).type === "string",
    `Expected ${what} (an object with a string "type").`,
  );
}

/** Version 3 and 4: each message's record with its content, and the amendments (edits, revokes, reactions); 4 adds the business's account. */
const businessSchema = /* @__PURE__ */ v.strictObject({
  phoneNumberId: storedText,
  retainedBefore: v.optional(timestamp),
  dropped: v.optional(v.array(v.tuple([messageId, v.union([v.literal(""), identifierKey])]))),
  erasures: v.optional(v.array(v.tuple([identifierKey, v.pipe(timestamp, v.minValue(1))]))),
  wabaId: storedOptionalText,
  displayNumber: v.optional(v.pipe(storedText, v.regex(/^\d+$/, "Expected the display number as digits."))),
  ...commonEntries,
  ...peopleEntries,
  messages: v.array(
    v.strictObject({
      id: messageId,
      key: identifierKey,
      timestamp,
      direction,
      origin: v.picklist(["history", "echo", "received", "api"]),
      message: v.optional(typedObject<Message>("a message")),
      status: v.optional(v.picklist(["sent", "delivered", "read", "played", "failed"])),
      errors: v.optional(
        v.array(v.custom<ApiError>((value) => typeof value === "object" && value !== null && !Array.isArray(value), "Expected an error object.")),
      ),
      firstAt: v.optional(timestamp),
    }),
  ),
  amendments: v.array(
    v.strictObject({
      id: messageId,
      edit: v.optional(v.strictObject({ timestamp, content: typedObject<EditRecord["content"]>("edited content") })),
      revoked: v.optional(v.literal(true)),
      reactions: v.optional(v.array(v.strictObject({ key: identifierKey, from: storedText, emoji: storedText, timestamp }))),
      firstAt: v.optional(timestamp),
    }),
  ),
});

/** Version 2: messages keyed by id (without their content), with the people. */
const businessSchemaV2 = v.strictObject({
  phoneNumberId: storedText,
  ...commonEntries,
  ...peopleEntries,
  messages: v.array(v.tuple([messageId, identifierKey, timestamp, direction])),
});

/** Version 1 (0.1.0): messages keyed by conversation; no identity links. */
const businessSchemaV1 = v.strictObject({
  ...commonEntries,
  messages: v.array(v.tuple([contactKey, v.pipe(storedText, v.nonEmpty()), timestamp, direction])),
});

const accountSchema = /* @__PURE__ */ v.strictObject({
  key: v.pipe(storedText, v.regex(/^[nw]:./s, 'Expected an account key like "n:<phone number id>" or "w:<waba id>".')),
  event: v.picklist(ACCOUNT_LIFECYCLE_EVENTS),
  timestamp,
  reason: storedOptionalText,
  initiatedBy: storedOptionalText,
});

const bookSchema = /* @__PURE__ */ v.variant(
  "version",
  [
    v.strictObject({
      format: v.literal(BOOK_FORMAT, `Expected format "${BOOK_FORMAT}".`),
      version: v.literal(BOOK_VERSION),
      businesses: v.array(businessSchema),
      accounts: v.array(accountSchema),
    }),
    v.strictObject({
      format: v.literal(BOOK_FORMAT, `Expected format "${BOOK_FORMAT}".`),
      version: v.literal(3),
      businesses: v.array(businessSchema),
    }),
    v.strictObject({
      format: v.literal(BOOK_FORMAT, `Expected format "${BOOK_FORMAT}".`),
      version: v.literal(2),
      businesses: v.array(businessSchemaV2),
    }),
    v.strictObject({
      format: v.literal(BOOK_FORMAT, `Expected format "${BOOK_FORMAT}".`),
      version: v.literal(1),
      businesses: v.record(storedText, businessSchemaV1),
    }),
  ],
  `Expected a serialised contact book (format "${BOOK_FORMAT}", version 1 to ${BOOK_VERSION}).`,
);

type StoredBusiness = v.InferOutput<typeof businessSchema>;
type StoredAccount = v.InferOutput<typeof accountSchema>;
type StoredBusinessV2 = v.InferOutput<typeof businessSchemaV2>;
type StoredBusinessV1 = v.InferOutput<typeof businessSchemaV1>;

function loadPeople(draft: BookDraft, phoneNumberId: string, business: StoredBusiness | StoredBusinessV2): void {
  for (const [key, seenAt] of business.identifiers) draft.link(phoneNumberId, [key], seenAt);
  for (const group of business.people) draft.link(phoneNumberId, group, 0);
}

/** A JSON value as JSON keeps it (no `-0`, no `undefined` members), owned by the book alone. */
function jsonCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function loadBusiness(draft: BookDraft, phoneNumberId: string, business: StoredBusiness): void {
  loadPeople(draft, phoneNumberId, business);
  for (const [key, at] of business.erasures ?? []) draft.erase(phoneNumberId, [key], at);
  for (const [id, key] of business.dropped ?? []) draft.putDropped(phoneNumberId, id, key);
  const history = new Set(business.historyMessages);
  for (const { id, key, timestamp, direction, origin, message, status, errors, firstAt } of business.messages) {
    draft.link(phoneNumberId, [key], 0); // a no-op for a consistent file; keeps a hand-edited one answerable
    draft.putMessage(phoneNumberId, id, {
      key,
      timestamp,
      direction,
      origin,
      message: jsonCopy(message),
      status,
      errors: jsonCopy(errors),
      history: history.has(id),
      firstAt: Math.min(firstAt ?? timestamp, timestamp),
    });
  }
  for (const { id, edit, revoked, reactions, firstAt } of business.amendments) {
    if (edit !== undefined) draft.putEdit(phoneNumberId, id, { timestamp: edit.timestamp, content: jsonCopy(edit.content) });
    if (revoked === true) draft.putRevoke(phoneNumberId, id, firstAt);
    if (firstAt !== undefined) draft.putAmendedAt(phoneNumberId, id, firstAt);
    for (const { key, from, emoji, timestamp } of reactions ?? []) draft.putReaction(phoneNumberId, id, key, { from, emoji, timestamp });
  }
  loadCommon(draft, phoneNumberId, business);
  draft.putAccount(phoneNumberId, business.wabaId, business.displayNumber);
  if (business.retainedBefore !== undefined) draft.retain(phoneNumberId, business.retainedBefore);
}

/** Loads checked lifecycle records (the whole form's, checked with the book; a line's, by {@link checkedAccount}). */
function loadAccounts(draft: BookDraft, accounts: readonly StoredAccount[]): void {
  for (const { key, ...record } of accounts)
    draft.putLifecycle(key, lifecycleRecordOf({ event: record.event, timestamp: record.timestamp, disconnection: record }));
}

/** Checks one account line of the streamed form. */
function checkedAccount(value: unknown, where: string): StoredAccount {
  const result = v.safeParse(accountSchema, value, { abortEarly: true });
  if (!result.success) throw new BookFormatError(result.issues.map((issue) => ({ path: joinPath(where, pathOf(issue)), message: issue.message })));
  return result.output;
}

/**
 * The record of a message a version 1 or 2 book kept without its content: an entry without one,
 * its origin told by whether history carried it and its direction.
 */
function bareRecord(key: string, timestamp: number, direction: Direction, history: boolean): MessageRecord {
  const origin: MessageOrigin = history ? "history" : direction === "outbound" ? "echo" : "received";
  return { key, timestamp, direction, origin, message: undefined, status: undefined, errors: undefined, history, firstAt: timestamp };
}

/** Version 2 kept no content: each message becomes an entry without one. */
function loadBusinessV2(draft: BookDraft, phoneNumberId: string, business: StoredBusinessV2): void {
  loadPeople(draft, phoneNumberId, business);
  const history = new Set(business.historyMessages);
  for (const [messageId, key, timestamp, direction] of business.messages) {
    draft.link(phoneNumberId, [key], 0);
    draft.putMessage(phoneNumberId, messageId, bareRecord(key, timestamp, direction, history.has(messageId)));
  }
  loadCommon(draft, phoneNumberId, business);
}

/** Version 1 knew no links: an address-book record's phone number and user ids are one person. */
function loadBusinessV1(draft: BookDraft, phoneNumberId: string, business: StoredBusinessV1): void {
  for (const { timestamp, contact } of business.contacts) draft.link(phoneNumberId, keysOf(contact), timestamp);
  const history = new Set(business.historyMessages);
  for (const [key, messageId, timestamp, direction] of business.messages) {
    draft.link(phoneNumberId, [key], timestamp);
    draft.putMessage(phoneNumberId, messageId, bareRecord(key, timestamp, direction, history.has(messageId)));
  }
  loadCommon(draft, phoneNumberId, business);
}

function loadCommon(draft: BookDraft, phoneNumberId: string, business: StoredBusiness | StoredBusinessV2 | StoredBusinessV1): void {
  for (const { key, kind, timestamp, contact } of business.contacts) {
    draft.putContact(phoneNumberId, key, { kind, timestamp, contact: contactFieldsOf(contact) });
  }
  for (const chunk of business.chunks) draft.putChunk(phoneNumberId, chunk);
  for (const id of business.historyMessages) draft.putHistoryMessage(phoneNumberId, id);
  draft.putProgress(phoneNumberId, business.progress);
  if (business.declined !== undefined) draft.putDeclined(phoneNumberId, declinedRecordOf(business.declined));
}

/** Checks a book's (or a streamed book's header's) format tag and version. */
function checkHeader(input: unknown, where: string): void {
  if (typeof input !== "object" || input === null || (input as { format?: unknown }).format !== BOOK_FORMAT) {
    throw new BookFormatError([{ path: joinPath(where, "format"), message: `Expected format "${BOOK_FORMAT}": this is not a serialised contact book.` }]);
  }
  const version = (input as { version?: unknown }).version;
  if (typeof version === "number" && version > BOOK_VERSION) {
    throw new BookFormatError([
      {
        path: joinPath(where, "version"),
        message: `The book was written in format version ${version}; this library reads version ${BOOK_VERSION}. Upgrade whatsapp-coexistence.`,
      },
    ]);
  }
}

/**
 * How deep a stored book may nest: a message's content as the parser kept it (at most
 * {@link DEFAULT_MAX_DEPTH} levels in its body) below the book's own few levels, with room to spare.
 */
const BOOK_MAX_DEPTH = 2 * DEFAULT_MAX_DEPTH;

/** Refuses data nested too deep to check (or holding a prototype key), walking it without recursion. */
function checkDepth(input: unknown, where: string): void {
  const issues: ParseIssue[] = [];
  if (hostileVerdict(input, where, 0, BOOK_MAX_DEPTH, { push: (issue) => issues.push(issue) }) === "clean") return;
  throw new BookFormatError(issues.slice(0, 1).map((issue) => ({ path: issue.path, message: issue.message.replace("The body", "The book") })));
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
  checkHeader(input, "");
  if ((input as { form?: unknown }).form === "lines") {
    throw new BookFormatError([{ path: "form", message: "This is the header of the streamed form: read its lines with deserializeBookLines." }]);
  }
  checkDepth(input, "");
  // The first problem is enough, and stopping there keeps a huge malformed input from costing an issue per element.
  const result = v.safeParse(bookSchema, input, { abortEarly: true });
  if (!result.success) throw new BookFormatError(result.issues.map((issue) => ({ path: pathOf(issue), message: issue.message })));
  const draft = new BookDraft(createContactBook());
  const book = result.output;
  if (book.version === BOOK_VERSION || book.version === 3) {
    for (const business of book.businesses) loadBusiness(draft, business.phoneNumberId, business);
    if (book.version === BOOK_VERSION) loadAccounts(draft, book.accounts);
  } else if (book.version === 2) for (const business of book.businesses) loadBusinessV2(draft, business.phoneNumberId, business);
  else for (const [phoneNumberId, business] of Object.entries(book.businesses)) loadBusinessV1(draft, phoneNumberId, business);
  return draft.commit();
}
