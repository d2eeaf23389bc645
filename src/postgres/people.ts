/**
 * People in the store, placed at write time: every identifier row and every message row names its
 * person (`person_id`), so a query finds its key's person with one index lookup and never
 * rebuilds a business's people. A batch that links identifiers of two people re-points the smaller
 * person's rows to the larger (union by size, as the book's union-find does) in its own
 * transaction.
 *
 * Concurrency: every writer of a business holds the business's advisory lock, shared; a writer
 * whose batch brings an identifier the store has not seen, or links two people, holds it
 * exclusive (and so alone). Writers that share the lock lock the person rows they touch, in person
 * order, before writing anything else: the summaries each refreshes then see every committed
 * message of the person. Locks are always taken in the same order (businesses, then people, then
 * rows), so writers never deadlock, and no link is lost.
 *
 * @module
 */
import type { PersonView } from "../book/queries.js";
import { compareKeys } from "../book/persistent-map.js";
import { conversationOrder } from "../book/pages.js";
import { contactOrder, contactWins } from "../book/precedence.js";
import type { ContactRecord } from "../book/book-state.js";
import type { MessageRecord } from "../book/timeline-records.js";
import { rowId, sortableText, type AtomBatch, type RowPlacement } from "./atom-batch.js";
import { hash32, type Queryable } from "./database.js";
import { refreshMessageSummaries } from "./person-summaries.js";
import { gateBatch } from "./retention.js";

/** A person as the store reads it: the book's view of its identifiers, and its row id. */
export interface StoredPerson extends PersonView {
  readonly id: string;
}

/** A business's key (or message) and the person it belongs to. */
type PersonByName = Map<string, string>;

/** Where each key of a batch belongs, once placed, and the people whose summaries it may change (sorted). */
export interface Placement extends RowPlacement {
  readonly refresh: readonly Refresh[];
  /** The rows of the people the batch creates (`persons` columns, see {@link peopleUpserts}). */
  readonly created: readonly unknown[][];
  /** Whether the batch's stored messages were read (so each is already with its person). */
  readonly messagesRead: boolean;
}

/** Why a batch must be placed again with the business locked exclusively. */
export const NEEDS_EXCLUSIVE = Symbol("needs exclusive");

/** A map key unique to a business and a name in it: the batch's own row key, so batch maps are read by it too. */
const scoped = (phoneNumberId: string, name: string): string => rowId(phoneNumberId, name);

/** A small union-find over strings. */
class Groups {
  private readonly parent = new Map<string, string>();

  add(node: string): void {
    if (!this.parent.has(node)) this.parent.set(node, node);
  }

  find(node: string): string {
    this.add(node);
    let root = node;
    while (this.parent.get(root) !== root) root = this.parent.get(root) as string;
    for (let current = node; current !== root;) {
      const next = this.parent.get(current) as string;
      this.parent.set(current, root);
      current = next;
    }
    return root;
  }

  union(a: string, b: string): void {
    const [rootA, rootB] = [this.find(a), this.find(b)];
    if (rootA !== rootB) this.parent.set(rootA, rootB);
  }

  /** The groups, each a list of its members. */
  all(): string[][] {
    const groups = new Map<string, string[]>();
    for (const node of this.parent.keys()) {
      const root = this.find(node);
      const group = groups.get(root);
      if (group === undefined) groups.set(root, [node]);
      else group.push(node);
    }
    return [...groups.values()];
  }
}

/** The advisory lock keys of some businesses, each once, in one order. */
function lockKeys(businesses: readonly string[]): number[] {
  return [...new Set(businesses.map(hash32))].sort((a, b) => a - b);
}

/** The keys and components of one batch, per business. */
interface BatchIdentity {
  /** Every customer key of the batch: `[phoneNumberId, key, seenAt]`. */
  readonly keys: [string, string, number][];
  /** The batch's message ids: `[phoneNumberId, messageId]`. */
  readonly messages: [string, string][];
  /** Keys the batch says are one person (links, and the keys one message was seen with). */
  readonly groups: Groups;
  /** When the batch saw each key, by scoped key. */
  readonly seenAt: ReadonlyMap<string, number>;
}

