/**
 * Reading people from the store, each answer in one statement that reads `persons` rows only: the
 * person a key names (an index lookup of the key, then of its row), and the listings' pages (one
 * index range scan). A row holds the person's identifiers, winning address-book record and
 * conversation summary, kept up to date as batches are written.
 *
 * @module
 */
import { contactFieldsOf, isErased, type ContactRecord } from "../book/book-state.js";
import { lookupKeys } from "../book/identity.js";
import type { ConversationEntry, Contact, ContactEntry, Conversation } from "../book/queries.js";
import { contactOf, conversationEntryOf, conversationOf, personView } from "../book/queries.js";
import { sortableText } from "./atom-batch.js";
import type { Queryable } from "./database.js";
import type { StoredPerson } from "./people.js";

/**
 * SQL for the row id of the person the key candidates `$2` name in business `$1` (the first
 * candidate the store knows, as the book's lookup).
 */
export function personOfKeySql(s: string): string {
  // An erased identifier not seen since its person's erasure names no one (as the book's lookup skips it).
  // The key's rows first (one or two), each then checked against its person's horizon (0: no erasure, nothing hidden).
  return `(SELECT i.person_id FROM ${s}.identifiers AS i
            WHERE i.phone_number_id = $1 AND i.key = ANY($2::text[])
              AND i.seen_at > COALESCE(NULLIF((SELECT h.horizon FROM ${s}.persons AS h WHERE h.phone_number_id = $1 AND h.person_id = i.person_id), 0), -1)
            ORDER BY array_position($2::text[], i.key) LIMIT 1)`;
}

/** The parameters `personOfKeySql` reads: the business and the key's candidates. */
export function personOfKeyValues(phoneNumberId: string, key: string): [string, string[]] {
  return [phoneNumberId, lookupKeys(key)];
}

/** A person from its `persons` row: its identifiers and when each was seen are kept on the row. */
function storedPerson(row: Record<string, unknown>): StoredPerson {
  const horizon = Number(row.horizon);
  // Identifiers not seen since the person's erasure are hidden.
  const pairs = (JSON.parse(row.identifiers_json as string) as [string, number][]).filter(([, seenAt]) => !isErased({ seenAt, horizon }));
  const seenAt = new Map(pairs);
  return { ...personView([...seenAt.keys()], (key) => seenAt.get(key) ?? 0), id: String(row.person_id) };
}

/** The person's winning address-book record, kept on its row (none when it has no record). */
function winnerOf(row: Record<string, unknown>): ContactRecord[] {
  if (row.contact === null) return [];
  return [
    { kind: row.listed === true ? "add" : "remove", timestamp: Number(row.contact_at), contact: contactFieldsOf(JSON.parse(row.contact as string) as object) },
  ];
}

/** A person's conversation summary, from its `persons` row. */
function summaryOf(row: Record<string, unknown>) {
  return {
    messageCount: Number(row.messages),
    lastMessageAt: Number(row.last_at),
    lastMessageId: row.last_message_id as string,
    lastDirection: row.last_outbound === true ? ("outbound" as const) : ("inbound" as const),
  };
}

/** The columns each answer reads from a `persons` row (no more: rows are wide). */
const COLUMNS = {
  identity: "person_id, identifiers_json, horizon",
  contact: "person_id, identifiers_json, horizon, listed, contact, contact_at",
  conversation: "person_id, identifiers_json, horizon, messages, last_at, last_message_id, last_outbound",
} as const;

/** The `persons` row of the person `key` names: an index lookup of the key, then of the row. */
async function personRow(db: Queryable, s: string, columns: string, phoneNumberId: string, key: string): Promise<Record<string, unknown> | undefined> {
  const { rows } = await db.query(
    `SELECT ${columns} FROM ${s}.persons WHERE phone_number_id = $1 AND person_id = ${personOfKeySql(s)}`,
    personOfKeyValues(phoneNumberId, key),
  );
  return rows[0];
}

/** The person `key` names (phone number in any format, user id, or parent user id). */
export async function personByKey(db: Queryable, s: string, phoneNumberId: string, key: string): Promise<StoredPerson | undefined> {
  const row = await personRow(db, s, COLUMNS.identity, phoneNumberId, key);
  return row === undefined ? undefined : storedPerson(row);
}

/** The contact of the person `key` names, as the book's `getContact`. */
export async function readContact(db: Queryable, s: string, phoneNumberId: string, key: string): Promise<Contact | undefined> {
  const row = await personRow(db, s, COLUMNS.contact, phoneNumberId, key);
  return row === undefined ? undefined : contactOf(storedPerson(row), winnerOf(row));
}

/** The conversation with the person `key` names, as the book's `getConversation`. */
export async function readConversation(db: Queryable, s: string, phoneNumberId: string, key: string): Promise<Conversation | undefined> {
  const row = await personRow(db, s, COLUMNS.conversation, phoneNumberId, key);
  if (row === undefined || Number(row.messages) === 0) return undefined;
  return conversationOf(storedPerson(row), summaryOf(row));
}

/** A page of the conversation list: newest last message first, strictly past the bound (one index range scan). */
export async function readConversationPage(
  db: Queryable,
  s: string,
  phoneNumberId: string,
  bound: [number, string] | undefined,
  limit: number,
): Promise<ConversationEntry[]> {
  // Two texts, the first page's and a later page's, so each prepared statement keeps one plan.
  const { rows } =
    bound === undefined
      ? await db.query(
          `SELECT ${COLUMNS.conversation} FROM ${s}.persons WHERE phone_number_id = $1 AND messages > 0 ORDER BY last_at DESC, last_id_order DESC LIMIT $2`,
          [phoneNumberId, limit],
        )
      : await db.query(
          `SELECT ${COLUMNS.conversation} FROM ${s}.persons WHERE phone_number_id = $1 AND messages > 0 AND (last_at, last_id_order) < ($3::bigint, $4::text)
            ORDER BY last_at DESC, last_id_order DESC LIMIT $2`,
          [phoneNumberId, limit, bound[0], sortableText(bound[1])],
        );
  return rows.map((row) => conversationEntryOf(storedPerson(row), summaryOf(row)));
}

/**
 * A page of the contact list: the listed people (whose records join to an add) by smallest
 * identifier, strictly past the cursor (one index range scan).
 */
export async function readContactPage(db: Queryable, s: string, phoneNumberId: string, after: string | undefined, limit: number): Promise<ContactEntry[]> {
  const { rows } =
    after === undefined
      ? await db.query(`SELECT ${COLUMNS.contact} FROM ${s}.persons WHERE phone_number_id = $1 AND listed ORDER BY first_order LIMIT $2`, [
          phoneNumberId,
          limit,
        ])
      : await db.query(`SELECT ${COLUMNS.contact} FROM ${s}.persons WHERE phone_number_id = $1 AND listed AND first_order > $3 ORDER BY first_order LIMIT $2`, [
          phoneNumberId,
          limit,
          sortableText(after),
        ]);
  const contacts: ContactEntry[] = [];
  for (const row of rows) {
    const person = storedPerson(row);
    const contact = contactOf(person, winnerOf(row));
    if (contact !== undefined) contacts.push({ ...contact, cursor: person.first });
  }
  return contacts;
}
