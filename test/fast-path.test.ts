/**
 * The differential test: wherever the fast path answers, it answers exactly what the valibot
 * schemas answer (and those report no issue); and it does answer for the common shapes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastHistoryMessage, fastMessage, newPartiesRead } from "../src/fast/fast-message.js";
import { fastMetadata, fastStateSyncItem } from "../src/fast/fast-state-sync.js";
import { fastChunkMetadata } from "../src/fast/fast-chunk-metadata.js";
import { fastThreadHeader } from "../src/fast/fast-thread-header.js";
import { runTolerantSchema } from "../src/parsing/tolerant-schema.js";
import { chunkMetadataSchema, threadHeaderSchema } from "../src/schemas/history.js";
import { slowHistoryMessage } from "../src/parsing/changes/parse-message.js";
import { runSchema, type ParseRun } from "../src/core/parse-run.js";
import { IssueList } from "../src/core/parse-issue.js";
import { messageSchema } from "../src/schemas/message.js";
import { stateSyncItemSchema } from "../src/schemas/state-sync.js";
import { valueMetadataSchema } from "../src/schemas/value-parts.js";
import { validBodies } from "./support/fixtures.js";
import { mutate, mutationArbitrary, pathsOf } from "./support/mutate.js";

const BUSINESS = "15550783881";
const PHONE_NUMBER_ID = "106540352242922";
const CUSTOMER = "16505551234";
const PARTIES = { businessNumber: BUSINESS, phoneNumberId: PHONE_NUMBER_ID };
const newRun = (maxDepth = 64): ParseRun => ({ events: [], issues: new IssueList(), maxDepth, fresh: false, fallback: undefined });

/** A fast reader's answer against the schema's on the same input: the schema raised no issue and made the same value, keys in the same order. */
function expectSameAsSchema(fast: unknown, slow: unknown, run: ParseRun): void {
  expect(run.issues.toList()).toEqual([]);
  expect(fast).toStrictEqual(slow);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
}