function identityOf(batch: AtomBatch): BatchIdentity {
  const groups = new Groups();
  const keys: [string, string, number][] = [];
  for (const { phoneNumberId, key, seenAt } of batch.identifiers.values()) {
    keys.push([phoneNumberId, key, seenAt]);
    groups.add(scoped(phoneNumberId, key));
  }
  for (const { phoneNumberId, a, b } of batch.links.values()) groups.union(scoped(phoneNumberId, a), scoped(phoneNumberId, b));
  const messages: [string, string][] = [];
  for (const { phoneNumberId, messageId, keys: seenWith } of batch.messages.values()) {
    messages.push([phoneNumberId, messageId]);
    const message = `m${scoped(phoneNumberId, messageId)}`;
    for (const key of seenWith) groups.union(message, scoped(phoneNumberId, key));
  }
  return { keys, messages, groups, seenAt: new Map(keys.map(([id, key, seen]) => [scoped(id, key), seen])) };
}

/**
 * Takes the advisory lock of each business of the batch, in one order (shared, or exclusive for a
 * batch that creates or joins people).
 */
async function lockBusinesses(connection: Queryable, schema: string, businesses: readonly string[], exclusive: boolean): Promise<void> {
  const lock = exclusive ? "pg_advisory_xact_lock" : "pg_advisory_xact_lock_shared";
  await connection.query(`SELECT ${lock}($1, k) FROM unnest($2::integer[]) WITH ORDINALITY AS locks(k, n) ORDER BY n`, [hash32(schema), lockKeys(businesses)]);
}

/**
 * Turns a batch's shared locks exclusive when no other writer holds them (a session's own lock
 * never blocks it), without waiting: most batches that bring new people have their businesses to
 * themselves, and so need not start again.
 */
async function tryExclusive(connection: Queryable, schema: string, businesses: readonly string[]): Promise<boolean> {
  const { rows } = await connection.query(`SELECT bool_and(pg_try_advisory_xact_lock($1, k)) AS locked FROM unnest($2::integer[]) AS k`, [
    hash32(schema),
    lockKeys(businesses),
  ]);
  return rows[0]?.locked === true;
}

/** What the store knows of a batch's keys and messages: their people, and when each key was seen. */
interface Known {
  /** The person of each stored key (scoped) and message (`m` and scoped). */
  readonly persons: PersonByName;
  readonly seenAt: Map<string, number>;
}

/** Reads the person of each key of the batch that the store knows (and when it was seen). */
async function readKeys(connection: Queryable, s: string, identity: BatchIdentity, known: Known): Promise<void> {
  const { rows } = await connection.query(
    `SELECT i.phone_number_id AS id, i.key, i.person_id, i.seen_at FROM unnest($1::text[], $2::text[]) AS b(id, key)
       JOIN ${s}.identifiers AS i ON i.phone_number_id = b.id AND i.key = b.key`,
    [identity.keys.map(([id]) => id), identity.keys.map(([, key]) => key)],
  );
  for (const row of rows) {
    const name = scoped(row.id as string, row.key as string);
    known.persons.set(name, String(row.person_id));
    known.seenAt.set(name, Number(row.seen_at));
  }
}

/** Reads the person of each message of the batch that the store holds. */
async function readMessages(connection: Queryable, s: string, identity: BatchIdentity, known: Known): Promise<void> {
  if (identity.messages.length === 0) return;
  const { rows } = await connection.query(
    `SELECT m.phone_number_id AS id, m.message_id, m.person_id FROM unnest($1::text[], $2::text[]) AS b(id, message)
       JOIN ${s}.message_records AS m ON m.phone_number_id = b.id AND m.message_id = b.message`,
    [identity.messages.map(([id]) => id), identity.messages.map(([, id]) => id)],
  );
  for (const row of rows) known.persons.set(`m${scoped(row.id as string, row.message_id as string)}`, String(row.person_id));
}

