import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyEvents,
  historyRetained,
  personErased,
  createContactBook,
  deserializeBook,
  foldEvents,
  getContact,
  getConversation,
  listMessages,
  parseChange,
  parseWebhook,
  safeParseChange,
  type BookEvent,
} from "../../src/index.js";
import { createPostgresStore, type PostgresStore } from "../../src/postgres/index.js";
import { sortableText } from "../../src/postgres/atom-batch.js";
import { MAX_ID_BYTES } from "../../src/core/normalize.js";
import { Database, type ConnectionPool } from "../../src/postgres/database.js";
import { migrate } from "../../src/postgres/migrations.js";
import { bookAnswers, BUSINESSES, eventsArbitrary, LOOKUP_KEYS, reorderedWithDuplicates } from "../support/event-streams.js";
import { fixtureText, validBodies } from "../support/fixtures.js";
import { cluster, connect, storeAnswers, truncateStore } from "../support/postgres.js";
import { RULE_PINS } from "../support/rule-pins.js";

describe.skipIf(cluster === null)("the PostgreSQL store", () => {
  let pool: pg.Pool;
  let schema: string;
  let store: PostgresStore;

  beforeAll(async () => {
    ({ pool, schema } = connect(8));
    store = createPostgresStore(pool, { schema });
    await store.migrate();
  });
  afterAll(() => pool?.end());

  const reset = () => truncateStore(pool, schema);

  it("used before migrate(), it says to call store.migrate() first", async () => {
    const { pool: other, schema: fresh } = connect(1);
    const unmigrated = createPostgresStore(other, { schema: fresh });
    await expect(unmigrated.getContact("1", "16505551234")).rejects.toThrow(/call store\.migrate\(\) first .* does not exist/);
    await expect(unmigrated.apply(parseWebhook(fixtureText("meta/echo-text.json")))).rejects.toThrow(/call store\.migrate\(\) first/);
    await other.end();
  });

  it("migrations are versioned, idempotent and safe to run concurrently", async () => {
    const { pool: other, schema: fresh } = connect(4);
    const stores = [0, 1, 2, 3].map(() => createPostgresStore(other, { schema: fresh }));
    const applied = await Promise.all(stores.map((each) => each.migrate()));
    expect(applied.flat()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await stores[0]!.migrate()).toEqual([]);
    const { rows } = await other.query(`SELECT version FROM "${fresh}".migrations ORDER BY version`);
    expect(rows).toEqual([1, 2, 3, 4, 5, 6].map((version) => ({ version })));
    await other.end();
  });

  it("answers like the book for the whole fixture corpus, in any order", async () => {
    await reset();
    const events = validBodies().flatMap((fixture) => parseWebhook(fixture.text));
    await store.apply([...events].reverse());
    await store.apply(events.slice(0, 10));
    const keys = [...LOOKUP_KEYS, "+1 (650) 555-1234", "5521998877665", "MX.55501234567890123"];
    expect(await storeAnswers(store, keys)).toEqual(bookAnswers(applyEvents(createContactBook(), events), keys));
  });

  it("retains like the book: the corpus, a horizon in its midst, and the corpus again (a retry of every body)", async () => {
    await reset();
    const events = validBodies().flatMap((fixture) => parseWebhook(fixture.text));
    const retained = [historyRetained("106540352242922", { before: 1739321000 }), historyRetained("301928374650192", { before: 1739230150 })];
    await store.apply(events);
    await store.apply(retained);
    await store.apply([...events].reverse());
    const keys = [...LOOKUP_KEYS, "+1 (650) 555-1234", "5521998877665", "MX.55501234567890123"];
    const book = applyEvents(createContactBook(), [...events, ...retained]);
    expect(await storeAnswers(store, keys)).toEqual(bookAnswers(book, keys));
    expect(bookAnswers(book, keys)).not.toEqual(bookAnswers(applyEvents(createContactBook(), events), keys));
  });

  it("erases like the book: the corpus, a customer erased in its midst, the corpus again (Meta's retries), and the customer back", async () => {
    await reset();
    const events = validBodies().flatMap((fixture) => parseWebhook(fixture.text));
    const erasure = personErased("106540352242922", "+1 (650) 555-1234", 1_739_321_500);
    const back = parseChange(
      {
        field: "messages",
        value: {
          messaging_product: "whatsapp",
          metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
          messages: [{ from: "16505551234", id: "wamid.back", timestamp: "1739600000", type: "text", text: { body: "again" } }],
        },
      },
      { wabaId: "102290129340398" },
    );
    await store.apply(events.slice(0, 40));
    await store.apply([erasure]);
    await store.apply(events);
    await store.apply([...events].reverse());
    await store.apply(back);
    const keys = [...LOOKUP_KEYS, "+1 (650) 555-1234", "5521998877665", "MX.55501234567890123"];
    const book = applyEvents(createContactBook(), [...events, erasure, ...back]);
    expect(await storeAnswers(store, keys)).toEqual(bookAnswers(book, keys));
    // Back after the erasure: she shows again, with what was seen of her since.
    expect((await store.getIdentity("106540352242922", "16505551234"))?.phoneNumbers).toContain("16505551234");
    expect(await store.listMessages("106540352242922", "16505551234", { limit: 1 })).toMatchObject([{ id: "wamid.back" }]);
  });

  it("random streams applied by 4 concurrent connections in random batches give exactly the book's answers", async () => {
    const scenario = eventsArbitrary.chain((events) =>
      fc.tuple(
        fc.constant(events),
        reorderedWithDuplicates(events).chain((stream) =>
          fc.tuple(
            fc.constant(stream),
            fc.array(fc.nat({ max: 3 }), { minLength: stream.length, maxLength: stream.length }),
            fc.array(fc.integer({ min: 1, max: 4 }), { minLength: stream.length, maxLength: stream.length }),
          ),
        ),
      ),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ([events, [stream, workerOf, batchSizes]]) => {
        await reset();
        const lanes: BookEvent[][] = [[], [], [], []];
        stream.forEach((event, index) => lanes[workerOf[index]!]!.push(event));
        await Promise.all(
          lanes.map(async (lane, worker) => {
            for (let at = 0; at < lane.length;) {
              const size = batchSizes[(at + worker) % batchSizes.length] ?? 1;
              await store.apply(lane.slice(at, at + size));
              at += size;
            }
          }),
        );
        expect(await storeAnswers(store)).toEqual(bookAnswers(applyEvents(createContactBook(), events)));
      }),
      { numRuns: 150 },
    );
  }, 180_000);

  it("two groups of one batch that the store keeps in one person are placed as one (a join and a growth of it, found by a longer run of the concurrency property)", async () => {
    await reset();
    const business = { source: "meta", wabaId: "102290129340398", phoneNumberId: "301928374650192", displayPhoneNumber: "447700900123" } as const;
    const received = (id: string, from: string): BookEvent => ({
      type: "MessageReceived",
      ...business,
      message: { id, from, timestamp: 4, type: "text", text: { body: "hi" } },
    });
    const first = [received("wamid.9", "16505551234"), received("wamid.11", "5511987654321")];
    // One thread links a new user id to 16505551234; the other says wamid.9 (16505551234's) was sent to 5511987654321.
    const chunk: BookEvent = {
      type: "HistoryChunk",
      ...business,
      phase: 0,
      chunkOrder: 1,
      progress: 0,
      threads: [
        {
          userId: "US.13491208655302741918",
          messages: [{ id: "wamid.7", from: "16505551234", timestamp: 3, type: "text", text: { body: "old" }, direction: "inbound", status: "delivered" }],
        },
        {
          id: "5511987654321",
          messages: [{ id: "wamid.9", from: "447700900123", timestamp: 4, type: "text", text: { body: "old" }, direction: "outbound", status: "delivered" }],
        },
      ],
    };
    await store.apply(first);
    await store.apply([chunk]);
    const keys = ["16505551234", "5511987654321", "US.13491208655302741918"];
    expect(await store.getIdentity(business.phoneNumberId, "US.13491208655302741918")).toMatchObject({ phoneNumbers: keys.slice(0, 2), userIds: [keys[2]] });
    expect(await storeAnswers(store, keys)).toEqual(bookAnswers(applyEvents(createContactBook(), [...first, chunk]), keys));
  });

  it("a batch that must wait for its businesses keeps the link a message dropped meanwhile makes (the race a CI run found)", async () => {
    await reset();
    const business = { source: "meta", wabaId: "102290129340398", phoneNumberId: "106540352242922", displayPhoneNumber: "15550783881" } as const;
    const [parent, userId] = ["BR.ENT.6000000000000001", "US.13491208655302741918"];
    const retained = historyRetained(business.phoneNumberId, { before: 4 });
    const received: BookEvent = {
      type: "MessageReceived",
      ...business,
      message: { id: "wamid.10", fromParentUserId: parent, timestamp: 3, type: "text", text: { body: "hi" } },
    };
    const echoed: BookEvent = {
      type: "MessageEchoed",
      ...business,
      message: { id: "wamid.10", from: "15550783881", toUserId: userId, timestamp: 2, type: "text", text: { body: "ok" } },
    };
    await store.apply([retained]);
    // The echo's first attempt finds its message past the horizon while another writer shares the
    // business (a side connection holds the lock), gives way, and before it tries again alone, the
    // received piece of the same message is dropped under the parent user id.
    const side = await pool.connect();
    const steps: string[] = [];
    const racing = hookedPool(pool, {
      before: async (text, values) => {
        if (!text.includes("pg_try_advisory_xact_lock") || steps.length > 0) return;
        await side.query("SELECT pg_advisory_lock_shared($1, k) FROM unnest($2::integer[]) AS k", values);
        steps.push("shared by another writer");
      },
      after: async (text) => {
        if (text !== "COMMIT" || steps.length !== 1) return;
        await side.query("SELECT pg_advisory_unlock_all()");
        await store.apply([received]);
        steps.push("dropped under the parent id");
      },
    });
    try {
      await createPostgresStore(racing, { schema }).apply([echoed]);
    } finally {
      side.release();
    }
    expect(steps).toEqual(["shared by another writer", "dropped under the parent id"]);
    expect(await store.getIdentity(business.phoneNumberId, userId)).toMatchObject({ userIds: [userId], parentUserIds: [parent] });
    const keys = [parent, userId];
    expect(await storeAnswers(store, keys)).toEqual(bookAnswers(applyEvents(createContactBook(), [retained, received, echoed]), keys));
  });

  it("migrates a version 1 schema with data: the same answers as the book migrated from the same data", async () => {
    const { pool: other, schema: old } = connect(2);
    try {
      await migrate(new Database(other), old, 1);
      const v1 = JSON.parse(fixtureText("books/v1-contact-book.json")) as {
        businesses: Record<
          string,
          {
            contacts: { key: string; kind: string; timestamp: number; contact: Record<string, string> }[];
            messages: [string, string, number, string][];
            chunks: string[];
            historyMessages: string[];
            progress: number;
            declined?: object;
          }
        >;
      };
      for (const [id, business] of Object.entries(v1.businesses)) {
        for (const { key, kind, timestamp, contact } of business.contacts) {
          await other.query(`INSERT INTO "${old}".contacts VALUES ($1, $2, $3, $4, $5, $6)`, [
            id,
            key,
            kind === "remove" ? 1 : 0,
            timestamp,
            sortableText(JSON.stringify(contact)),
            contact.userId ?? null,
          ]);
        }
        for (const [conversation, messageId, timestamp, direction] of business.messages) {
          const history = business.historyMessages.includes(messageId);
          await other.query(`INSERT INTO "${old}".messages VALUES ($1, $2, $3, $4, $5, $6)`, [
            id,
            conversation,
            messageId,
            timestamp,
            direction === "outbound",
            history,
          ]);
        }
        for (const chunk of business.chunks)
          await other.query(`INSERT INTO "${old}".history_chunks VALUES ($1, $2, $3)`, [id, ...chunk.split(":").map(Number)]);
        const carried = new Set(business.messages.map(([, messageId]) => messageId));
        for (const messageId of business.historyMessages.filter((each) => !carried.has(each))) {
          await other.query(`INSERT INTO "${old}".history_messages VALUES ($1, $2)`, [id, messageId]);
        }
        await other.query(`INSERT INTO "${old}".history_state VALUES ($1, $2, $3)`, [
          id,
          business.progress,
          business.declined === undefined ? null : JSON.stringify(business.declined),
        ]);
      }
      const upgraded = createPostgresStore(other, { schema: old });
      expect(await upgraded.migrate()).toEqual([2, 3, 4, 5, 6]);
      const book = deserializeBook(v1);
      const keys = [...LOOKUP_KEYS, "MX.55501234567890123", "US.ENT.11815799212886844830"];
      expect(await storeAnswers(upgraded, keys)).toEqual(bookAnswers(book, keys));
      expect((await storeAnswers(upgraded, keys)).perBusiness[0]?.contacts.length).toBeGreaterThan(3);
    } finally {
      await other.end();
    }
  });

  it("takes every event the book takes: ids with NUL or unpaired surrogates and out-of-range numbers never reach it", async () => {
    await reset();
    const business = BUSINESSES[0];
    const [stateSync, echoes, history] = [
      {
        field: "smb_app_state_sync",
        value: {
          metadata: business,
          state_sync: [
            {
              type: "contact",
              contact: { full_name: "Nul\u0000 in a name is fine", phone_number: "16505551234", user_id: "US.\u0000" },
              action: "add",
              metadata: { timestamp: 1 },
            },
            {
              type: "contact",
              contact: { full_name: "Lone \uD800 surrogate in a name", phone_number: "", user_id: "BR.\uD800" },
              action: "add",
              metadata: { timestamp: 1 },
            },
            {
              type: "contact",
              contact: { full_name: "Lone \uDBFF surrogate", phone_number: "", user_id: "BR.\uDBFF" },
              action: "add",
              metadata: { timestamp: 1 },
            },
            { type: "contact", contact: { full_name: "Good", phone_number: "5511987654321" }, action: "add", metadata: { timestamp: 1 } },
          ],
        },
      },
      {
        field: "smb_message_echoes",
        value: {
          metadata: business,
          message_echoes: [
            { from: "1", to: "16505551234", id: "wamid.\u0000", timestamp: 2, type: "text", text: { body: "x" } },
            { from: "1", to: "16505551234", id: "wamid.\uDC00", timestamp: 2, type: "text", text: { body: "x" } },
            { from: "1", to: "16505551234", id: "wamid.good", timestamp: 2, type: "text", text: { body: "x\u0000" } },
          ],
        },
      },
      { field: "history", value: { metadata: business, history: [{ metadata: { phase: 0, chunk_order: 99999999999, progress: 4294967296 }, threads: [] }] } },
    ].map((change) => safeParseChange(change, { wabaId: "1" }));
    for (const result of [stateSync!, echoes!, history!]) expect(result.success).toBe(false); // each refusal is an issue
    const events = [stateSync!, echoes!, history!].flatMap((result) => result.events);
    expect(events.length).toBeGreaterThan(3);
    await store.apply(events);
    expect(await storeAnswers(store)).toEqual(bookAnswers(applyEvents(createContactBook(), events)));
  });

  it("takes ids of the longest length the parser gives, in every indexed column at once; longer ones never reach it", async () => {
    await reset();
    // ASCII ids of MAX_ID_BYTES, and ids of astral characters (4 bytes each in UTF-8, two escaped units in the order column).
    for (const long of [
      (tag: string) => `${tag}.`.padEnd(MAX_ID_BYTES, "x"),
      (tag: string) => `${tag}.${"😀".repeat(Math.floor((MAX_ID_BYTES - tag.length - 1) / 4))}`,
    ]) {
      const business = { display_phone_number: "15550783881", phone_number_id: long("P") };
      const [user, parent, message, other] = [long("US"), long("US.ENT"), long("wamid"), long("wamid.other")];
      const phone = "9".repeat(MAX_ID_BYTES);
      const changes = [
        {
          field: "smb_app_state_sync",
          value: {
            metadata: business,
            state_sync: [
              { type: "contact", contact: { phone_number: phone, user_id: user, parent_user_id: parent }, action: "add", metadata: { timestamp: 1 } },
            ],
          },
        },
        {
          field: "messages",
          value: {
            metadata: business,
            contacts: [{ wa_id: phone, user_id: user, parent_user_id: parent }],
            messages: [
              { from: phone, from_user_id: user, from_parent_user_id: parent, id: message, timestamp: 2, type: "text", text: { body: "x" } },
              { from: phone, from_user_id: user, id: other, timestamp: 3, type: "reaction", reaction: { message_id: message, emoji: "👍" } },
            ],
            statuses: [{ id: message, status: "read", timestamp: 4, recipient_id: phone, recipient_user_id: user, recipient_parent_user_id: parent }],
          },
        },
        {
          field: "smb_message_echoes",
          value: {
            metadata: business,
            message_echoes: [
              {
                from: "15550783881",
                to: phone,
                to_user_id: user,
                id: long("wamid.edit"),
                timestamp: 5,
                type: "edit",
                edit: { original_message_id: message, message: { type: "text", text: { body: "y" } } },
              },
            ],
          },
        },
      ];
      const events = changes.flatMap((change) => parseChange(change, { wabaId: "1" }));
      expect(events.length).toBe(5);
      await store.apply(events);
      const book = applyEvents(createContactBook(), events);
      expect(await store.listMessages(business.phone_number_id, user)).toEqual(listMessages(book, business.phone_number_id, user));
      expect(await store.getContact(business.phone_number_id, parent)).toEqual(getContact(book, business.phone_number_id, parent));
    }
    // One byte longer: refused by the parser with an issue, so it never reaches the store.
    const result = safeParseChange(
      {
        field: "messages",
        value: { metadata: BUSINESSES[0], messages: [{ from: "1", id: "w".repeat(MAX_ID_BYTES + 1), timestamp: 1, type: "text", text: { body: "x" } }] },
      },
      { wabaId: "1" },
    );
    expect(result.success ? [] : result.issues.map((issue) => issue.message)).toEqual([expect.stringMatching(/at most 256 bytes/)]);
    expect(result.events).toEqual([]);
  });

  for (const pin of RULE_PINS) {
    it(`holds the rule pinned for the book: ${pin.rule} (each order, in separate transactions)`, async () => {
      for (const order of [
        [pin.first, pin.second],
        [pin.second, pin.first],
      ]) {
        await reset();
        for (const batch of order) await store.apply(batch);
        await pin.check(store);
      }
    });
  }

  it("two writers storing one message id under two people's keys at once join the two people, as the book does", async () => {
    await reset();
    const business = { display_phone_number: "15550783881", phone_number_id: "106540352242922" };
    const received = (from: string, id: string) =>
      parseChange(
        { field: "messages", value: { metadata: business, messages: [{ from, id, timestamp: "10", type: "text", text: { body: "hi" } }] } },
        { wabaId: "1" },
      );
    for (let round = 0; round < 20; round++) {
      const [a, b] = [`1650555${String(round).padStart(4, "0")}`, `1650666${String(round).padStart(4, "0")}`];
      // Both people exist first, so both writers share the lock.
      await store.apply([...received(a, `wamid.a${round}`), ...received(b, `wamid.b${round}`)]);
      await Promise.all([store.apply(received(a, `wamid.both${round}`)), store.apply(received(b, `wamid.both${round}`))]);
      expect((await store.getIdentity(business.phone_number_id, a))?.phoneNumbers).toEqual([a, b]);
      expect((await store.getConversation(business.phone_number_id, b))?.messageCount).toBe(3);
    }
  });

  it("says what it could not place, as the book's foldEvents does", async () => {
    await reset();
    const events = [
      ...parseWebhook(fixtureText("meta/group-message-and-statuses.json")),
      ...parseWebhook(fixtureText("360dialog/partner-forward-no-metadata.json")),
      ...parseWebhook(fixtureText("meta/echo-text.json")),
    ];
    const { unplaced } = await store.apply(events);
    expect(unplaced).toEqual(foldEvents(createContactBook(), events).unplaced);
    expect(unplaced).toEqual({ count: 4, byReason: { "no-business": 1, "no-customer": 0, group: 3 } });
  });

  it("stores names and texts as people wrote them, readable in the tables", async () => {
    await reset();
    const [contact] = parseChange(
      {
        field: "smb_app_state_sync",
        value: {
          metadata: BUSINESSES[0],
          state_sync: [{ type: "contact", contact: { full_name: "Ana 😀 Lima", phone_number: "16505551234" }, action: "add", metadata: { timestamp: 5 } }],
        },
      },
      { wabaId: "1" },
    );
    await store.apply([contact!]);
    const { rows } = await pool.query(`SELECT contact FROM "${schema}".persons`);
    expect(JSON.parse(rows[0].contact)).toEqual({ phoneNumber: "16505551234", fullName: "Ana 😀 Lima" });
    expect(rows[0].contact).toContain("Ana 😀 Lima");
  });

  it("keeps every row's order key as sortable text, and ids' sort column only where it differs from the id itself", async () => {
    await reset();
    const contactAndEcho = (name: string, phone: string, id: string) =>
      parseChange(
        {
          field: "smb_app_state_sync",
          value: {
            metadata: BUSINESSES[0],
            state_sync: [{ type: "contact", contact: { full_name: name, phone_number: phone }, action: "add", metadata: { timestamp: 5 } }],
          },
        },
        { wabaId: "1" },
      ).concat(
        parseChange(
          {
            field: "smb_message_echoes",
            value: {
              metadata: BUSINESSES[0],
              message_echoes: [{ id, from: BUSINESSES[0]!.display_phone_number, to: phone, timestamp: "5", type: "text", text: { body: name } }],
            },
          },
          { wabaId: "1" },
        ),
      );
    await store.apply([...contactAndEcho("Ana 😀 Lima", "16505551234", "wamid.😀"), ...contactAndEcho("Bruno", "16505559876", "wamid.plain")]);
    const contacts = await pool.query(`SELECT contact, contact_order FROM "${schema}".persons ORDER BY first_order`);
    expect(contacts.rows.length).toBe(2);
    // The order key is book/precedence's contactOrder: 13 digits of time, 0 for an add, the JSON.
    for (const row of contacts.rows) expect(row.contact_order).toBe(sortableText(`00000000000050${row.contact as string}`));
    const messages = await pool.query(`SELECT message_id, id_order FROM "${schema}".message_records ORDER BY message_id`);
    expect(messages.rows.map((row) => [row.message_id, row.id_order])).toEqual([
      ["wamid.plain", "wamid.plain"],
      ["wamid.😀", sortableText("wamid.😀")],
    ]);
  });

  it("works on a single client too (its transactions take turns)", async () => {
    const { pool: _unused, schema: own } = connect(1);
    await _unused.end();
    const client = new pg.Client({ host: cluster!.host, port: cluster!.port, user: cluster!.user, database: cluster!.database });
    await client.connect();
    try {
      const single = createPostgresStore(client, { schema: own });
      await single.migrate();
      const events = validBodies().flatMap((fixture) => parseWebhook(fixture.text));
      await Promise.all([single.apply(events.slice(0, 20)), single.apply(events.slice(20)), single.apply(events)]);
      expect(await storeAnswers(single)).toEqual(bookAnswers(applyEvents(createContactBook(), events)));
    } finally {
      await client.end();
    }
  });

  it("stores SQL metacharacters in names and bodies intact", async () => {
    await reset();
    const nasty = `Robert'); DROP TABLE contacts; -- \\ "quoted" $1 %s \u0000x \u{1F600} ' OR '1'='1`.replace("\u0000", "");
    const [contact] = parseChange(
      {
        field: "smb_app_state_sync",
        value: {
          metadata: BUSINESSES[0],
          state_sync: [
            {
              type: "contact",
              contact: { full_name: nasty, first_name: "';--", phone_number: "16505551234", user_id: `BR.1'; SELECT pg_sleep(10); --` },
              action: "add",
              metadata: { timestamp: 5 },
            },
          ],
        },
      },
      { wabaId: "1" },
    );
    const [echo] = parseChange(
      {
        field: "smb_message_echoes",
        value: {
          metadata: BUSINESSES[0],
          message_echoes: [
            { from: "15550783881", to: "16505551234", id: `wamid.'"); DELETE FROM messages; --`, timestamp: 6, type: "text", text: { body: nasty } },
          ],
        },
      },
      { wabaId: "1" },
    );
    await store.apply([contact!, echo!]);
    const book = applyEvents(createContactBook(), [contact!, echo!]);
    expect(await store.getContact(BUSINESSES[0].phone_number_id, "16505551234")).toEqual(getContact(book, BUSINESSES[0].phone_number_id, "16505551234"));
    expect((await store.getContact(BUSINESSES[0].phone_number_id, "16505551234"))?.fullName).toBe(nasty);
    expect(await store.getContact(BUSINESSES[0].phone_number_id, `BR.1'; SELECT pg_sleep(10); --`)).toMatchObject({ fullName: nasty });
    expect(await store.getConversation(BUSINESSES[0].phone_number_id, "16505551234")).toEqual(
      getConversation(book, BUSINESSES[0].phone_number_id, "16505551234"),
    );
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".persons`);
    expect(rows[0].n).toBe(1);
  });

  it("refuses a schema name that is not a plain identifier", () => {
    for (const schema of ['x"; DROP SCHEMA public; --', "Upper", "1abc", "", "a".repeat(64)]) {
      expect(() => createPostgresStore(pool, { schema })).toThrow(/schema name/);
    }
  });
});

/**
 * A pool whose transactions' statements pass through hooks (before each is sent, after it
 * answers), to hold a writer at one step of its transaction.
 */
function hookedPool(
  pool: pg.Pool,
  hooks: { before(text: string, values: unknown[] | undefined): Promise<void>; after(text: string): Promise<void> },
): ConnectionPool {
  return {
    totalCount: 0,
    query: (text: string, values?: unknown[]) => pool.query(text, values),
    async connect() {
      const client = await pool.connect();
      return {
        async query(config: string | { text: string; values?: unknown[] }, values?: unknown[]) {
          const [text, args] = typeof config === "string" ? [config, values] : [config.text, config.values];
          await hooks.before(text, args);
          const result = await client.query(config as string, values);
          await hooks.after(text);
          return result;
        },
        release: (error?: Error | boolean) => client.release(error),
      };
    },
  } as ConnectionPool;
}
