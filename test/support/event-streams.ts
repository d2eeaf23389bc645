/**
 * Generated event streams for the book's properties: several businesses, one phone number written
 * in several formats, BSUID-only contacts, equal timestamps, and message ids that repeat across
 * echoes, received messages, history chunks and the media follow-up. Events come from raw change
 * values through the parser, as in production.
 */
import fc from "fast-check";
import { BOOK_QUERIES } from "../../src/book/queries.js";
import type { StoreQueries } from "../../src/postgres/index.js";
import {
  ACCOUNT_LIFECYCLE_EVENTS,
  historyRetained,
  parseChange,
  personErased,
  parseWebhook,
  type BookEvent,
  type ContactBook,
  type TimelineEntry,
} from "../../src/index.js";

export const BUSINESSES = [
  { phone_number_id: "106540352242922", display_phone_number: "15550783881" },
  { phone_number_id: "301928374650192", display_phone_number: "+44 7700 900123" },
] as const;

/** The same customers, each written in several formats. */
export const CUSTOMERS = [
  ["16505551234", "+16505551234", "+1 (650) 555-1234"],
  ["5511987654321", "+55 11 98765-4321"],
  ["447700900456", "+44 7700 900456"],
] as const;
export const USER_IDS = ["BR.2186878922080769", "US.13491208655302741918"] as const;

/**
 * People whose identifiers change over time: each epoch is a phone number, a BSUID and a parent
 * BSUID; a number change starts a new epoch (new phone, new BSUID, new parent BSUID).
 */
export const PEOPLE = [
  [
    { phone: "12025550101", user: "US.30000000000000000001", parent: "US.ENT.4000000000000001" },
    { phone: "12025550199", user: "US.30000000000000000002", parent: "US.ENT.4000000000000002" },
  ],
  [
    { phone: "5521900000001", user: "BR.5000000000000001", parent: "BR.ENT.6000000000000001" },
    { phone: "5521900000002", user: "BR.5000000000000002", parent: "BR.ENT.6000000000000002" },
  ],
] as const;
const PEOPLE_KEYS = PEOPLE.flatMap((epochs) => epochs.flatMap((epoch) => [epoch.phone, `+${epoch.phone}`, epoch.user, epoch.parent]));
export const LOOKUP_KEYS = [...CUSTOMERS.flat(), ...USER_IDS, ...PEOPLE_KEYS, "999"];
/** The generated businesses, and one no event names. */
export const BUSINESS_IDS = [...BUSINESSES.map((business) => business.phone_number_id), "unknown-business"];

/**
 * When the properties ask about the service window: a day after the streams' times 2 (events'
 * timestamps are 1 to 4), so a window opened at 1 or 2 is closed and one opened at 3 or 4 is open.
 */
export const SERVICE_WINDOW_NOW = 86_402;

/** The page size the properties walk timelines with: small, so paging (`before`) is exercised. */
export const PAGE = 3;

/**
 * A whole timeline read page by page (each page starting after the last entry of the one before),
 * from any source that answers `listMessages`.
 */
export async function pagesOf(list: (before: string | undefined) => TimelineEntry[] | Promise<TimelineEntry[]>): Promise<TimelineEntry[][]> {
  const pages: TimelineEntry[][] = [];
  for (let before: string | undefined; ;) {
    const page = await list(before);
    if (page.length === 0) return pages;
    pages.push(page);
    before = page.at(-1)!.id;
    if (pages.length > 100) throw new Error("a timeline that never ends");
  }
}

/** One question: a query's name and its arguments (without the book). */
type Question = { [Name in keyof StoreQueries]: [Name, Parameters<StoreQueries[Name]>] }[keyof StoreQueries];

/** Asks one question and gives back its answer (a generator step, so one list serves a book and a store). */
function* ask<Name extends keyof StoreQueries>(
  name: Name,
  ...args: Parameters<StoreQueries[Name]>
): Generator<Question, Awaited<ReturnType<StoreQueries[Name]>>, unknown> {
  return (yield [name, args] as unknown as Question) as Awaited<ReturnType<StoreQueries[Name]>>;
}

