// The inbox at scale: one business grown to 10k, 100k and 1M messages (1k, 10k and 100k people,
// one of them with a tenth of all messages), in the PostgreSQL store beside hand-written indexed
// queries on plain tables with the same rows, and in the book. Each query's p50 and p99 over many
// calls; the bars are ratios in this run: the store's p99 at 1M against its p99 at 10k, each store
// page against the plain query, the book's pages at 1M against 10k, and the store's writes of the
// last 100k messages (into a full store) against plain inserts of the same rows.
import pg from "pg";
import { applyEvents, createContactBook, getContact, getConversation, listContacts, listConversations, listMessages } from "../dist/index.js";
import { createPostgresStore } from "../dist/postgres/index.js";
import { postgresBin, startCluster } from "../scripts/postgres-cluster.mjs";
import { line } from "./measure.mjs";

const BUSINESS = "106540352242922";
const CHECKPOINTS = process.env.SCALE_QUICK ? [10_000, 20_000, 100_000] : [10_000, 100_000, 1_000_000];
const PER_PERSON = 10;
const PEOPLE_PER_BATCH = 100;
const SAMPLES = 300;
const PAGE = 50;

const phoneOf = (person) => `4915${String(person).padStart(9, "0")}`;

/**
 * The events of people `from` to `to` (exclusive) as batches: each person in the address book and
 * a history thread of ten messages; person 0 (the busy customer) gets as many more messages as the
 * others together have, divided by nine, so it holds a tenth of all messages.
 */
function* batchesOf(from, to) {
  for (let start = from; start < to; start += PEOPLE_PER_BATCH) {
    const events = [];
    const threads = [];
    for (let person = start; person < Math.min(to, start + PEOPLE_PER_BATCH); person++) {
      const phone = phoneOf(person);
      events.push({
        type: "ContactAdded",
        source: "meta",
        phoneNumberId: BUSINESS,
        contact: { phoneNumber: phone, userId: `DE.${String(person).padStart(16, "0")}`, fullName: `Customer ${person}` },
        timestamp: 1_700_000_000 + person,
      });
      const messages = [];
      for (let index = 0; index < PER_PERSON; index++) {
        messages.push({
          id: `wamid.${person}.${index}`,
          from: index % 2 === 0 ? phone : "15550783881",
          to: index % 2 === 0 ? "15550783881" : phone,
          timestamp: 1_700_000_000 + ((person * 7919 + index * 104_729) % 15_000_000),
          type: "text",
          text: { body: `message ${index} with customer ${person}` },
          direction: index % 2 === 0 ? "inbound" : "outbound",
        });
      }
      threads.push({ id: phone, messages });
    }
    // The busy customer: one more message for every nine of the others'.
    const busy = [];
    for (let index = 0; index < ((Math.min(to, start + PEOPLE_PER_BATCH) - start) * PER_PERSON) / 9; index++) {
      const n = start * 2 + index;
      busy.push({
        id: `wamid.busy.${start}.${index}`,
        from: phoneOf(0),
        to: "15550783881",
        timestamp: 1_700_000_000 + ((n * 15_485_863) % 15_000_000),
        type: "text",
        text: { body: `busy ${n}` },
        direction: "inbound",
      });
    }
    threads.push({ id: phoneOf(0), messages: busy });
    events.push({ type: "HistoryChunk", source: "meta", phoneNumberId: BUSINESS, phase: 0, chunkOrder: start + 1, progress: 50, threads });
    yield events;
  }
}

/** The rows a hand-written store would write for the same events. */
function plainRows(events) {
  const contacts = events.filter((event) => event.type === "ContactAdded");
  const messages = events
    .filter((event) => event.type === "HistoryChunk")
    .flatMap((chunk) => chunk.threads.flatMap((thread) => thread.messages.map((m) => [thread.id, m])));
  return { contacts, messages };
}

