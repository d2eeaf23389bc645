/**
 * Every store query costs O(person + page): the buffers PostgreSQL reads for it (EXPLAIN ANALYZE
 * BUFFERS of every statement it sends) do not grow with the business. Two businesses in one
 * database, one ten times the other (both larger than a page, so each page's rows are spread
 * over the tables), answer the same queries; the large one may read at most twice the small one's
 * buffers (plus a few for a deeper index).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresStore, type PostgresStore, type Queryable } from "../../src/postgres/index.js";
import { grownBusiness } from "../support/grown-business.js";
import { cluster, connect } from "../support/postgres.js";
import type pg from "pg";

const SMALL = "100000000000001";
const LARGE = "100000000000002";

function buffersOf(plan: { "Shared Hit Blocks"?: number; "Shared Read Blocks"?: number }): number {
  return (plan["Shared Hit Blocks"] ?? 0) + (plan["Shared Read Blocks"] ?? 0);
}

describe.skipIf(cluster === null)("the store's query costs", () => {
  let pool: pg.Pool;
  let schema: string;
  let store: PostgresStore;
  let sent: { text: string; values: unknown[] }[] = [];
  let recording: PostgresStore;

  beforeAll(async () => {
    ({ pool, schema } = connect(4));
    store = createPostgresStore(pool, { schema });
    await store.migrate();
    for (const batch of grownBusiness(SMALL, 400, 10)) await store.apply(batch);
    for (const batch of grownBusiness(LARGE, 4000, 10)) await store.apply(batch);
    await pool.query(`ANALYZE`);
    const recorder: Queryable = { query: (text: string, values: unknown[] = []) => (sent.push({ text, values }), pool.query(text, values)) };
    recording = createPostgresStore(recorder, { schema });
  }, 300_000);
  afterAll(() => pool?.end());

  /** The buffers all the statements of one call read. */
  async function cost(call: (store: PostgresStore) => Promise<unknown>): Promise<number> {
    sent = [];
    await call(recording);
    let total = 0;
    for (const { text, values } of sent) {
      const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, values);
      total += buffersOf((rows[0]["QUERY PLAN"] as { Plan: object }[])[0]!.Plan);
    }
    return total;
  }

  /** A cursor deep in a business's conversation list and contact list (half way). */
  async function deepCursors(id: string) {
    const conversations = await store.listConversations(id, { limit: 10_000 });
    const contacts = await store.listContacts(id, { limit: 10_000 });
    return {
      conversation: conversations[Math.floor(conversations.length / 2)]!.cursor,
      contact: contacts[Math.floor(contacts.length / 2)]!.cursor,
    };
  }

  it("reads as many buffers for a business of 4,000 people and 40,000 messages as for one of 400", async () => {
    const queries = async (id: string) => {
      const deep = await deepCursors(id);
      const customer = "+49 15 000000040";
      const timeline = await store.listMessages(id, customer, { limit: 4 });
      return {
        getContact: await cost((s) => s.getContact(id, customer)),
        getIdentity: await cost((s) => s.getIdentity(id, "DE.0000000000000040")),
        getConversation: await cost((s) => s.getConversation(id, customer)),
        getServiceWindow: await cost((s) => s.getServiceWindow(id, customer, 1_700_500_000)),
        listMessagesFirst: await cost((s) => s.listMessages(id, customer, { limit: 4 })),
        listMessagesDeep: await cost((s) => s.listMessages(id, customer, { before: timeline.at(-1)!.id, limit: 4 })),
        listConversationsFirst: await cost((s) => s.listConversations(id, { limit: 20 })),
        listConversationsDeep: await cost((s) => s.listConversations(id, { before: deep.conversation, limit: 20 })),
        listContactsFirst: await cost((s) => s.listContacts(id, { limit: 20 })),
        listContactsDeep: await cost((s) => s.listContacts(id, { after: deep.contact, limit: 20 })),
      };
    };
    const small = await queries(SMALL);
    const large = await queries(LARGE);
    if (process.env.SHOW_PLAN) console.log({ small, large });
    for (const [query, buffers] of Object.entries(large)) {
      const baseline = small[query as keyof typeof small];
      expect(buffers, `${query}: ${buffers} buffers at 4,000 people, ${baseline} at 400`).toBeLessThanOrEqual(2 * baseline + 16);
    }
  }, 300_000);
});