/** A component of the batch: its business, its keys (scoped), and the people its known members belong to. */
interface Component {
  readonly phoneNumberId: string;
  readonly keys: string[];
  readonly persons: Set<string>;
}

/**
 * The batch's components: its keys joined by its links and messages, and by the people the store
 * keeps them in (two groups of the batch with one stored person are one component, placed at once:
 * placed apart, one could grow the person while the other moves it into a third).
 */
function componentsOf(identity: BatchIdentity, persons: PersonByName): Component[] {
  const businessOf = new Map(identity.keys.map(([id, key]) => [scoped(id, key), id]));
  const { groups } = identity;
  for (const [member, person] of persons) groups.union(member, `p${person}`);
  const components: Component[] = [];
  for (const members of groups.all()) {
    const keys = members.filter((member) => !member.startsWith("m") && !member.startsWith("p"));
    const owners = new Set<string>();
    for (const member of members) {
      const person = persons.get(member);
      if (person !== undefined) owners.add(person);
    }
    const phoneNumberId = businessOf.get(keys[0] as string);
    if (phoneNumberId !== undefined) components.push({ phoneNumberId, keys, persons: owners });
  }
  return components;
}

/** Whether placing a component creates a person, adds an identifier, or joins two people. */
function changesPeople(component: Component, persons: PersonByName): boolean {
  return component.persons.size !== 1 || component.keys.some((key) => !persons.has(key));
}

/** The key a scoped name holds (the part after its business). */
function keyOf(phoneNumberId: string, name: string): string {
  return name.slice(String(phoneNumberId.length).length + 1 + phoneNumberId.length);
}

/** What joining people adds up: their sizes, smallest identifier and winning address-book record. */
interface PersonSize {
  identifiers: number;
  messages: number;
  first: string;
  contact: Winner | undefined;
  /** The erasure horizon (0 for none). */
  horizon: number;
}

/** A person's winning address-book record as `persons` keeps it: its order key, whether it is an add, its fields' JSON and time. */
interface Winner {
  readonly order: string;
  readonly listed: boolean;
  readonly json: string;
  readonly at: number;
}

/** A person whose summary a batch may change, and which parts. */
interface Refresh {
  readonly phoneNumberId: string;
  readonly person: string;
  /** The message count and newest message (the batch has messages of the person, or joined people). */
  messages: boolean;
  /** The winning address-book record among the batch's records of the person (written only where it beats the kept one). */
  contact: Winner | undefined;
  /** Whether the batch writes identifier rows of the person (its identity, kept on its row, changes). */
  identifiers: boolean;
}

/**
 * The winning address-book record among a batch's records of some keys, as the person's
 * `contact_order` (its order key as sortable text) and whether it is an add (`listed`). A person's
 * winner only ever rises (records only ever win), so the store keeps the greatest key it was given.
 */
function winningContact(batch: AtomBatch, phoneNumberId: string, keys: Iterable<string>): Winner | undefined {
  let winner: ContactRecord | undefined;
  for (const key of keys) {
    const record = batch.contacts.get(scoped(phoneNumberId, key))?.record;
    if (record !== undefined && (winner === undefined || contactWins(record, winner))) winner = record;
  }
  if (winner === undefined) return undefined;
  return { order: sortableText(contactOrder(winner)), listed: winner.kind === "add", json: JSON.stringify(winner.contact), at: winner.timestamp };
}

/** The newest message among some (the conversation list's order). */
function newestOf(rows: readonly { messageId: string; record: MessageRecord }[]) {
  let newest: { messageId: string; record: MessageRecord } | undefined;
  for (const row of rows) {
    if (newest === undefined || conversationOrder(row.record.timestamp, row.messageId, newest.record.timestamp, newest.messageId) < 0) newest = row;
  }
  return newest;
}

/**
 * Creates the people a batch brings and joins the people it links (run with the businesses locked
 * exclusively); the identifiers themselves are written by the batch's statement. Updates `persons`
 * (name to person) as it goes.
 *
 * @returns the people it created (whose summaries it wrote) and the people that grew (to refresh).
 */