/** Every page of a listing. */
function* pages<T>(
  page: (cursor: string | undefined) => Generator<Question, T[], unknown>,
  cursorOf: (entry: T) => string,
): Generator<Question, T[][], unknown> {
  const all: T[][] = [];
  for (let cursor: string | undefined; ;) {
    const next = yield* page(cursor);
    if (next.length === 0) return all;
    all.push(next);
    cursor = cursorOf(next.at(-1)!);
    if (all.length > 1000) throw new Error("a listing that never ends");
  }
}

/**
 * The questions whose answers a book and a store (or two books) must agree on: every business,
 * its contact and conversation lists page by page, its history sync, each lookup key's contact,
 * conversation, identity, service window and timeline page by page. Written once; asked of a
 * book by {@link bookAnswers} and of a store by `storeAnswers`.
 */
export function* questions(keys: readonly string[] = LOOKUP_KEYS) {
  const businesses = yield* ask("listBusinesses");
  const perBusiness = [];
  const timelines = [];
  for (const id of BUSINESS_IDS) {
    const contacts = (yield* pages(
      (after) => ask("listContacts", id, { after, limit: PAGE }),
      (entry) => entry.cursor,
    )).flat();
    const conversations = (yield* pages(
      (before) => ask("listConversations", id, { before, limit: PAGE }),
      (entry) => entry.cursor,
    )).flat();
    const history = yield* ask("getHistorySync", id);
    const lookups = [];
    const keyTimelines = [];
    for (const key of keys) {
      lookups.push([
        yield* ask("getContact", id, key),
        yield* ask("getConversation", id, key),
        yield* ask("getIdentity", id, key),
        yield* ask("getServiceWindow", id, key, SERVICE_WINDOW_NOW),
      ]);
      keyTimelines.push(
        yield* pages(
          (before) => ask("listMessages", id, key, { before, limit: PAGE }),
          (entry) => entry.id,
        ),
      );
    }
    const connection = yield* ask("getConnection", id);
    perBusiness.push({ contacts, conversations, history, connection, lookups });
    timelines.push(keyTimelines);
  }
  const wabaConnection = yield* ask("getConnection", WABA_ID);
  return { businesses, perBusiness, timelines, wabaConnection };
}

/** The answers a book gives to {@link questions}. */
export function bookAnswers(book: ContactBook, keys: readonly string[] = LOOKUP_KEYS) {
  const asking = questions(keys);
  for (let step = asking.next(); ;) {
    if (step.done === true) return step.value;
    const [name, args] = step.value;
    step = asking.next((BOOK_QUERIES[name] as (book: ContactBook, ...args: unknown[]) => unknown)(book, ...args));
  }
}

const business = fc.constantFrom(...BUSINESSES);
const timestamp = fc.integer({ min: 1, max: 4 }); // few values: ties are common
const customerIndex = fc.nat({ max: CUSTOMERS.length - 1 });
const phoneFormat = fc.tuple(customerIndex, fc.nat()).map(([index, format]) => {
  const formats = CUSTOMERS[index]!;
  return formats[format % formats.length]!;
});
const messageId = fc.integer({ min: 1, max: 12 }).map((n) => `wamid.${n}`);
const name = fc.constantFrom("Ana", "Ana Lima", "Bruno", "");

const contactItem = fc.record({
  type: fc.constant("contact"),
  contact: fc.oneof(
    fc.record({ full_name: name, first_name: name, phone_number: phoneFormat }),
    fc.record({ full_name: name, phone_number: phoneFormat, user_id: fc.constantFrom(...USER_IDS) }),
    fc.record({ full_name: name, phone_number: fc.constant(""), user_id: fc.constantFrom(...USER_IDS) }),
    fc.record({ user_id: fc.constantFrom(...USER_IDS), username: fc.constantFrom("davi", "emma") }),
  ),
  action: fc.constantFrom("add", "add", "remove"),
  metadata: fc.record({ timestamp: fc.oneof(timestamp, timestamp.map(String)) }),
});

const textMessage = (party: Record<string, unknown>) =>
  fc
    .record({ id: messageId, timestamp: timestamp.map(String), type: fc.constant("text"), text: fc.record({ body: fc.constantFrom("hi", "ok") }) })
    .map((message) => ({ ...party, ...message }));