const phone = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^\d{8,15}$/) },
  fc.stringMatching(/^\+\d{1,3} \d{3}-\d{3}-\d{4}$/),
  fc.constant(""),
  fc.constant(BUSINESS),
  fc.constant(PHONE_NUMBER_ID),
  fc.constant(CUSTOMER),
  fc.constant("not a phone"),
);
/** The business and the thread's customer, as the direction rule sees them. */
const parties = fc.record(
  {
    businessNumber: fc.constant(BUSINESS),
    phoneNumberId: fc.constant(PHONE_NUMBER_ID),
    customerPhone: fc.constantFrom(CUSTOMER, "14155550000"),
    customerUserId: fc.constantFrom("BR.2186878922080769", "US.1"),
  },
  { requiredKeys: [] },
);
const timestamp = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 2_000_000_000 }) },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 2_000_000_000 }).map(String) },
  fc.constant("yesterday"),
  fc.constant(1.5),
);
const primitive = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
// Keys the fast path reads by name are among them, with `undefined` too (a body passed already parsed
// may hold one): the fast path counts keys, and a key it read as absent must still be accounted for.
const extras = fc.dictionary(
  fc.constantFrom("preview_url", "referral", "new_field", "body", "fromUserId", "caption", "context", "errors", "to_parent_user_id", "status"),
  fc.oneof({ weight: 4, arbitrary: primitive }, fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined)),
  { maxKeys: 2 },
);
const media = fc.record(
  {
    id: fc.oneof(fc.string({ minLength: 1 }), fc.constant("")),
    mime_type: fc.string(),
    sha256: fc.string(),
    caption: fc.string(),
    filename: fc.string(),
    url: fc.webUrl(),
    link: fc.webUrl(),
    voice: fc.boolean(),
    animated: fc.boolean(),
  },
  { requiredKeys: [] },
);
const content = fc.oneof(
  fc.record({ type: fc.constant("text"), text: fc.record({ body: fc.string() }) }),
  ...["image", "video", "audio", "document", "sticker"].map((type) => fc.record({ type: fc.constant(type), [type]: media })),
  fc.record({
    type: fc.constant("location"),
    location: fc.record(
      { latitude: fc.double({ noNaN: true }), longitude: fc.double({ noNaN: true }), name: fc.string(), address: fc.string() },
      { requiredKeys: ["latitude", "longitude"] },
    ),
  }),
  fc.record({
    type: fc.constant("reaction"),
    reaction: fc.record({ message_id: fc.string({ minLength: 1 }), emoji: fc.constantFrom("👍", "", "❤️") }, { requiredKeys: ["message_id"] }),
  }),
  fc.record({ type: fc.constant("media_placeholder") }),
  fc.record({ type: fc.constant("unsupported"), errors: fc.constant([{ code: 131051, title: "Message type unknown" }]) }),
  fc.record({ type: fc.constant("poll"), poll: fc.jsonValue() }),
);
const status = fc.constantFrom("read", "DELIVERED", "Played", "sent", "error", "pending", "NEW_STATUS");
const historyContext = fc.record({ status, from_me: fc.oneof({ weight: 4, arbitrary: fc.boolean() }, primitive) }, { requiredKeys: [] });
const messageId = fc.oneof(
  { weight: 8, arbitrary: fc.string({ minLength: 1 }).map((id) => `wamid.${id}`) },
  fc.constant(""),
  fc.integer(),
  fc.constantFrom("wamid.\u0000", "wamid.\uD800"),
);
const message = fc
  .tuple(
    fc.record(
      {
        id: messageId,
        from: phone,
        to: phone,
        from_user_id: fc.oneof(fc.constant(""), fc.constant("BR.2186878922080769"), fc.constant("BR.\uDC00x")),
        to_user_id: fc.constant("US.13491208655302741918"),
        timestamp,
        history_context: historyContext,
        context: fc.option(fc.record({ from: fc.constant(BUSINESS), id: fc.constant("wamid.1") }), { freq: 5, nil: undefined }),
      },
      { requiredKeys: ["id", "timestamp"] },
    ),
    content,
    extras,
  )
  .map(([base, body, extra]) => {
    const raw: Record<string, unknown> = { ...extra, ...base, ...body };
    if (raw.context === undefined) delete raw.context;
    return raw;
  });
/**
 * The commonest history message, which has a fast path of its own: a text with its status and no
 * other key. Rare among `message`'s combinations, so drawn on its own, and damaged like the others.
 */
const usualText = fc.record({
  from: phone,
  id: messageId,
  timestamp,
  type: fc.constant("text"),
  text: fc.record({ body: fc.string() }),
  history_context: fc.record({ status }),
});
const damagedOf = (messages: fc.Arbitrary<unknown>) =>
  messages.chain((raw) => {
    const paths = pathsOf(raw);
    return paths.length === 0
      ? fc.constant(raw)
      : fc.tuple(fc.constantFrom(...paths), mutationArbitrary).map(([path, mutation]) => mutate(raw, path, mutation));
  });
const anyMessage = fc.oneof({ weight: 3, arbitrary: message }, damagedOf(message), { weight: 2, arbitrary: usualText }, damagedOf(usualText));
const direction = fc.constantFrom(undefined, "inbound" as const, "outbound" as const);

