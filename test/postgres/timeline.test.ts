import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEvents, createContactBook, deserializeBook, listMessages, parseWebhook, type HistoryChunk } from "../../src/index.js";
import { createPostgresStore, type PostgresStore } from "../../src/postgres/index.js";
import { Database } from "../../src/postgres/database.js";
import { migrate } from "../../src/postgres/migrations.js";
import { bookAnswers, LOOKUP_KEYS, pagesOf } from "../support/event-streams.js";
import { fixtureText } from "../support/fixtures.js";
import { cluster, connect } from "../support/postgres.js";
import type pg from "pg";

const BUSINESS = "106540352242922";

/** A history chunk of `count` messages with one customer, known by phone number and BSUID. */
function longHistory(count: number): HistoryChunk {
  const messages = Array.from({ length: count }, (_, index) => ({
    id: `wamid.long.${String(index).padStart(6, "0")}`,
    from: index % 2 === 0 ? "4915100000001" : "15550783881",
    timestamp: 1_700_000_000 + Math.floor(index / 3),
    type: "text" as const,
    text: { body: `message ${index}` },
    direction: index % 2 === 0 ? ("inbound" as const) : ("outbound" as const),
    status: "read",
  }));
  return {
    type: "HistoryChunk",
    source: "meta",
    wabaId: "102290129340398",
    phoneNumberId: BUSINESS,
    phase: 0,
    chunkOrder: 1,
    progress: 100,
    threads: [{ id: "4915100000001", userId: "DE.7000000000000001", messages }],
  };
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Scan Direction"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Shared Hit Blocks": number;
  "Shared Read Blocks": number;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

describe.skipIf(cluster === null)("the PostgreSQL store's timeline", () => {
  let pool: pg.Pool;
  let schema: string;
  let store: PostgresStore;

  beforeAll(async () => {
    ({ pool, schema } = connect(4));
    store = createPostgresStore(pool, { schema });
    await store.migrate();
  });
  afterAll(() => pool?.end());

  it("pages like the book, refuses a bad limit, and gives an empty page for another conversation's message", async () => {
    const events = parseWebhook(fixtureText("meta/conversation-out-of-order.json"));
    await store.apply(events);
    const book = applyEvents(createContactBook(), events);
    for (const limit of [1, 2, 4, 50]) {
      expect(await pagesOf((before) => store.listMessages(BUSINESS, "+34 612 34 56 78", { before, limit }))).toEqual(
        await pagesOf((before) => listMessages(book, BUSINESS, "34612345678", { before, limit })),
      );
    }
    await expect(store.listMessages(BUSINESS, "34612345678", { limit: 0 })).rejects.toThrow(RangeError);
    expect(await store.listMessages(BUSINESS, "34612345678", { before: "wamid.not-here" })).toEqual([]);
    expect(await store.listMessages(BUSINESS, "999", {})).toEqual([]);
  });

  it("reads a page of a 100,000-message conversation with one index range scan of the person's messages (O(page), shown by EXPLAIN)", async () => {
    await store.apply([longHistory(100_000)]);
    await pool.query(`ANALYZE "${schema}".message_records`);
    // Record the statements the store sends, to explain the page query itself.
    const sent: { text: string; values: unknown[] }[] = [];
    const recording = createPostgresStore(
      { query: (text: string, values: unknown[] = []) => (sent.push({ text, values }), pool.query(text, values)) },
      { schema },
    );
    const first = await recording.listMessages(BUSINESS, "DE.7000000000000001", { limit: 50 });
    expect(first.map((entry) => entry.id)).toEqual(Array.from({ length: 50 }, (_, index) => `wamid.long.${String(99_999 - index).padStart(6, "0")}`));
    const middle = await recording.listMessages(BUSINESS, "+49 151 00000001", { before: "wamid.long.050000", limit: 50 });
    expect(middle[0]!.id).toBe("wamid.long.049999");
    const pageQueries = sent.filter((statement) => statement.text.includes("message_edits"));
    expect(pageQueries).toHaveLength(2);
    for (const { text, values } of pageQueries) {
      const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, values);
      const plan = (rows[0]["QUERY PLAN"] as { Plan: PlanNode }[])[0]!.Plan;
      if (process.env.SHOW_PLAN) {
        const shown = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) ${text}`, values);
        console.log([text, ...shown.rows.map((row) => row["QUERY PLAN"])].join("\n"));
      }
      const scans = nodesOf(plan).filter((node) => node["Relation Name"] === "message_records" && node["Index Name"] !== "message_records_pkey");
      // One index scan of the person's messages (whichever identifier named them), reading a page.
      expect(scans.map((scan) => [scan["Node Type"], scan["Index Name"], scan["Scan Direction"]])).toEqual([
        ["Index Scan", "message_records_by_person", "Backward"],
      ]);
      for (const scan of scans) {
        expect(scan["Actual Rows"]).toBeLessThanOrEqual(50);
        expect(scan["Actual Loops"]).toBe(1);
        expect(scan["Shared Hit Blocks"] + scan["Shared Read Blocks"]).toBeLessThan(100);
      }
    }
  }, 120_000);

  it("migrates a version 3 schema with data (a 0.2.0 book's rows): the same answers as that book restored", async () => {
    const { pool: other, schema: old } = connect(2);
    try {
      await migrate(new Database(other), old, 3);
      const v2 = JSON.parse(fixtureText("books/v2-contact-book.json")) as {
        businesses: {
          phoneNumberId: string;
          contacts: { key: string; kind: string; timestamp: number; contact: Record<string, string> }[];
          identifiers: [string, number][];
          people: string[][];
          messages: [string, string, number, string][];
          chunks: string[];
          historyMessages: string[];
          progress: number;
          declined?: object;
        }[];
      };
      for (const business of v2.businesses) {
        const id = business.phoneNumberId;
        for (const { key, kind, timestamp, contact } of business.contacts) {
          const json = JSON.stringify(contact);
          await other.query(`INSERT INTO "${old}".contacts VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
            id,
            key,
            kind === "remove" ? 1 : 0,
            timestamp,
            json,
            contact.userId ?? null,
            json,
          ]);
        }
        for (const [key, seenAt] of business.identifiers) await other.query(`INSERT INTO "${old}".identifiers VALUES ($1, $2, $3)`, [id, key, seenAt]);
        for (const [first, ...rest] of business.people) {
          for (const key of rest) await other.query(`INSERT INTO "${old}".links VALUES ($1, $2, $3)`, [id, first, key]);
        }
        for (const [messageId, key, timestamp, direction] of business.messages) {
          const history = business.historyMessages.includes(messageId);
          await other.query(`INSERT INTO "${old}".message_records VALUES ($1, $2, $3, $4, $5, $6)`, [
            id,
            messageId,
            timestamp,
            direction === "outbound",
            history,
            [key],
          ]);
        }
        for (const chunk of business.chunks)
          await other.query(`INSERT INTO "${old}".history_chunks VALUES ($1, $2, $3)`, [id, ...chunk.split(":").map(Number)]);
        const carried = new Set(business.messages.map(([messageId]) => messageId));
        for (const messageId of business.historyMessages.filter((each) => !carried.has(each))) {
          await other.query(`INSERT INTO "${old}".history_messages VALUES ($1, $2)`, [id, messageId]);
        }
        const declined = business.declined === undefined ? null : JSON.stringify(business.declined);
        await other.query(`INSERT INTO "${old}".history_state VALUES ($1, $2, $3, $4)`, [id, business.progress, declined, declined]);
      }
      const upgraded = createPostgresStore(other, { schema: old });
      expect(await upgraded.migrate()).toEqual([4, 5, 6]);
      const book = deserializeBook(v2);
      const keys = [...LOOKUP_KEYS, "MX.55501234567890123", "US.ENT.11815799212886844830"];
      const answers = bookAnswers(book, keys);
      expect(answers.timelines.flat(3).length).toBeGreaterThan(20);
      const timelines = await Promise.all(
        ["106540352242922", "301928374650192", "unknown-business"].map((business) =>
          Promise.all(keys.map((key) => pagesOf((before) => upgraded.listMessages(business, key, { before, limit: 3 })))),
        ),
      );
      expect(timelines).toEqual(answers.timelines);
      expect(await upgraded.getConversation("106540352242922", "16505551234")).toEqual(answers.perBusiness[0]!.lookups[0]![1]);
    } finally {
      await other.end();
    }
  });
});