async function changePeople(
  connection: Queryable,
  s: string,
  batch: AtomBatch,
  components: readonly Component[],
  persons: PersonByName,
  seenAt: ReadonlyMap<string, number>,
) {
  const changing = components.filter((component) => changesPeople(component, persons));
  const involved = [...new Set(changing.flatMap((component) => [...component.persons]))];
  const sizes = new Map<string, PersonSize>();
  if (involved.length > 0) {
    const { rows } = await connection.query(
      `SELECT person_id, identifiers, messages, first_order, contact_order, listed, contact, contact_at, horizon FROM ${s}.persons
        WHERE (phone_number_id, person_id) IN (SELECT * FROM unnest($1::text[], $2::bigint[]))`,
      [involved.map((person) => changing.find((component) => component.persons.has(person))?.phoneNumberId), involved],
    );
    for (const row of rows) {
      sizes.set(String(row.person_id), {
        identifiers: Number(row.identifiers),
        messages: Number(row.messages),
        first: row.first_order as string,
        contact:
          row.contact_order === null
            ? undefined
            : { order: row.contact_order as string, listed: row.listed === true, json: row.contact as string, at: Number(row.contact_at) },
        horizon: Number(row.horizon),
      });
    }
  }
  const fresh = changing.filter((component) => component.persons.size === 0);
  const ids =
    fresh.length === 0
      ? []
      : (await connection.query(`SELECT nextval('${s}.person_ids') AS id FROM generate_series(1, $1)`, [fresh.length])).rows.map((row) => String(row.id));
  const created = new Set<string>();
  const messagesOf = new Map<string, { messageId: string; record: MessageRecord }[]>();
  for (const row of batch.messages.values()) {
    const name = scoped(row.phoneNumberId, row.record.key);
    const list = messagesOf.get(name);
    if (list === undefined) messagesOf.set(name, [row]);
    else list.push(row);
  }
  // business, person, first order, identifiers, messages, newest time, newest id order, newest id, newest outbound,
  // contact order, listed, contact, contact time, identifiers JSON
  const createdRows: unknown[][] = [];
  const merged: [string, string, string][] = []; // business, from person, into person
  // business, person, first order, identifiers, messages, contact order, listed, contact, contact time, horizon
  const grown: [string, string, string, number, number, string | null, boolean, string | null, number | null, number][] = [];
  fresh.forEach((component, index) => {
    const id = ids[index] as string;
    const keys = component.keys.map((name) => keyOf(component.phoneNumberId, name));
    const messages = component.keys.flatMap((name) => messagesOf.get(name) ?? []);
    const newest = newestOf(messages);
    createdRows.push([
      component.phoneNumberId,
      id,
      keys.map(sortableText).reduce((a, b) => (b < a ? b : a)),
      keys.length,
      messages.length,
      newest?.record.timestamp ?? null,
      newest === undefined ? null : sortableText(newest.messageId),
      newest?.messageId ?? null,
      newest === undefined ? null : newest.record.direction === "outbound",
      ...(({ order, listed, json, at }) => [order, listed, json, at])(
        winningContact(batch, component.phoneNumberId, keys) ?? { order: null, listed: false, json: null, at: null },
      ),
      identifiersJson(keys.map((key) => [key, seenAt.get(scoped(component.phoneNumberId, key)) ?? 0])),
    ]);
    created.add(personSlot(component.phoneNumberId, id));
    for (const name of component.keys) persons.set(name, id);
  });
  for (const component of changing) {
    if (component.persons.size === 0) continue;
    // Union by size: the person with the most rows stays; the others' rows move to it.
    const owners = [...component.persons].sort((a, b) => {
      const [x, y] = [sizes.get(a), sizes.get(b)];
      const size = (y?.identifiers ?? 0) + (y?.messages ?? 0) - (x?.identifiers ?? 0) - (x?.messages ?? 0);
      return size !== 0 ? size : Number(BigInt(a) - BigInt(b));
    });
    const into = owners[0] as string;
    const total: PersonSize = { ...(sizes.get(into) ?? { identifiers: 0, messages: 0, first: "", contact: undefined, horizon: 0 }) };
    for (const from of owners.slice(1)) {
      const size = sizes.get(from);
      merged.push([component.phoneNumberId, from, into]);
      if (size !== undefined) {
        total.identifiers += size.identifiers;
        total.messages += size.messages;
        if (size.first < total.first) total.first = size.first;
        if (size.contact !== undefined && (total.contact === undefined || size.contact.order > total.contact.order)) total.contact = size.contact;
        // Joined people are erased up to the later of their erasures (settled after the batch, see erasure.ts).
        total.horizon = Math.max(total.horizon, size.horizon);
      }
      for (const [name, person] of persons) if (person === from) persons.set(name, into);
    }
    for (const name of component.keys) {
      if (persons.has(name)) continue;
      const key = sortableText(keyOf(component.phoneNumberId, name));
      persons.set(name, into);
      total.identifiers += 1;
      if (key < total.first) total.first = key;
    }
    const { contact } = total;
    grown.push([
      component.phoneNumberId,
      into,
      total.first,
      total.identifiers,
      total.messages,
      contact?.order ?? null,
      contact?.listed ?? false,
      contact?.json ?? null,
      contact?.at ?? null,
      total.horizon,
    ]);
  }
  const column = (rows: readonly (readonly unknown[])[], index: number) => rows.map((row) => row[index]);
  if (merged.length > 0) {
    await connection.query(
      `WITH moves AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS m(id, source, target)),
            keys AS (UPDATE ${s}.identifiers AS i SET person_id = moves.target FROM moves WHERE i.phone_number_id = moves.id AND i.person_id = moves.source),
            messages AS (UPDATE ${s}.message_records AS r SET person_id = moves.target FROM moves WHERE r.phone_number_id = moves.id AND r.person_id = moves.source)
       DELETE FROM ${s}.persons AS p USING moves WHERE p.phone_number_id = moves.id AND p.person_id = moves.source`,
      [column(merged, 0), column(merged, 1), column(merged, 2)],
    );
  }
  if (grown.length > 0) {
    await connection.query(
      `UPDATE ${s}.persons AS p SET first_order = g.first, identifiers = g.identifiers, messages = g.messages, contact_order = g.contact_order, listed = g.listed,
              contact = g.contact, contact_at = g.contact_at, horizon = g.horizon
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::integer[], $5::integer[], $6::text[], $7::boolean[], $8::text[], $9::bigint[], $10::bigint[])
           AS g(id, person, first, identifiers, messages, contact_order, listed, contact, contact_at, horizon)
        WHERE p.phone_number_id = g.id AND p.person_id = g.person`,
      Array.from({ length: 10 }, (_, index) => column(grown, index)),
    );
  }
  return { created, createdRows, grown: grown.map(([id, person]) => [id, person] as const) };
}