describe("the fast path agrees with the schemas", () => {
  it("for history messages: same output wherever the fast path answers", () => {
    let answered = 0;
    const runs = 3000;
    fc.assert(
      fc.property(
        anyMessage,
        parties,
        direction,
        fc.oneof({ weight: 4, arbitrary: fc.constant(64) }, fc.integer({ min: 1, max: 14 })),
        (raw, who, forced, maxDepth) => {
          const fast = fastHistoryMessage(raw, 11, maxDepth, { parties: who, direction: forced, read: newPartiesRead() });
          if (fast === undefined) return;
          answered++;
          const run = newRun(maxDepth);
          const slow = slowHistoryMessage(raw, "m", 11, run, { parties: who, direction: forced, read: newPartiesRead() });
          expectSameAsSchema(fast, slow, run);
        },
      ),
      { numRuns: runs },
    );
    // The generators must exercise the fast path, not only its refusals (it answers 150-210 times
    // in 3,000 runs; the bound leaves room for chance).
    expect(answered).toBeGreaterThan(runs / 40);
  });

  it("for echoes and received messages: same output wherever the fast path answers", () => {
    let answered = 0;
    const runs = 3000;
    fc.assert(
      fc.property(anyMessage, (raw) => {
        const { history_context: _, ...echo } = raw as Record<string, unknown>;
        const fast = fastMessage(echo, 7, 64);
        if (fast === undefined) return;
        answered++;
        const run = newRun();
        const slow = runSchema(messageSchema, echo, "m", 7, run);
        expectSameAsSchema(fast, slow, run);
      }),
      { numRuns: runs },
    );
    // As above: the fast path must answer often enough to be exercised.
    expect(answered).toBeGreaterThan(runs / 40);
  });

  it("answers for every common-shape message in the fixtures, so real traffic takes the fast path", () => {
    const COMMON = new Set(["text", "image", "video", "audio", "document", "sticker", "location", "reaction", "media_placeholder"]);
    const found: Record<string, unknown>[] = [];
    const collect = (value: unknown, key?: string): void => {
      if (Array.isArray(value)) {
        for (const item of value) {
          if (["messages", "message_echoes"].includes(key ?? "") && typeof item === "object" && item !== null) found.push(item);
          collect(item);
        }
      } else if (typeof value === "object" && value !== null) {
        for (const [childKey, child] of Object.entries(value)) collect(child, childKey);
      }
    };
    for (const fixture of validBodies()) collect(JSON.parse(fixture.text));
    const common = found.filter((raw) => COMMON.has(raw.type as string) && raw.context === undefined && raw.errors === undefined && raw.referral === undefined);
    expect(common.length).toBeGreaterThan(30);
    for (const raw of common)
      expect(fastHistoryMessage(raw, 11, 64, { parties: PARTIES, direction: undefined, read: newPartiesRead() }), JSON.stringify(raw)).toBeDefined();
    const raw = { from: "16505551234", id: "wamid.1", timestamp: "1739230000", type: "text", text: { body: "hi" }, history_context: { status: "READ" } };
    expect(fastHistoryMessage(raw, 11, 64, { parties: PARTIES, direction: undefined, read: newPartiesRead() })).toStrictEqual({
      id: "wamid.1",
      from: "16505551234",
      timestamp: 1739230000,
      type: "text",
      text: { body: "hi" },
      status: "read",
      direction: "inbound",
    });
  });
});

const stateSyncItem = fc
  .tuple(
    fc.record(
      {
        full_name: fc.oneof(fc.string(), fc.constant("")),
        first_name: fc.string(),
        phone_number: phone,
        user_id: fc.constantFrom("", "BR.2186878922080769", "US.1349", "12345", "US.\u0000"),
        parent_user_id: fc.constantFrom("US.ENT.1181", ""),
        username: fc.string(),
        country_code: fc.constantFrom("US", "", "BR"),
      },
      { requiredKeys: [] },
    ),
    extras,
    fc.constantFrom("add", "remove", "edit"),
    timestamp,
    fc.constantFrom("contact", undefined, "label"),
  )
  .map(([contact, extra, action, time, type]) => {
    const item: Record<string, unknown> = { contact: { ...extra, ...contact }, action, metadata: { timestamp: time } };
    if (type !== undefined) item.type = type;
    return item;
  });
/**
 * The usual contact item, which has a literal of its own: a contact with a phone number and both
 * names and no other key. Rare among `stateSyncItem`'s combinations, so drawn on its own, and damaged.
 */
