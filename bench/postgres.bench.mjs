// The PostgreSQL store on a throwaway cluster: events per second through store.apply in batches,
// as a ratio to a plain INSERT ... ON CONFLICT DO NOTHING of the same rows, in the same run.
import pg from "pg";
import { parseWebhook } from "../dist/index.js";
import { createPostgresStore } from "../dist/postgres/index.js";
import { postgresBin, startCluster } from "../scripts/postgres-cluster.mjs";
import { contactEvents } from "./book.bench.mjs";
import { historyBody } from "./payloads.mjs";
import { line, median } from "./measure.mjs";

const BATCH = 1000;
const ROUNDS = 4;

async function timed(work) {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

export async function runPostgresBench() {
  const bin = postgresBin();
  if (bin === undefined) return [line("postgres: skipped", "PostgreSQL is not installed", "", undefined, true)];
  const cluster = startCluster(bin);
  const pool = new pg.Pool({ ...cluster.info, max: 4 });
  try {
    await pool.query(`CREATE TABLE plain_contacts (phone_number_id text, key text, "timestamp" bigint, contact jsonb, PRIMARY KEY (phone_number_id, key))`);
    await pool.query(
      `CREATE TABLE plain_messages (phone_number_id text, conversation_key text, message_id text, "timestamp" bigint, outbound boolean, content jsonb, PRIMARY KEY (phone_number_id, conversation_key, message_id))`,
    );
    const results = [];

    const events = contactEvents(100_000);
    const plainContacts = async () => {
      for (let at = 0; at < events.length; at += BATCH) {
        const batch = events.slice(at, at + BATCH);
        await pool.query(`INSERT INTO plain_contacts SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::jsonb[]) ON CONFLICT DO NOTHING`, [
          batch.map((e) => e.phoneNumberId),
          batch.map((e) => `p:${e.contact.phoneNumber}`),
          batch.map((e) => e.timestamp),
          batch.map((e) => JSON.stringify(e.contact)),
        ]);
      }
    };
    const [chunk] = parseWebhook(historyBody());
    const messages = chunk.threads.flatMap((thread) => thread.messages.map((message) => [thread.id, message]));
    const plainMessages = async () => {
      for (let at = 0; at < messages.length; at += 4000) {
        const batch = messages.slice(at, at + 4000);
        await pool.query(
          `INSERT INTO plain_messages SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::boolean[], $6::jsonb[]) ON CONFLICT DO NOTHING`,
          [
            batch.map(() => chunk.phoneNumberId),
            batch.map(([id]) => `p:${id}`),
            batch.map(([, m]) => m.id),
            batch.map(([, m]) => m.timestamp),
            batch.map(([, m]) => m.direction === "outbound"),
            // The store keeps each message's content (timelines show it): so does the baseline.
            batch.map(([, m]) => JSON.stringify(m)),
          ],
        );
      }
    };

    // Each round times the plain insert and the store back to back; the ratio printed is the median
    // of the rounds' ratios (as in measure.mjs's compare), the times the best of the rounds.
    const best = { contacts: Infinity, plainContacts: Infinity, chunk: Infinity, plainChunk: Infinity };
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      const times = {};
      const schema = `bench_${round}`;
      const store = createPostgresStore(pool, { schema });
      await store.migrate();
      await pool.query("TRUNCATE plain_contacts, plain_messages");
      times.plainContacts = await timed(plainContacts);
      times.contacts = await timed(async () => {
        for (let at = 0; at < events.length; at += BATCH) await store.apply(events.slice(at, at + BATCH));
      });
      times.plainChunk = await timed(plainMessages);
      times.chunk = await timed(() => store.apply([chunk]));
      for (const name of Object.keys(best)) best[name] = Math.min(best[name], times[name]);
      rounds.push(times);
      const check = await store.getHistorySync(chunk.phoneNumberId);
      if (check.messages !== messages.length) throw new Error(`the store kept ${check.messages} of ${messages.length} history messages`);
    }
    const contactRatio = median(rounds.map((times) => times.plainContacts / times.contacts));
    results.push(
      line(
        `postgres: 100,000 contact events, batches of ${BATCH}`,
        `${Math.round(events.length / best.contacts)} events/s vs plain insert ${Math.round(events.length / best.plainContacts)}/s`,
        `${contactRatio.toFixed(2)}x`,
        ">= 0.5x",
        contactRatio >= 0.5,
      ),
    );
    const chunkRatio = median(rounds.map((times) => times.plainChunk / times.chunk));
    results.push(
      line(
        "postgres: one 12,000-message history chunk",
        `${Math.round(messages.length / best.chunk)} messages/s vs plain insert ${Math.round(messages.length / best.plainChunk)}/s`,
        `${chunkRatio.toFixed(2)}x`,
        ">= 0.5x",
        chunkRatio >= 0.5,
      ),
    );
    return results;
  } finally {
    await pool.end();
    cluster.stop();
  }
}