/**
 * Places a batch's keys in people, within the batch's transaction, before its rows are written.
 *
 * A first attempt does not read the batch's messages: most are new, and the batch's statement
 * reports each one that existed with its person, so the caller finds one that belongs to another
 * person (seen before with another person's key) and starts again (`retry`): alone, with the
 * messages read first, so that the two people are joined.
 *
 * @param retry - the second attempt: the businesses locked exclusively, the messages read.
 * @returns the placement, or {@link NEEDS_EXCLUSIVE} when the batch changes people but another
 *   writer shares the lock (the caller ends this transaction, which wrote nothing, and retries).
 */
export async function placeBatch(connection: Queryable, schema: string, batch: AtomBatch, retry: boolean): Promise<Placement | typeof NEEDS_EXCLUSIVE> {
  let exclusive = retry;
  const s = `"${schema}"`;
  const businesses = batch.businesses();
  const untouched = { personOf: () => "", writesIdentifier: () => false, refresh: [], created: [], messagesRead: true };
  if (businesses.length === 0) return untouched;
  await lockBusinesses(connection, schema, businesses, exclusive);
  // Retention: pieces of dropped messages, or older than the horizon, leave the batch; dropping is done alone.
  if (await gateBatch(connection, s, batch, businesses)) {
    if (!exclusive && !(await tryExclusive(connection, schema, businesses))) return NEEDS_EXCLUSIVE;
    exclusive = true;
  }
  const identity = identityOf(batch);
  // A batch without customer keys (amendments, history progress, a refusal) touches no person.
  if (identity.keys.length === 0) return untouched;
  const known: Known = { persons: new Map(), seenAt: new Map() };
  const { persons, seenAt } = known;
  // While the lock is shared, no writer creates or joins people, so what the keys say holds; a
  // batch whose keys change people turns the lock exclusive (when no other writer holds it).
  await readKeys(connection, s, identity, known);
  if (retry) await readMessages(connection, s, identity, known);
  const components = componentsOf(identity, persons);
  let changed: Awaited<ReturnType<typeof changePeople>> = { created: new Set(), createdRows: [], grown: [] };
  if (components.some((component) => changesPeople(component, persons))) {
    if (!exclusive && !(await tryExclusive(connection, schema, businesses))) return NEEDS_EXCLUSIVE;
    exclusive = true;
    changed = await changePeople(connection, s, batch, components, persons, identity.seenAt);
  }
  const writesIdentifier = (id: string, key: string, seen: number) => {
    const stored = seenAt.get(scoped(id, key));
    return stored === undefined || seen > stored;
  };
  const personOf = (id: string, key: string) => persons.get(scoped(id, key)) as string;
  const refresh = new Map<string, Refresh>();
  const entryOf = (id: string, person: string): Refresh | undefined => {
    const slot = personSlot(id, person);
    if (changed.created.has(slot)) return undefined; // its summary was written with it
    const entry = refresh.get(slot) ?? { phoneNumberId: id, person, messages: false, contact: undefined, identifiers: false };
    refresh.set(slot, entry);
    return entry;
  };
  for (const row of batch.messages.values()) {
    const entry = entryOf(row.phoneNumberId, personOf(row.phoneNumberId, row.record.key));
    if (entry !== undefined) entry.messages = true;
  }
  for (const row of batch.contacts.values()) {
    const entry = entryOf(row.phoneNumberId, personOf(row.phoneNumberId, row.key));
    const contact = winningContact(batch, row.phoneNumberId, [row.key]) as Winner;
    if (entry !== undefined && (entry.contact === undefined || contact.order > entry.contact.order)) entry.contact = contact;
  }
  // A person that took in others has their messages and identifiers now (their records' winner was joined as they were).
  for (const [id, person] of changed.grown) Object.assign(entryOf(id, person) as Refresh, { messages: true, identifiers: true });
  for (const { phoneNumberId, key, seenAt: seen } of batch.identifiers.values()) {
    if (!writesIdentifier(phoneNumberId, key, seen)) continue;
    const entry = entryOf(phoneNumberId, personOf(phoneNumberId, key));
    if (entry !== undefined) entry.identifiers = true;
  }
  const sorted = [...refresh.values()]
    .filter((entry) => entry.messages || entry.contact !== undefined || entry.identifiers)
    .sort((a, b) => compareKeys(a.phoneNumberId, b.phoneNumberId) || Number(BigInt(a.person) - BigInt(b.person)));
  if (!exclusive && sorted.length > 0) {
    // Writers sharing the business lock take turns on each person, in person order.
    await connection.query(
      `SELECT 1 FROM ${s}.persons WHERE (phone_number_id, person_id) IN (SELECT * FROM unnest($1::text[], $2::bigint[]))
        ORDER BY phone_number_id, person_id FOR UPDATE`,
      [sorted.map((entry) => entry.phoneNumberId), sorted.map((entry) => entry.person)],
    );
  }
  return { personOf, writesIdentifier, refresh: sorted, created: changed.createdRows, messagesRead: retry };
}