const toCustomer = fc.oneof(
  phoneFormat.map((to) => ({ to })),
  fc.constantFrom(...USER_IDS).map((id) => ({ to: "", to_user_id: id })),
);
const fromCustomer = fc.oneof(
  phoneFormat.map((from) => ({ from })),
  fc.constantFrom(...USER_IDS).map((id) => ({ from: "", from_user_id: id })),
);

/** A change value, and its entry's `time` where the event takes its timestamp from the envelope. */
type Change = { field: string; value: Record<string, unknown>; time?: number };
const withMetadata = (field: string, meta: (typeof BUSINESSES)[number], value: Record<string, unknown>): Change => ({
  field,
  value: { messaging_product: "whatsapp", metadata: meta, ...value },
});

const stateSync = fc
  .tuple(business, fc.array(contactItem, { minLength: 1, maxLength: 3 }))
  .map(([meta, items]) => withMetadata("smb_app_state_sync", meta, { state_sync: items }));
const echoes = fc
  .tuple(business, fc.array(toCustomer.chain(textMessage), { minLength: 1, maxLength: 3 }))
  .map(([meta, list]) =>
    withMetadata("smb_message_echoes", meta, { message_echoes: list.map((message) => ({ from: meta.display_phone_number, ...message })) }),
  );
const received = fc
  .tuple(business, fc.array(fromCustomer.chain(textMessage), { minLength: 1, maxLength: 3 }))
  .map(([meta, list]) => withMetadata("messages", meta, { messages: list }));
const historyChunk = fc
  .tuple(
    business,
    fc.nat({ max: 2 }),
    fc.integer({ min: 1, max: 3 }),
    fc.constantFrom(0, 40, 100),
    fc.array(
      fc.tuple(
        fc.oneof(
          phoneFormat.map((id) => ({ id })),
          fc.constantFrom(...USER_IDS).map((id) => ({ id: "", context: { user_id: id } })),
        ),
        fc.array(fc.tuple(fc.boolean(), messageId, timestamp, fc.constantFrom("read", "DELIVERED")), { maxLength: 3 }),
      ),
      { maxLength: 2 },
    ),
  )
  .map(([meta, phase, chunkOrder, progress, threads]) =>
    withMetadata("history", meta, {
      history: [
        {
          metadata: { phase: String(phase), chunk_order: chunkOrder, progress },
          threads: threads.map(([thread, messages]) => ({
            ...thread,
            messages: messages.map(([fromBusiness, id, time, status]) => ({
              from: fromBusiness ? meta.display_phone_number : "16505551234",
              id,
              timestamp: String(time),
              type: "text",
              text: { body: "old" },
              history_context: { status },
            })),
          })),
        },
      ],
    }),
  );
const historyMedia = fc.tuple(business, messageId, phoneFormat, timestamp, fc.boolean()).map(([meta, id, customer, time, echo]) =>
  withMetadata(
    "history",
    meta,
    echo
      ? // A business-sent media item without a recipient: a history id no conversation holds.
        {
          message_echoes: [
            { from: meta.display_phone_number, id, timestamp: String(time), type: "image", image: { id: "m2", mime_type: "image/jpeg", sha256: "y" } },
          ],
        }
      : { messages: [{ from: customer, id, timestamp: String(time), type: "image", image: { id: "m1", mime_type: "image/jpeg", sha256: "x" } }] },
  ),
);
const declined = fc
  .tuple(business, fc.constantFrom("History sync is turned off", "Sharing declined"))
  .map(([meta, title]) => withMetadata("history", meta, { history: [{ errors: [{ code: 2593109, title, error_data: { details: title } }] }] }));
const unhandled = business.map((meta) => withMetadata("account_update", meta, { event: "VERIFIED_ACCOUNT" }));
/** The WABA the generated businesses belong to. */
export const WABA_ID = "102290129340398";
/** A lifecycle event of the WABA (as Meta sends it: no metadata), about one of its numbers or all, at an entry time. */
const lifecycle = fc
  .tuple(
    fc.constantFrom(...ACCOUNT_LIFECYCLE_EVENTS),
    fc.constantFrom(undefined, "15550783881", "447700900123"),
    fc.constantFrom(undefined, { reason: "COMPANION_INACTIVITY", initiated_by: "SYSTEM" }, { reason: "ACCOUNT_DISCONNECTED", initiated_by: "USER" }),
    timestamp,
  )
  .map(([event, phone, disconnection, time]): Change => ({
    field: "account_update",
    time,
    value: {
      event,
      ...(phone === undefined ? {} : { phone_number: phone }),
      waba_info: { waba_id: WABA_ID, owner_business_id: "889900112233" },
      ...(disconnection === undefined || event !== "PARTNER_REMOVED" ? {} : { disconnection_info: disconnection }),
    },
  }));