async function writePlain(pool, events) {
  const { contacts, messages } = plainRows(events);
  await pool.query(`INSERT INTO plain_contacts SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[]) ON CONFLICT DO NOTHING`, [
    contacts.map(() => BUSINESS),
    contacts.map((event) => `p:${event.contact.phoneNumber}`),
    contacts.map((event) => JSON.stringify(event.contact)),
  ]);
  await pool.query(
    `INSERT INTO plain_messages SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::boolean[], $6::jsonb[]) ON CONFLICT DO NOTHING`,
    [
      messages.map(() => BUSINESS),
      messages.map(([, m]) => m.id),
      messages.map(([thread]) => `p:${thread}`),
      messages.map(([, m]) => m.timestamp),
      messages.map(([, m]) => m.direction === "outbound"),
      messages.map(([, m]) => JSON.stringify(m)),
    ],
  );
}

/** The plain conversation list, derived once the messages are in (a hand-written store would keep it as it writes). */
async function derivePlainConversations(pool) {
  await pool.query("TRUNCATE plain_conversations");
  await pool.query(`INSERT INTO plain_conversations SELECT DISTINCT ON (phone_number_id, conversation_key) phone_number_id, conversation_key, "timestamp", message_id
      FROM plain_messages ORDER BY phone_number_id, conversation_key, "timestamp" DESC, message_id DESC`);
  await pool.query("ANALYZE");
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/** p50 and p99 (ms) of each named query, sampled interleaved (so a noisy moment hits all of them). */
async function sample(queries, samples = SAMPLES) {
  const times = Object.fromEntries(Object.keys(queries).map((name) => [name, []]));
  for (let round = 0; round < samples; round++) {
    for (const [name, query] of Object.entries(queries)) {
      const started = performance.now();
      await query(round);
      times[name].push(performance.now() - started);
    }
  }
  return Object.fromEntries(
    Object.entries(times).map(([name, list]) => {
      const sorted = list.sort((a, b) => a - b);
      return [name, { p50: percentile(sorted, 50), p99: percentile(sorted, 99) }];
    }),
  );
}

const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(0)}µs` : `${ms.toFixed(2)}ms`);

export async function runScaleBench() {
  const bin = postgresBin();
  if (bin === undefined) return [line("scale: skipped", "PostgreSQL is not installed", "", undefined, true)];
  const cluster = startCluster(bin);
  const pool = new pg.Pool({ ...cluster.info, max: 4 });
  const results = [];
  try {
    await pool.query(`CREATE TABLE plain_contacts (phone_number_id text, key text COLLATE "C", contact jsonb, PRIMARY KEY (phone_number_id, key));
      CREATE TABLE plain_messages (phone_number_id text, message_id text, conversation_key text, "timestamp" bigint, outbound boolean, content jsonb,
        PRIMARY KEY (phone_number_id, message_id));
      CREATE INDEX plain_messages_page ON plain_messages (phone_number_id, conversation_key, "timestamp", message_id);
      CREATE TABLE plain_conversations (phone_number_id text, conversation_key text, last_at bigint, last_id text COLLATE "C", PRIMARY KEY (phone_number_id, conversation_key));
      CREATE INDEX plain_conversations_page ON plain_conversations (phone_number_id, last_at, last_id);`);
    const store = createPostgresStore(pool, { schema: "scale" });
    await store.migrate();
    let people = 0;
    const perCheckpoint = [];
    let lastSegment;
    for (const messages of CHECKPOINTS) {
      const target = Math.round((messages * 9) / 10 / PER_PERSON);
      // The last 100k messages into a store already holding 900k: the write bar.
      const timed = messages === CHECKPOINTS.at(-1) ? target - 10_000 : target;
      for (const batch of batchesOf(people, timed)) await store.apply(batch);
      for (const batch of batchesOf(people, timed)) await writePlain(pool, batch);
      if (timed !== target) {
        let storeTime = 0;
        let plainTime = 0;
        for (const batch of batchesOf(timed, target)) {
          let started = performance.now();
          await store.apply(batch);
          storeTime += performance.now() - started;
          started = performance.now();
          await writePlain(pool, batch);
          plainTime += performance.now() - started;
        }
        lastSegment = { messages: ((target - timed) * PER_PERSON * 10) / 9, storeTime, plainTime };
      }
      people = target;
      await derivePlainConversations(pool);
      perCheckpoint.push(await measureStore(pool, store, people));
    }
    const [small, , large] = perCheckpoint;
    for (const name of Object.keys(large.store)) {
      const growth = large.store[name].p99 / small.store[name].p99;
      const vsPlain = large.store[name].p50 / large.plain[name].p50;
      results.push(
        line(
          `scale: store ${name}`,
          `p50/p99 ${perCheckpoint.map((at) => `${fmt(at.store[name].p50)}/${fmt(at.store[name].p99)}`).join(", ")}`,
          `${growth.toFixed(2)}x`,
          "p99 1M/10k <= 2x",
          growth <= 2,
        ),
        line(`scale: store ${name} vs plain query, at 1M`, `plain p50 ${fmt(large.plain[name].p50)}`, `${vsPlain.toFixed(2)}x`, "<= 2x", vsPlain <= 2),
      );
    }
    const writes = lastSegment.messages / (lastSegment.storeTime / 1000);
    const writeRatio = lastSegment.plainTime / lastSegment.storeTime;
    results.push(
      line(
        "scale: store writes, 900k to 1M messages",
        `${Math.round(writes)} messages/s vs plain ${Math.round(lastSegment.messages / (lastSegment.plainTime / 1000))}/s`,
        `${writeRatio.toFixed(2)}x`,
        ">= 0.5x and >= 38k/s",
        writeRatio >= 0.5 && writes >= 38_000,
      ),
    );
    results.push(...measureBook());
    return results;
  } finally {
    await pool.end();
    cluster.stop();
  }
}

/** The store's queries and the plain ones, at the current size. */
async function measureStore(pool, store, people) {
  const person = (round) => phoneOf(1 + ((round * 7919) % (people - 1)));
  const busy = phoneOf(0);
  const { rows: middle } = await pool.query(
    `SELECT (SELECT last_at || ':' || last_id FROM plain_conversations WHERE phone_number_id = $1 ORDER BY last_at DESC, last_id DESC OFFSET $2 LIMIT 1) AS conversation,
            (SELECT key FROM plain_contacts WHERE phone_number_id = $1 ORDER BY key OFFSET $2 LIMIT 1) AS contact,
            (SELECT "timestamp" || ':' || message_id FROM plain_messages WHERE phone_number_id = $1 AND conversation_key = $3
              ORDER BY "timestamp" DESC, message_id DESC OFFSET (SELECT count(*) / 2 FROM plain_messages WHERE phone_number_id = $1 AND conversation_key = $3) LIMIT 1) AS message`,
    [BUSINESS, Math.floor(people / 2), `p:${busy}`],
  );
  const { conversation, contact, message } = middle[0];
  const [messageAt, messageId] = [Number(message.slice(0, message.indexOf(":"))), message.slice(message.indexOf(":") + 1)];
  const [conversationAt, conversationId] = [Number(conversation.slice(0, conversation.indexOf(":"))), conversation.slice(conversation.indexOf(":") + 1)];
  const plain = (text, values) => pool.query(text, values);
  const measured = await sample({
    "store getContact": (round) => store.getContact(BUSINESS, person(round)),
    "plain getContact": (round) => plain(`SELECT * FROM plain_contacts WHERE phone_number_id = $1 AND key = $2`, [BUSINESS, `p:${person(round)}`]),
    "store getConversation": (round) => store.getConversation(BUSINESS, person(round)),
    "plain getConversation": (round) =>
      plain(
        `SELECT *, (SELECT count(*) FROM plain_messages m WHERE m.phone_number_id = c.phone_number_id AND m.conversation_key = c.conversation_key) FROM plain_conversations c WHERE phone_number_id = $1 AND conversation_key = $2`,
        [BUSINESS, `p:${person(round)}`],
      ),
    "store listMessages first page": () => store.listMessages(BUSINESS, busy, { limit: PAGE }),
    "plain listMessages first page": () =>
      plain(`SELECT * FROM plain_messages WHERE phone_number_id = $1 AND conversation_key = $2 ORDER BY "timestamp" DESC, message_id DESC LIMIT $3`, [
        BUSINESS,
        `p:${busy}`,
        PAGE,
      ]),
    "store listMessages deep page": () => store.listMessages(BUSINESS, busy, { before: messageId, limit: PAGE }),
    "plain listMessages deep page": () =>
      plain(
        `SELECT * FROM plain_messages WHERE phone_number_id = $1 AND conversation_key = $2 AND ("timestamp", message_id) < ($3, $4) ORDER BY "timestamp" DESC, message_id DESC LIMIT $5`,
        [BUSINESS, `p:${busy}`, messageAt, messageId, PAGE],
      ),
    "store listConversations first page": () => store.listConversations(BUSINESS, { limit: PAGE }),
    "plain listConversations first page": () =>
      plain(`SELECT * FROM plain_conversations WHERE phone_number_id = $1 ORDER BY last_at DESC, last_id DESC LIMIT $2`, [BUSINESS, PAGE]),
    "store listConversations deep page": () => store.listConversations(BUSINESS, { before: `${conversationAt}:${conversationId}`, limit: PAGE }),
    "plain listConversations deep page": () =>
      plain(`SELECT * FROM plain_conversations WHERE phone_number_id = $1 AND (last_at, last_id) < ($2, $3) ORDER BY last_at DESC, last_id DESC LIMIT $4`, [
        BUSINESS,
        conversationAt,
        conversationId,
        PAGE,
      ]),
    "store listContacts deep page": () => store.listContacts(BUSINESS, { after: contact, limit: PAGE }),
    "plain listContacts deep page": () =>
      plain(`SELECT * FROM plain_contacts WHERE phone_number_id = $1 AND key > $2 ORDER BY key LIMIT $3`, [BUSINESS, contact, PAGE]),
  });
  const split = { store: {}, plain: {} };
  for (const [name, value] of Object.entries(measured)) split[name.slice(0, name.indexOf(" "))][name.slice(name.indexOf(" ") + 1)] = value;
  return split;
}

/** The book's pages at 10k and at 1M messages: the same calls, the growth of their p50. */
function measureBook() {
  const books = [10_000, 1_000_000].map((messages) => {
    const people = Math.round((messages * 9) / 10 / PER_PERSON);
    let book = createContactBook();
    for (const batch of batchesOf(0, people)) book = applyEvents(book, batch);
    return { book, people };
  });
  const timings = books.map(({ book, people }) => {
    const busy = phoneOf(0);
    const timeline = listMessages(book, BUSINESS, busy, { limit: 100_000 });
    const deepMessage = timeline[Math.floor(timeline.length / 2)].id;
    const deepConversation = listConversations(book, BUSINESS, { limit: Math.floor(people / 2) }).at(-1).cursor;
    const deepContact = listContacts(book, BUSINESS, { limit: Math.floor(people / 2) }).at(-1).cursor;
    const person = (round) => phoneOf(1 + ((round * 7919) % (people - 1)));
    const calls = {
      getContact: (round) => getContact(book, BUSINESS, person(round)),
      getConversation: (round) => getConversation(book, BUSINESS, person(round)),
      "listMessages first page": () => listMessages(book, BUSINESS, busy, { limit: PAGE }),
      "listMessages deep page": () => listMessages(book, BUSINESS, busy, { before: deepMessage, limit: PAGE }),
      "listConversations first page": () => listConversations(book, BUSINESS, { limit: PAGE }),
      "listConversations deep page": () => listConversations(book, BUSINESS, { before: deepConversation, limit: PAGE }),
      "listContacts deep page": () => listContacts(book, BUSINESS, { after: deepContact, limit: PAGE }),
    };
    const out = {};
    // Each sample times 20 calls (a single call of a few µs is below the clock's resolution).
    const CALLS = 20;
    for (const [name, call] of Object.entries(calls)) {
      const list = [];
      for (let round = 0; round < SAMPLES; round++) {
        const started = performance.now();
        for (let index = 0; index < CALLS; index++) call(round * CALLS + index);
        list.push((performance.now() - started) / CALLS);
      }
      list.sort((a, b) => a - b);
      out[name] = percentile(list, 50);
    }
    return out;
  });
  const [small, large] = timings;
  // The bar is on pages (O(log n + page)); a single lookup of a few µs is shown beside them: at 1M
  // messages the book no longer fits in the CPU's caches, and a lookup waits on memory.
  return Object.keys(small).map((name) => {
    const growth = large[name] / small[name];
    const page = name.startsWith("list");
    return line(
      `scale: book ${name}`,
      `p50 ${fmt(small[name])} at 10k, ${fmt(large[name])} at 1M`,
      `${growth.toFixed(2)}x`,
      page ? "<= 2x" : undefined,
      growth <= 2,
    );
  });
}