/**
 * Brings the message summaries of the people whose messages a batch wrote up to date: the count
 * (by the messages the batch created) and the newest message. Run after the batch's statement. (The
 * summaries of people the batch created were written with them.)
 */
export async function refreshPeople(connection: Queryable, s: string, placement: Placement, created: ReadonlyMap<string, number>): Promise<void> {
  await refreshMessageSummaries(
    connection,
    s,
    placement.refresh
      .filter((entry) => entry.messages)
      .map((entry) => ({ phoneNumberId: entry.phoneNumberId, person: entry.person, change: created.get(personSlot(entry.phoneNumberId, entry.person)) ?? 0 })),
  );
  const identifiers = placement.refresh.filter((entry) => entry.identifiers);
  if (identifiers.length > 0) {
    await connection.query(
      `UPDATE ${s}.persons AS p SET identifiers_json = (
         SELECT json_agg(json_build_array(i.key, i.seen_at) ORDER BY i.key)::text FROM ${s}.identifiers AS i
          WHERE i.phone_number_id = p.phone_number_id AND i.person_id = p.person_id)
       FROM unnest($1::text[], $2::bigint[]) AS t(id, person)
       WHERE p.phone_number_id = t.id AND p.person_id = t.person`,
      [identifiers.map((entry) => entry.phoneNumberId), identifiers.map((entry) => entry.person)],
    );
  }
}