/** One epoch of one person. */
const epoch = fc.tuple(fc.nat({ max: PEOPLE.length - 1 }), fc.nat({ max: 1 })).map(([person, at]) => PEOPLE[person]![at]!);
/** A non-empty subset of an epoch's identifiers, as an event would show them. */
const shown = fc.tuple(epoch, fc.integer({ min: 1, max: 7 }), fc.boolean()).map(([ids, mask, plus]) => ({
  phone: mask & 1 ? (plus ? `+${ids.phone}` : ids.phone) : undefined,
  user: mask & 2 ? ids.user : undefined,
  parent: mask & 4 ? ids.parent : undefined,
}));
type Shown = { phone: string | undefined; user: string | undefined; parent: string | undefined };
const profile = (ids: Shown) => ({ wa_id: ids.phone ?? "", user_id: ids.user, parent_user_id: ids.parent, profile: { name: "Someone" } });

/** What a message can do to another one: react (or take the reaction back), edit it, revoke it. */
const amendment = (kind: string, id: string, variant: number) =>
  kind === "reaction"
    ? { type: "reaction", reaction: { message_id: id, emoji: ["👍", "❤️", ""][variant % 3] } }
    : kind === "edit"
      ? { type: "edit", edit: { original_message_id: id, message: { type: "text", text: { body: `edited ${variant % 2}` } } } }
      : { type: "revoke", revoke: { original_message_id: id } };

/** A customer writes (phone, BSUID and parent shown in any subset), with a reaction or an edit now and then. */
const personWrites = fc
  .tuple(business, shown, messageId, timestamp, fc.constantFrom("text", "text", "reaction", "edit"), fc.boolean(), fc.nat())
  .map(([meta, ids, id, time, kind, withProfile, variant]) => {
    const base = {
      from: ids.phone ?? "",
      from_user_id: ids.user,
      from_parent_user_id: ids.parent,
      id: kind === "text" ? id : `${id}.${kind}.${variant % 3}`,
      timestamp: String(time),
    };
    const content = kind === "text" ? { type: "text", text: { body: "hi" } } : amendment(kind, id, variant);
    return withMetadata("messages", meta, { ...(withProfile ? { contacts: [profile(ids)] } : {}), messages: [{ ...base, ...content }] });
  });
/** The business, on the phone, edits, revokes or reacts to a message (echoes). */
const businessAmends = fc
  .tuple(business, toCustomer, messageId, timestamp, fc.constantFrom("reaction", "edit", "revoke"), fc.nat())
  .map(([meta, party, id, time, kind, variant]) =>
    withMetadata("smb_message_echoes", meta, {
      message_echoes: [
        { from: meta.display_phone_number, ...party, id: `${id}.echo-${kind}.${variant % 3}`, timestamp: String(time), ...amendment(kind, id, variant) },
      ],
    }),
  );
