/**
 * Past one database: businesses spread over three real PostgreSQL clusters by `poolFor`, written
 * by several concurrent writers, each business answering exactly as the book does.
 */
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEvents, createContactBook, parseWebhook, type BookEvent } from "../../src/index.js";
import { createPostgresStore, type PostgresStore } from "../../src/postgres/index.js";
import { postgresBin, startCluster } from "../../scripts/postgres-cluster.mjs";
import { bookAnswers, BUSINESSES, eventsArbitrary, reorderedWithDuplicates } from "../support/event-streams.js";
import { validBodies } from "../support/fixtures.js";
import { cluster, connect, storeAnswers, truncateStore } from "../support/postgres.js";

describe.skipIf(cluster === null)("a store spread over three databases", () => {
  const extra: { stop: () => void }[] = [];
  const pools: pg.Pool[] = [];
  let store: PostgresStore;
  /** Which cluster holds each business: the first business on the second cluster, the second on the third. */
  const home = new Map<string, number>([
    [BUSINESSES[0].phone_number_id, 1],
    [BUSINESSES[1].phone_number_id, 2],
  ]);
  let schema: string;

  beforeAll(async () => {
    const first = connect(4);
    schema = first.schema;
    pools.push(first.pool);
    for (let index = 0; index < 2; index++) {
      const started = startCluster(postgresBin() as string);
      extra.push(started);
      const { host, port, user, database } = started.info;
      pools.push(new pg.Pool({ host, port, user, database, max: 4 }));
    }
    store = createPostgresStore({ pools, poolFor: (phoneNumberId) => pools[home.get(phoneNumberId) ?? 0]! }, { schema });
    expect(await store.migrate()).toEqual([1, 2, 3, 4, 5, 6]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    for (const started of extra) started.stop();
  });

  const reset = () => Promise.all(pools.map((pool) => truncateStore(pool, schema)));

  it("keeps each business in its own database, and answers like the book for the corpus", async () => {
    await reset();
    const events = validBodies().flatMap((fixture) => parseWebhook(fixture.text));
    await store.apply(events);
    expect(await storeAnswers(store)).toEqual(bookAnswers(applyEvents(createContactBook(), events)));
    // The first business's rows are in the second cluster alone.
    const counts = await Promise.all(
      pools.map(async (pool) =>
        Number(
          (await pool.query(`SELECT count(*) AS n FROM "${schema}".message_records WHERE phone_number_id = $1`, [BUSINESSES[0].phone_number_id])).rows[0].n,
        ),
      ),
    );
    expect(counts[0]).toBe(0);
    expect(counts[1]).toBeGreaterThan(0);
    expect(counts[2]).toBe(0);
  });

  it("random streams from 3 concurrent writers in random batches give exactly the book's answers", async () => {
    const scenario = eventsArbitrary.chain((events) =>
      reorderedWithDuplicates(events).chain((stream) =>
        fc.tuple(fc.constant(events), fc.constant(stream), fc.array(fc.nat({ max: 2 }), { minLength: stream.length, maxLength: stream.length })),
      ),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ([events, stream, workerOf]) => {
        await reset();
        const lanes: BookEvent[][] = [[], [], []];
        stream.forEach((event, index) => lanes[workerOf[index]!]!.push(event));
        await Promise.all(
          lanes.map(async (lane) => {
            for (let at = 0; at < lane.length; at += 3) await store.apply(lane.slice(at, at + 3));
          }),
        );
        expect(await storeAnswers(store)).toEqual(bookAnswers(applyEvents(createContactBook(), events)));
      }),
      { numRuns: 15 },
    );
  }, 120_000);

  it("refuses a poolFor that names a database outside pools", async () => {
    const stray = createPostgresStore({ pools: [pools[0]!], poolFor: () => pools[1]! }, { schema });
    await expect(stray.getContact("1", "2")).rejects.toThrow(/not in `pools`/);
    expect(() => createPostgresStore({ pools: [], poolFor: () => pools[0]! })).toThrow(/give every database/);
  });
});