const usualContactItem = fc.record({
  type: fc.constant("contact"),
  contact: fc.record({ full_name: fc.oneof(fc.string(), fc.constant("")), first_name: fc.string(), phone_number: phone }),
  action: fc.constantFrom("add", "remove"),
  metadata: fc.record({ timestamp }),
});
const anyStateSyncItem = fc.oneof(
  { weight: 3, arbitrary: stateSyncItem },
  damagedOf(stateSyncItem),
  { weight: 2, arbitrary: usualContactItem },
  damagedOf(usualContactItem),
);

describe("the state sync and metadata fast paths agree with the schemas", () => {
  it("for state sync items", () => {
    let answered = 0;
    fc.assert(
      fc.property(anyStateSyncItem, (raw) => {
        const fast = fastStateSyncItem(raw, 7, 64);
        if (fast === undefined) return;
        answered++;
        const run = newRun();
        const slow = runSchema(stateSyncItemSchema, raw, "item", 7, run);
        expectSameAsSchema(fast, slow, run);
      }),
      { numRuns: 3000 },
    );
    expect(answered).toBeGreaterThan(300);
  });

  it("for metadata", () => {
    const metadata = fc.record(
      {
        display_phone_number: phone,
        phone_number_id: fc.oneof(fc.stringMatching(/^\d{15}$/), fc.constant(""), fc.integer()),
        extra: fc.oneof(primitive, fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(metadata, (raw) => {
        const fast = fastMetadata(raw, 6, 64);
        if (fast === undefined) return;
        const run = newRun();
        const slow = runSchema(valueMetadataSchema, raw, "metadata", 6, run);
        expectSameAsSchema(fast, slow, run);
      }),
      { numRuns: 2000 },
    );
  });

  it("for chunk metadata (numbers, numeric strings, too large, negative, extras), the metadata too deep included", () => {
    const position = fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: 200 }) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 200 }).map(String) },
      fc.constantFrom(2_147_483_647, 2_147_483_648, "2147483648", -1, 1.5, "", " 1", "1e3", "-0", -0, "007", null, true),
      fc.integer(),
    );
    const metadata = fc.record(
      { phase: position, chunk_order: position, progress: position, extra: fc.oneof(primitive, fc.jsonValue()), __proto__: fc.constant({ polluted: true }) },
      { requiredKeys: [] },
    );
    let answered = 0;
    fc.assert(
      fc.property(metadata, fc.integer({ min: 6, max: 8 }), (raw, maxDepth) => {
        const fast = fastChunkMetadata(raw, 7, maxDepth);
        if (fast === undefined) return;
        answered++;
        const run = newRun(maxDepth);
        const slow = runTolerantSchema(chunkMetadataSchema, raw, "metadata", 7, run, {});
        expectSameAsSchema(fast, slow, run);
      }),
      { numRuns: 3000 },
    );
    expect(answered).toBeGreaterThan(300);
  });

  it("for thread headers, the thread too deep included", () => {
    const id = fc.oneof({ weight: 4, arbitrary: phone }, fc.integer(), fc.constant(null));
    const messages = fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, fc.constant({}));
    const thread = fc.oneof(
      { weight: 3, arbitrary: fc.record({ id, messages }, { requiredKeys: ["messages"] }) },
      fc.record(
        {
          id,
          messages,
          context: fc.record({ wa_id: phone, user_id: fc.constant("BR.2186878922080769") }, { requiredKeys: [] }),
          __proto__: fc.constant({ polluted: true }),
          extra: primitive,
        },
        { requiredKeys: ["messages"] },
      ),
    );
    let answered = 0;
    fc.assert(
      fc.property(thread, fc.integer({ min: 7, max: 10 }), (raw, maxDepth) => {
        const fast = fastThreadHeader(raw, 9, maxDepth);
        if (fast === undefined) return;
        answered++;
        const run = newRun(maxDepth);
        const slow = runTolerantSchema(threadHeaderSchema, raw, "thread", 9, run, {}, "messages");
        expectSameAsSchema(fast, slow, run);
      }),
      { numRuns: 2000 },
    );
    expect(answered).toBeGreaterThan(100);
  });
});