/** A history item whose media comes later: a placeholder with an id the follow-up reuses. */
const historyPlaceholder = fc.tuple(business, messageId, phoneFormat, timestamp).map(([meta, id, customer, time]) =>
  withMetadata("history", meta, {
    history: [
      {
        threads: [
          { id: customer, messages: [{ from: customer, id, timestamp: String(time), type: "media_placeholder", history_context: { status: "READ" } }] },
        ],
      },
    ],
  }),
);
/** The history's media follow-up with a profile of someone (linked without a time), for a message of another customer. */
const historyMediaProfile = fc.tuple(business, shown, messageId, timestamp).map(([meta, ids, id, time]) =>
  withMetadata("history", meta, {
    contacts: [profile(ids)],
    messages: [{ from: "447700900456", id, timestamp: String(time), type: "image", image: { id: "m3", mime_type: "image/jpeg" } }],
  }),
);
/** The business replies by whatever identifier it has. */
const businessReplies = fc.tuple(business, shown, messageId, timestamp).map(([meta, ids, id, time]) =>
  withMetadata("smb_message_echoes", meta, {
    message_echoes: [
      {
        from: meta.display_phone_number,
        to: ids.phone ?? "",
        to_user_id: ids.user,
        to_parent_user_id: ids.parent,
        id,
        timestamp: String(time),
        type: "text",
        text: { body: "re" },
      },
    ],
  }),
);
/** A delivery status names the recipient's identifiers. */
const statusSeen = fc
  .tuple(business, shown, messageId, timestamp, fc.constantFrom("sent", "delivered", "read", "played", "failed", "deleted"))
  .map(([meta, ids, id, time, status]) =>
    withMetadata("messages", meta, {
      statuses: [
        {
          id,
          status,
          timestamp: String(time),
          recipient_id: ids.phone,
          recipient_user_id: ids.user,
          recipient_parent_user_id: ids.parent,
          ...(status === "failed" ? { errors: [{ code: 131026 + time, title: "Message undeliverable" }] } : {}),
        },
      ],
    }),
  );
/** A number change: `user_id_update`, or a `system` message, links one epoch to the next. */
const rotation = fc
  .tuple(business, fc.nat({ max: PEOPLE.length - 1 }), timestamp, fc.constantFrom("update", "number", "user_id"))
  .map(([meta, person, time, how]) => {
    const [before, after] = PEOPLE[person]!;
    if (how === "update") {
      return withMetadata("user_id_update", meta, {
        user_id_update: [
          {
            wa_id: after.phone,
            user_id: { previous: before.user, current: after.user },
            parent_user_id: { previous: before.parent, current: after.parent },
            timestamp: String(time),
          },
        ],
      });
    }
    const system =
      how === "number"
        ? { from: before.phone, system: { type: "user_changed_number", body: "changed", wa_id: after.phone } }
        : { from_user_id: after.user, system: { type: "user_changed_user_id", body: "changed", user_id: after.user, previous_user_id: before.user } };
    return withMetadata("messages", meta, { messages: [{ id: `wamid.system.${how}.${person}`, timestamp: String(time), type: "system", ...system }] });
  });

/** The application keeps a business's messages from a time on (a horizon among the streams' times). */
const retention = fc.tuple(business, fc.integer({ min: 2, max: 4 })).map(([meta, before]): BookEvent[] => [historyRetained(meta.phone_number_id, { before })]);

/** A customer asks to be forgotten: erase the person one of its identifiers (in any format) names, up to a time among the streams'. */
const erasure = fc
  .tuple(business, fc.constantFrom(...CUSTOMERS.flat(), ...USER_IDS, ...PEOPLE_KEYS), fc.integer({ min: 1, max: 4 }))
  .map(([meta, key, timestamp]): BookEvent[] => [personErased(meta.phone_number_id, key, timestamp)]);

/** One change's events, as the parser produces them, and now and then an application's own (retention, erasure). */
export const eventsArbitrary: fc.Arbitrary<BookEvent[]> = fc
  .array(
    fc.oneof(
      stateSync,
      stateSync,
      echoes,
      received,
      historyChunk,
      historyMedia,
      historyMediaProfile,
      historyPlaceholder,
      declined,
      unhandled,
      lifecycle,
      personWrites,
      personWrites,
      businessReplies,
      businessAmends,
      statusSeen,
      rotation,
      retention,
      erasure,
    ),
    { maxLength: 14 },
  )
  .map((changes) =>
    changes.flatMap((change): BookEvent[] => {
      if (Array.isArray(change)) return change;
      const { time, ...value } = change;
      return time === undefined
        ? parseChange(value, { wabaId: WABA_ID })
        : parseWebhook({ object: "whatsapp_business_account", entry: [{ id: WABA_ID, time, changes: [value] }] });
    }),
  );

/** The same events in another order, some of them repeated. */
export function reorderedWithDuplicates<Event>(events: readonly Event[]): fc.Arbitrary<Event[]> {
  if (events.length === 0) return fc.constant([]);
  return fc
    .array(fc.constantFrom(...events), { maxLength: events.length })
    .chain((duplicates) => fc.shuffledSubarray([...events, ...duplicates], { minLength: events.length + duplicates.length }));
}