/** A person's identifiers and when each was seen, as `persons.identifiers_json` holds them. */
function identifiersJson(keys: readonly (readonly [string, number])[]): string {
  return JSON.stringify([...keys].sort(([a], [b]) => compareKeys(a, b)));
}

/**
 * The batch statement's parts that write people (CTEs, run with the rows they describe): the
 * people the batch creates, and each touched person's winning address-book record, which only
 * rises (the greater of the kept and the batch's).
 */
export function peopleUpserts(s: string, placement: Placement): { table: string; columns: unknown[][]; sql: (p: string[]) => string }[] {
  const parts = [];
  const created = placement.created;
  if (created.length > 0) {
    parts.push({
      table: "people",
      columns: Array.from({ length: 14 }, (_, index) => created.map((row) => row[index])),
      sql: (
        p: string[],
      ) => `INSERT INTO ${s}.persons (phone_number_id, person_id, first_order, identifiers, messages, last_at, last_id_order, last_message_id, last_outbound,
          contact_order, listed, contact, contact_at, identifiers_json)
        SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::bigint[], ${p[2]}::text[], ${p[3]}::integer[], ${p[4]}::integer[], ${p[5]}::bigint[], ${p[6]}::text[], ${p[7]}::text[],
          ${p[8]}::boolean[], ${p[9]}::text[], ${p[10]}::boolean[], ${p[11]}::text[], ${p[12]}::bigint[], ${p[13]}::text[])`,
    });
  }
  const contacts = placement.refresh.filter((entry) => entry.contact !== undefined);
  if (contacts.length > 0) {
    parts.push({
      table: "people_contacts",
      columns: [
        contacts.map((entry) => entry.phoneNumberId),
        contacts.map((entry) => entry.person),
        contacts.map((entry) => entry.contact?.order),
        contacts.map((entry) => entry.contact?.listed),
        contacts.map((entry) => entry.contact?.json),
        contacts.map((entry) => entry.contact?.at),
      ],
      sql: (p: string[]) => `UPDATE ${s}.persons AS p SET contact_order = t.contact_order, listed = t.listed, contact = t.contact, contact_at = t.contact_at
        FROM unnest(${p[0]}::text[], ${p[1]}::bigint[], ${p[2]}::text[], ${p[3]}::boolean[], ${p[4]}::text[], ${p[5]}::bigint[])
          AS t(id, person, contact_order, listed, contact, contact_at)
        WHERE p.phone_number_id = t.id AND p.person_id = t.person AND (p.contact_order IS NULL OR t.contact_order > p.contact_order)`,
    });
  }
  return parts;
}

