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
import { personView, type PersonView } from "../book/queries.js";
import { compareKeys } from "../book/persistent-map.js";
import { lookupKeys } from "../book/identity.js";
import { sortableText, type AtomBatch } from "./atom-batch.js";
import type { Queryable } from "./database.js";

/** A person as the store reads it: the book's view of its identifiers, and its row id. */
export interface StoredPerson extends PersonView {
  readonly id: string;
}

/** A business's key (or message) and the person it belongs to. */
type PersonByName = Map<string, string>;

/** Where each key of a batch belongs, once placed; `touched` are the people the batch writes to. */
export interface Placement {
  personOf(phoneNumberId: string, key: string): string;
  /** Every person the batch touches: `[phoneNumberId, personId]`, sorted. */
  readonly touched: readonly (readonly [string, string])[];
}

/** Why a batch must be placed again with the business locked exclusively. */
export const NEEDS_EXCLUSIVE = Symbol("needs exclusive");

/** `"<length>:<business><name>"`: a map key unique to the pair. */
function scoped(phoneNumberId: string, name: string): string {
  return `${phoneNumberId.length}:${phoneNumberId}${name}`;
}

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
    for (let current = node; current !== root; ) {
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

/** A 32-bit hash of a text (FNV-1a), for an advisory lock key. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash | 0;
}

/** The keys and components of one batch, per business. */
interface BatchIdentity {
  /** Every customer key of the batch: `[phoneNumberId, key, seenAt]`. */
  readonly keys: [string, string, number][];
  /** The batch's message ids: `[phoneNumberId, messageId]`. */
  readonly messages: [string, string][];
  /** Keys the batch says are one person (links, and the keys one message was seen with). */
  readonly groups: Groups;
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
  return { keys, messages, groups };
}

/**
 * Takes the advisory lock of each business of the batch, in one order (shared, or exclusive for a
 * batch that creates or joins people).
 */
async function lockBusinesses(connection: Queryable, schema: string, businesses: readonly string[], exclusive: boolean): Promise<void> {
  const keys = [...new Set(businesses.map(hash32))].sort((a, b) => a - b);
  const lock = exclusive ? "pg_advisory_xact_lock" : "pg_advisory_xact_lock_shared";
  await connection.query(`SELECT ${lock}($1, k) FROM unnest($2::integer[]) WITH ORDINALITY AS locks(k, n) ORDER BY n`, [hash32(schema), keys]);
}

/** The person of each key and message of the batch that the store knows. */
async function readPersons(connection: Queryable, s: string, identity: BatchIdentity): Promise<PersonByName> {
  const { rows } = await connection.query(
    `SELECT i.phone_number_id AS id, i.key AS name, i.person_id, false AS message FROM ${s}.identifiers AS i
        WHERE (i.phone_number_id, i.key) IN (SELECT * FROM unnest($1::text[], $2::text[]))
     UNION ALL
     SELECT m.phone_number_id, m.message_id, m.person_id, true FROM ${s}.message_records AS m
        WHERE (m.phone_number_id, m.message_id) IN (SELECT * FROM unnest($3::text[], $4::text[]))`,
    [identity.keys.map(([id]) => id), identity.keys.map(([, key]) => key), identity.messages.map(([id]) => id), identity.messages.map(([, id]) => id)],
  );
  const persons: PersonByName = new Map();
  for (const row of rows) {
    const name = scoped(row.id as string, row.name as string);
    persons.set(row.message === true ? `m${name}` : name, String(row.person_id));
  }
  return persons;
}

/** A component of the batch: its business, its keys (scoped), and the people its known members belong to. */
interface Component {
  readonly phoneNumberId: string;
  readonly keys: string[];
  readonly persons: Set<string>;
}

function componentsOf(identity: BatchIdentity, persons: PersonByName): Component[] {
  const businessOf = new Map(identity.keys.map(([id, key]) => [scoped(id, key), id]));
  const components: Component[] = [];
  for (const members of identity.groups.all()) {
    const keys = members.filter((member) => !member.startsWith("m"));
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

/** Whether placing the components creates a person, adds an identifier, or joins two people. */
function changesPeople(components: readonly Component[], persons: PersonByName): boolean {
  return components.some((component) => component.persons.size !== 1 || component.keys.some((key) => !persons.has(key)));
}

/** The key a scoped name holds (the part after its business). */
function keyOf(phoneNumberId: string, name: string): string {
  return name.slice(String(phoneNumberId.length).length + 1 + phoneNumberId.length);
}

/**
 * Creates the people and identifiers a batch brings and joins the people it links: run with the
 * businesses locked exclusively. Updates `persons` (name to person) as it goes.
 */
async function changePeople(connection: Queryable, s: string, identity: BatchIdentity, components: readonly Component[], persons: PersonByName) {
  const seenAt = new Map(identity.keys.map(([id, key, seen]) => [scoped(id, key), seen]));
  const changing = components.filter((component) => component.persons.size !== 1 || component.keys.some((key) => !persons.has(key)));
  const involved = [...new Set(changing.flatMap((component) => [...component.persons]))];
  const sizes = new Map<string, { identifiers: number; messages: number; first: string }>();
  if (involved.length > 0) {
    const { rows } = await connection.query(
      `SELECT person_id, identifiers, messages, first_order FROM ${s}.persons WHERE (phone_number_id, person_id) IN (SELECT * FROM unnest($1::text[], $2::bigint[]))`,
      [involved.map((person) => changing.find((component) => component.persons.has(person))?.phoneNumberId), involved],
    );
    for (const row of rows) {
      sizes.set(String(row.person_id), { identifiers: Number(row.identifiers), messages: Number(row.messages), first: row.first_order as string });
    }
  }
  const fresh = changing.filter((component) => component.persons.size === 0);
  const ids =
    fresh.length === 0
      ? []
      : (await connection.query(`SELECT nextval('${s}.person_ids') AS id FROM generate_series(1, $1)`, [fresh.length])).rows.map((row) => String(row.id));
  const created: [string, string, string, number][] = []; // business, person, first order, identifiers
  const merged: [string, string, string][] = []; // business, from person, into person
  const grown: [string, string, string, number, number][] = []; // business, person, first order, identifiers, messages
  const added: [string, string, number, string][] = []; // business, key, seen at, person
  fresh.forEach((component, index) => {
    const id = ids[index] as string;
    const keys = component.keys.map((name) => keyOf(component.phoneNumberId, name));
    let first = sortableText(keys[0] as string);
    for (const key of keys) if (sortableText(key) < first) first = sortableText(key);
    created.push([component.phoneNumberId, id, first, keys.length]);
    for (const name of component.keys) {
      added.push([component.phoneNumberId, keyOf(component.phoneNumberId, name), seenAt.get(name) ?? 0, id]);
      persons.set(name, id);
    }
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
    const total = { ...(sizes.get(into) ?? { identifiers: 0, messages: 0, first: "" }) };
    for (const from of owners.slice(1)) {
      const size = sizes.get(from);
      merged.push([component.phoneNumberId, from, into]);
      if (size !== undefined) {
        total.identifiers += size.identifiers;
        total.messages += size.messages;
        if (size.first < total.first) total.first = size.first;
      }
      for (const [name, person] of persons) if (person === from) persons.set(name, into);
    }
    for (const name of component.keys) {
      if (persons.has(name)) continue;
      const key = keyOf(component.phoneNumberId, name);
      added.push([component.phoneNumberId, key, seenAt.get(name) ?? 0, into]);
      persons.set(name, into);
      total.identifiers += 1;
      if (sortableText(key) < total.first) total.first = sortableText(key);
    }
    grown.push([component.phoneNumberId, into, total.first, total.identifiers, total.messages]);
  }
  const column = <T>(rows: readonly (readonly unknown[])[], index: number) => rows.map((row) => row[index] as T);
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
      `UPDATE ${s}.persons AS p SET first_order = g.first, identifiers = g.identifiers, messages = g.messages
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::integer[], $5::integer[]) AS g(id, person, first, identifiers, messages)
        WHERE p.phone_number_id = g.id AND p.person_id = g.person`,
      [column(grown, 0), column(grown, 1), column(grown, 2), column(grown, 3), column(grown, 4)],
    );
  }
  if (created.length > 0) {
    await connection.query(
      `INSERT INTO ${s}.persons (phone_number_id, person_id, first_order, identifiers) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::integer[])`,
      [column(created, 0), column(created, 1), column(created, 2), column(created, 3)],
    );
  }
  if (added.length > 0) {
    await connection.query(
      `INSERT INTO ${s}.identifiers (phone_number_id, key, seen_at, person_id) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[])`,
      [column(added, 0), column(added, 1), column(added, 2), column(added, 3)],
    );
  }
}

/**
 * Places a batch's keys in people, within the batch's transaction, before its rows are written.
 *
 * @param exclusive - whether the businesses are to be locked exclusively (the second attempt of a
 *   batch that changes people).
 * @returns the placement, or {@link NEEDS_EXCLUSIVE} when the batch changes people but holds the
 *   shared lock (the caller ends this transaction, which wrote nothing, and runs it again).
 */
export async function placeBatch(
  connection: Queryable,
  schema: string,
  batch: AtomBatch,
  exclusive: boolean,
): Promise<Placement | typeof NEEDS_EXCLUSIVE> {
  const s = `"${schema}"`;
  const identity = identityOf(batch);
  // A batch without customer keys (amendments, history progress, a refusal) touches no person.
  if (identity.keys.length === 0) return { personOf: () => "", touched: [] };
  await lockBusinesses(connection, schema, [...new Set(identity.keys.map(([id]) => id))], exclusive);
  const persons = await readPersons(connection, s, identity);
  const components = componentsOf(identity, persons);
  if (changesPeople(components, persons)) {
    if (!exclusive) return NEEDS_EXCLUSIVE;
    await changePeople(connection, s, identity, components, persons);
  }
  const touched = new Map<string, [string, string]>();
  for (const [id, key] of identity.keys) {
    const person = persons.get(scoped(id, key)) as string;
    touched.set(`${id.length}:${id}${person}`, [id, person]);
  }
  const sorted = [...touched.values()].sort(([a, x], [b, y]) => compareKeys(a, b) || Number(BigInt(x) - BigInt(y)));
  if (!exclusive) {
    // Writers sharing the business lock take turns on each person, in person order.
    await connection.query(
      `SELECT 1 FROM ${s}.persons WHERE (phone_number_id, person_id) IN (SELECT * FROM unnest($1::text[], $2::bigint[]))
        ORDER BY phone_number_id, person_id FOR UPDATE`,
      [sorted.map(([id]) => id), sorted.map(([, person]) => person)],
    );
  }
  return { personOf: (id, key) => persons.get(scoped(id, key)) as string, touched: sorted };
}

/**
 * Brings the summaries of the people a batch touched up to date: the message count (by the
 * messages the batch created), the newest message, and whether the join of the person's
 * address-book records is an add (the contact is listed).
 */
export async function refreshPeople(connection: Queryable, s: string, placement: Placement, created: ReadonlyMap<string, number>): Promise<void> {
  if (placement.touched.length === 0) return;
  await connection.query(
    `UPDATE ${s}.persons AS p SET messages = p.messages + t.added,
       (last_at, last_id_order, last_message_id, last_outbound) = (
         SELECT "timestamp", id_order, message_id, outbound FROM ${s}.message_records AS m
          WHERE m.phone_number_id = p.phone_number_id AND m.person_id = p.person_id ORDER BY "timestamp" DESC, id_order DESC LIMIT 1),
       listed = coalesce((
         SELECT c.removed = 0 FROM ${s}.identifiers AS i JOIN ${s}.contacts AS c ON c.phone_number_id = i.phone_number_id AND c.key = i.key
          WHERE i.phone_number_id = p.phone_number_id AND i.person_id = p.person_id ORDER BY c.contact_order DESC LIMIT 1), false)
     FROM unnest($1::text[], $2::bigint[], $3::integer[]) AS t(id, person, added)
     WHERE p.phone_number_id = t.id AND p.person_id = t.person`,
    [
      placement.touched.map(([id]) => id),
      placement.touched.map(([, person]) => person),
      placement.touched.map(([id, person]) => created.get(`${id.length}:${id}${person}`) ?? 0),
    ],
  );
}

/** The map key {@link refreshPeople} reads a person's created messages under. */
export function personSlot(phoneNumberId: string, personId: string): string {
  return `${phoneNumberId.length}:${phoneNumberId}${personId}`;
}

/** The people with these row ids, as the book views them (one index scan of their identifiers). */
export async function peopleByIds(db: Queryable, s: string, phoneNumberId: string, ids: readonly string[]): Promise<Map<string, StoredPerson>> {
  const { rows } = await db.query(`SELECT person_id, key, seen_at FROM ${s}.identifiers WHERE phone_number_id = $1 AND person_id = ANY($2::bigint[])`, [
    phoneNumberId,
    ids,
  ]);
  const keys = new Map<string, string[]>();
  const seen = new Map<string, number>();
  for (const row of rows) {
    const id = String(row.person_id);
    const list = keys.get(id);
    if (list === undefined) keys.set(id, [row.key as string]);
    else list.push(row.key as string);
    seen.set(row.key as string, Number(row.seen_at));
  }
  const people = new Map<string, StoredPerson>();
  for (const [id, list] of keys) people.set(id, { ...personView(list, (key) => seen.get(key) ?? 0), id });
  return people;
}

/** The person `key` names (phone number in any format, user id, or parent user id): an index lookup, then its identifiers. */
export async function personByKey(db: Queryable, s: string, phoneNumberId: string, key: string): Promise<StoredPerson | undefined> {
  const candidates = lookupKeys(key);
  const { rows } = await db.query(
    `SELECT person_id, key, seen_at FROM ${s}.identifiers WHERE phone_number_id = $1 AND person_id = (
       SELECT person_id FROM ${s}.identifiers WHERE phone_number_id = $1 AND key = ANY($2::text[]) ORDER BY array_position($2::text[], key) LIMIT 1)`,
    [phoneNumberId, candidates],
  );
  if (rows.length === 0) return undefined;
  const seen = new Map(rows.map((row) => [row.key as string, Number(row.seen_at)]));
  return { ...personView([...seen.keys()], (each) => seen.get(each) ?? 0), id: String(rows[0]?.person_id) };
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
    await refreshPeople(connection, s, { personOf: () => "", touched: ids.map((person) => [id as string, person] as const) }, new Map());
  }
}
