/**
 * Reading people from the store, each answer in one statement: the person a key names (an index
 * lookup of the key, then of the person's identifiers), with its address-book records or its
 * conversation summary, and the listings' pages (one index range scan of `persons`, each entry's
 * identifiers read beside it).
 *
 * @module
 */
import { contactFieldsOf, type ContactRecord } from "../book/book-state.js";
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
  return `(SELECT person_id FROM ${s}.identifiers WHERE phone_number_id = $1 AND key = ANY($2::text[]) ORDER BY array_position($2::text[], key) LIMIT 1)`;
}

/** The parameters `personOfKeySql` reads: the business and the key's candidates. */
export function personOfKeyValues(phoneNumberId: string, key: string): [string, string[]] {
  return [phoneNumberId, lookupKeys(key)];
}

/** A person from its row id and its identifiers with when each was seen (as arrays, from `array_agg`). */
function storedPerson(id: unknown, keys: readonly string[], seen: readonly unknown[]): StoredPerson {
  const seenAt = new Map(keys.map((key, index) => [key, Number(seen[index])]));
  return { ...personView(keys, (key) => seenAt.get(key) ?? 0), id: String(id) };
}

/** The person `key` names (phone number in any format, user id, or parent user id). */
export async function personByKey(db: Queryable, s: string, phoneNumberId: string, key: string): Promise<StoredPerson | undefined> {
  const { rows } = await db.query(
    `SELECT person_id, key, seen_at FROM ${s}.identifiers WHERE phone_number_id = $1 AND person_id = ${personOfKeySql(s)}`,
    personOfKeyValues(phoneNumberId, key),
  );
  if (rows.length === 0) return undefined;
  return storedPerson(
    rows[0]?.person_id,
    rows.map((row) => row.key as string),
    rows.map((row) => row.seen_at),
  );
}

function contactRecordOf(removed: unknown, timestamp: unknown, contact: string): ContactRecord {
  return { kind: Number(removed) === 1 ? "remove" : "add", timestamp: Number(timestamp), contact: contactFieldsOf(JSON.parse(contact) as object) };
}

/** The address-book records among a person's aggregated identifier columns. */
function recordsOf(row: Record<string, unknown>): ContactRecord[] {
  const contacts = row.contacts as (string | null)[];
  const records: ContactRecord[] = [];
  contacts.forEach((contact, index) => {
    if (contact !== null) records.push(contactRecordOf((row.removed as unknown[])[index], (row.timestamps as unknown[])[index], contact));
  });
  return records;
}

/** SQL that aggregates a person's identifiers (for `persons` row `p`). */
function identifiersOf(s: string): string {
  return `CROSS JOIN LATERAL (
      SELECT array_agg(i.key) AS keys, array_agg(i.seen_at) AS seen FROM ${s}.identifiers AS i
       WHERE i.phone_number_id = p.phone_number_id AND i.person_id = p.person_id) AS k`;
}

/** SQL that aggregates a person's identifiers and their address-book records (for `persons` row `p`). */
function identifiersAndRecordsOf(s: string): string {
  return `CROSS JOIN LATERAL (
      SELECT array_agg(i.key) AS keys, array_agg(i.seen_at) AS seen, array_agg(c.removed) AS removed, array_agg(c."timestamp") AS timestamps,
             array_agg(c.contact) AS contacts
        FROM ${s}.identifiers AS i LEFT JOIN ${s}.contacts AS c ON c.phone_number_id = i.phone_number_id AND c.key = i.key
       WHERE i.phone_number_id = p.phone_number_id AND i.person_id = p.person_id) AS k`;
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

/** The person `key` names, its `persons` row and its identifiers with their records, in one statement. */
async function personRow(db: Queryable, s: string, phoneNumberId: string, key: string): Promise<Record<string, unknown> | undefined> {
  const { rows } = await db.query(
    `SELECT p.*, k.* FROM ${s}.persons AS p ${identifiersAndRecordsOf(s)} WHERE p.phone_number_id = $1 AND p.person_id = ${personOfKeySql(s)}`,
    personOfKeyValues(phoneNumberId, key),
  );
  return rows[0];
}

/** The contact of the person `key` names, as the book's `getContact`. */
export async function readContact(db: Queryable, s: string, phoneNumberId: string, key: string): Promise<Contact | undefined> {
  const row = await personRow(db, s, phoneNumberId, key);
  return row === undefined ? undefined : contactOf(storedPerson(row.person_id, row.keys as string[], row.seen as unknown[]), recordsOf(row));
}

/** The conversation with the person `key` names, as the book's `getConversation`. */
export async function readConversation(db: Queryable, s: string, phoneNumberId: string, key: string): Promise<Conversation | undefined> {
  const row = await personRow(db, s, phoneNumberId, key);
  if (row === undefined || Number(row.messages) === 0) return undefined;
  return conversationOf(storedPerson(row.person_id, row.keys as string[], row.seen as unknown[]), summaryOf(row));
}

/** A page of the conversation list: newest last message first, strictly past the bound (one index range scan). */
export async function readConversationPage(
  db: Queryable,
  s: string,
  phoneNumberId: string,
  bound: [number, string] | undefined,
  limit: number,
): Promise<ConversationEntry[]> {
  const { rows } = await db.query(
    `SELECT p.*, k.* FROM ${s}.persons AS p ${identifiersOf(s)}
      WHERE p.phone_number_id = $1 AND p.messages > 0 AND ($2::bigint IS NULL OR (p.last_at, p.last_id_order) < ($2::bigint, $3::text))
      ORDER BY p.last_at DESC, p.last_id_order DESC LIMIT $4`,
    [phoneNumberId, bound?.[0] ?? null, bound === undefined ? null : sortableText(bound[1]), limit],
  );
  return rows.map((row) => conversationEntryOf(storedPerson(row.person_id, row.keys as string[], row.seen as unknown[]), summaryOf(row)));
}

/**
 * A page of the contact list: the listed people (whose records join to an add) by smallest
 * identifier, strictly past the cursor (one index range scan).
 */
export async function readContactPage(db: Queryable, s: string, phoneNumberId: string, after: string | undefined, limit: number): Promise<ContactEntry[]> {
  const { rows } = await db.query(
    `SELECT p.person_id, k.* FROM ${s}.persons AS p ${identifiersAndRecordsOf(s)}
      WHERE p.phone_number_id = $1 AND p.listed AND ($2::text IS NULL OR p.first_order > $2) ORDER BY p.first_order LIMIT $3`,
    [phoneNumberId, after === undefined ? null : sortableText(after), limit],
  );
  const contacts: ContactEntry[] = [];
  for (const row of rows) {
    const person = storedPerson(row.person_id, row.keys as string[], row.seen as unknown[]);
    const contact = contactOf(person, recordsOf(row));
    if (contact !== undefined) contacts.push({ ...contact, cursor: person.first });
  }
  return contacts;
}