/** The map key {@link refreshPeople} reads a person's created messages under. */
export function personSlot(phoneNumberId: string, personId: string): string {
  return rowId(phoneNumberId, personId);
}

/**
 * Places the people of data written before version 5 (the migration): per business, the groups
 * its identifiers, links and multi-key messages form, each a person with its summary.
 */
export async function assignPeople(connection: Queryable, s: string): Promise<void> {
  // Every key a message was seen with is an identifier (writers always saw them; this is a guard).
  await connection.query(`INSERT INTO ${s}.identifiers (phone_number_id, key, seen_at)
      SELECT phone_number_id, k, max("timestamp") FROM ${s}.message_records, unnest(keys) AS k GROUP BY 1, 2 ON CONFLICT DO NOTHING`);
  const businesses = await connection.query(`SELECT DISTINCT phone_number_id FROM ${s}.identifiers`);
  for (const { phone_number_id: id } of businesses.rows) {
    const [identifiers, links, shared] = [
      await connection.query(`SELECT key FROM ${s}.identifiers WHERE phone_number_id = $1`, [id]),
      await connection.query(`SELECT a, b FROM ${s}.links WHERE phone_number_id = $1`, [id]),
      await connection.query(`SELECT keys FROM ${s}.message_records WHERE phone_number_id = $1 AND cardinality(keys) > 1`, [id]),
    ];
    const groups = new Groups();
    for (const row of identifiers.rows) groups.add(row.key as string);
    for (const row of links.rows) groups.union(row.a as string, row.b as string);
    for (const row of shared.rows) for (const key of row.keys as string[]) groups.union((row.keys as string[])[0] as string, key);
    const all = groups.all();
    const ids = (await connection.query(`SELECT nextval('${s}.person_ids') AS id FROM generate_series(1, $1)`, [all.length])).rows.map((row) => String(row.id));
    const keys = all.flat();
    const owners = all.flatMap((group, index) => group.map(() => ids[index]));
    await connection.query(
      `UPDATE ${s}.identifiers AS i SET person_id = g.person FROM unnest($2::text[], $3::bigint[]) AS g(key, person) WHERE i.phone_number_id = $1 AND i.key = g.key`,
      [id, keys, owners],
    );
    await connection.query(
      `UPDATE ${s}.message_records AS m SET person_id = i.person_id FROM ${s}.identifiers AS i
        WHERE m.phone_number_id = $1 AND i.phone_number_id = $1 AND i.key = m.list_key`,
      [id],
    );
    const firsts = all.map((group) => group.map(sortableText).reduce((a, b) => (b < a ? b : a)));
    await connection.query(
      `INSERT INTO ${s}.persons (phone_number_id, person_id, first_order, identifiers, messages)
         SELECT $1, g.person, g.first, g.identifiers, (SELECT count(*) FROM ${s}.message_records AS m WHERE m.phone_number_id = $1 AND m.person_id = g.person)
           FROM unnest($2::bigint[], $3::text[], $4::integer[]) AS g(person, first, identifiers)`,
      [id, ids, firsts, all.map((group) => group.length)],
    );
    const refresh = ids.map((person) => ({ phoneNumberId: id as string, person, messages: true, contact: undefined, identifiers: true }));
    await refreshPeople(connection, s, { personOf: () => "", writesIdentifier: () => false, refresh, created: [], messagesRead: true }, new Map());
    await connection.query(
      `UPDATE ${s}.persons AS p SET (contact_order, listed, contact, contact_at) = (
         SELECT c.contact_order, c.removed = 0, c.contact, c."timestamp" FROM ${s}.identifiers AS i JOIN ${s}.contacts AS c ON c.phone_number_id = i.phone_number_id AND c.key = i.key
          WHERE i.phone_number_id = p.phone_number_id AND i.person_id = p.person_id ORDER BY c.contact_order DESC LIMIT 1)
        WHERE p.phone_number_id = $1`,
      [id],
    );
    await connection.query(`UPDATE ${s}.persons SET listed = false WHERE phone_number_id = $1 AND listed IS NULL`, [id]);
  }
}
