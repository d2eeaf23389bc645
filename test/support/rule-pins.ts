/**
 * Each precedence rule pinned by one fixed example that fails when the rule changes (a mutation
 * run found that some of them survived: the random tests mostly prove that copies agree). The
 * book and the store are both held to every pin, with the two events in both orders.
 */
import { expect } from "vitest";
import { BOOK_QUERIES } from "../../src/book/queries.js";
import { historyRetained, parseChange, personErased, parseWebhook, type BookEvent, type ContactBook } from "../../src/index.js";
import type { StoreQueries } from "../../src/postgres/index.js";

const BUSINESS = { display_phone_number: "15550783881", phone_number_id: "106540352242922" };
const ID = BUSINESS.phone_number_id;
const change = (field: string, value: Record<string, unknown>): BookEvent[] =>
  parseChange({ field, value: { messaging_product: "whatsapp", metadata: BUSINESS, ...value } }, { wabaId: "1" });

/** A book asked as a store is: the same queries, without the book, answering promises. */
export function bookAsStore(book: ContactBook): StoreQueries {
  const queries: Record<string, unknown> = {};
  for (const [name, query] of Object.entries(BOOK_QUERIES)) {
    queries[name] = async (...args: unknown[]) => (query as (book: ContactBook, ...args: unknown[]) => unknown)(book, ...args);
  }
  return queries as unknown as StoreQueries;
}

/** A rule's fixed example: two event groups (applied in both orders) and what must then hold. */
export interface RulePin {
  readonly rule: string;
  readonly first: BookEvent[];
  readonly second: BookEvent[];
  readonly check: (answers: StoreQueries) => Promise<void>;
}

const contactAdd = change("smb_app_state_sync", {
  state_sync: [{ type: "contact", contact: { phone_number: "16505551234", user_id: "US.2", full_name: "Ana" }, action: "add", metadata: { timestamp: 50 } }],
});
const contactRemoval = change("smb_app_state_sync", {
  state_sync: [{ type: "contact", contact: { phone_number: "16505551234", user_id: "US.1" }, action: "remove", metadata: { timestamp: 50 } }],
});
const historyX = change("history", {
  history: [
    {
      metadata: { phase: 0, chunk_order: 1, progress: 10 },
      threads: [
        {
          id: "16505551234",
          messages: [
            { from: "16505551234", id: "wamid.X", timestamp: "100", type: "text", text: { body: "from history" }, history_context: { status: "read" } },
          ],
        },
      ],
    },
  ],
});
const receivedX = change("messages", { messages: [{ from: "16505551234", id: "wamid.X", timestamp: "100", type: "text", text: { body: "live" } }] });
const echoM = change("smb_message_echoes", {
  message_echoes: [{ from: "15550783881", to: "16505551234", id: "wamid.M", timestamp: "10", type: "text", text: { body: "hello" } }],
});
const react = (id: string, emoji: string) =>
  change("messages", { messages: [{ from: "16505551234", id, timestamp: "20", type: "reaction", reaction: { message_id: "wamid.M", emoji } }] });
const edit = (id: string, body: string) =>
  change("smb_message_echoes", {
    message_echoes: [
      {
        from: "15550783881",
        to: "16505551234",
        id,
        timestamp: "30",
        type: "edit",
        edit: { original_message_id: "wamid.M", message: { type: "text", text: { body } } },
      },
    ],
  });

/** A lifecycle event of business 1's WABA at an entry time, as Meta sends it (no metadata). */
const lifecycleAt = (time: number, value: Record<string, unknown>): BookEvent[] =>
  parseWebhook({ object: "whatsapp_business_account", entry: [{ id: "1", time, changes: [{ field: "account_update", value }] }] });

/** The pins. */
export const RULE_PINS: readonly RulePin[] = [
  {
    rule: "a removal beats an add of the same time, although the removal's fields serialise lower",
    first: contactAdd,
    second: contactRemoval,
    async check(answers) {
      // The removal's JSON ({"phoneNumber":"16505551234","userId":"US.1"}) is below the add's: only the kind decides.
      expect(
        JSON.stringify({ phoneNumber: "16505551234", userId: "US.1" }) < JSON.stringify({ phoneNumber: "16505551234", userId: "US.2", fullName: "Ana" }),
      ).toBe(true);
      expect(await answers.getContact(ID, "16505551234")).toBeUndefined();
      expect(await answers.listContacts(ID)).toEqual([]);
    },
  },
  {
    rule: "live content beats history's for a received message, not only for an echo",
    first: historyX,
    second: receivedX,
    async check(answers) {
      expect(await answers.listMessages(ID, "16505551234")).toMatchObject([
        { id: "wamid.X", origin: "received", message: { text: { body: "live" } }, status: "read" },
      ]);
    },
  },
  {
    rule: "a rotation links the previous parent user id too",
    first: change("user_id_update", {
      user_id_update: [
        {
          wa_id: "16505551234",
          detail: "rotated",
          user_id: { previous: "US.OLD", current: "US.NEW" },
          parent_user_id: { previous: "US.ENT.OLD", current: "US.ENT.NEW" },
          timestamp: "100",
        },
      ],
    }),
    second: [],
    async check(answers) {
      expect(await answers.getIdentity(ID, "US.ENT.OLD")).toEqual({
        phoneNumbers: ["16505551234"],
        userIds: ["US.NEW", "US.OLD"],
        parentUserIds: ["US.ENT.NEW", "US.ENT.OLD"],
      });
    },
  },
  {
    rule: "two reactions of one person at one time: the greater emoji wins",
    first: [...echoM, ...react("wamid.R1", "👍")],
    second: react("wamid.R2", "❤️"),
    async check(answers) {
      expect((await answers.listMessages(ID, "16505551234"))[0]?.reactions).toEqual([{ emoji: "👍", from: "16505551234", timestamp: 20 }]);
    },
  },
  {
    rule: "two edits at one time: the greater content JSON wins",
    first: [...echoM, ...edit("wamid.E1", "a")],
    second: edit("wamid.E2", "b"),
    async check(answers) {
      expect((await answers.listMessages(ID, "16505551234"))[0]).toMatchObject({ id: "wamid.M", message: { text: { body: "b" } }, editedAt: 30 });
    },
  },
  {
    rule: "a disconnection beats a connection of the same second, although its JSON sorts lower",
    first: [...echoM, ...lifecycleAt(500, { event: "PARTNER_ADDED", waba_info: { waba_id: "1" } })],
    second: lifecycleAt(500, { event: "ACCOUNT_OFFBOARDED", phone_number: "15550783881", waba_info: { waba_id: "1" } }),
    async check(answers) {
      expect(JSON.stringify({ event: "ACCOUNT_OFFBOARDED" }) < JSON.stringify({ event: "PARTNER_ADDED" })).toBe(true);
      expect(await answers.getConnection(ID)).toEqual({ state: "disconnected", since: 500, event: "ACCOUNT_OFFBOARDED" });
      // The offboarding named business 1's number: the WABA as a whole stays connected.
      expect(await answers.getConnection("1")).toEqual({ state: "connected", since: 500, event: "PARTNER_ADDED" });
    },
  },
  {
    rule: "retention drops a whole message when any piece of it is older than the horizon (here its status), and refuses it later",
    first: [...echoM, ...change("messages", { statuses: [{ id: "wamid.M", status: "read", timestamp: "9", recipient_id: "16505551234" }] })],
    second: [historyRetained(ID, { before: 10 }), ...echoM, ...react("wamid.R1", "👍")],
    async check(answers) {
      expect(await answers.listMessages(ID, "16505551234")).toEqual([]);
      expect(await answers.getConversation(ID, "16505551234")).toBeUndefined();
      // The customer stays known (retention keeps the address book and the identifiers).
      expect(await answers.getIdentity(ID, "16505551234")).toEqual({ phoneNumbers: ["16505551234"], userIds: [], parentUserIds: [] });
    },
  },
  {
    rule: "an erasure covers a message whose earliest piece is at or before it although its content is newer, and a later link joins the erased",
    first: [...echoM, ...change("messages", { statuses: [{ id: "wamid.M", status: "read", timestamp: "40", recipient_id: "16505551234" }] })],
    second: [
      personErased(ID, "16505551234", 20),
      ...change("user_id_update", {
        user_id_update: [{ wa_id: "16505551234", user_id: { previous: "US.OLD", current: "US.NEW" }, timestamp: "15" }],
      }),
    ],
    async check(answers) {
      // The message was sent at 10 (its echo), read at 40: erased at 20, it goes whole.
      expect(await answers.listMessages(ID, "16505551234")).toEqual([]);
      // Its number was seen at 40 (the status), after the erasure: it shows; the user ids, seen at 15, are erased with the person.
      expect(await answers.getIdentity(ID, "16505551234")).toEqual({ phoneNumbers: ["16505551234"], userIds: [], parentUserIds: [] });
      expect(await answers.getIdentity(ID, "US.OLD")).toBeUndefined();
    },
  },
  {
    rule: "an erasure removes the person's reactions, also to a message it does not remove",
    first: [
      ...echoM,
      ...change("messages", {
        messages: [{ from: "447700900456", id: "wamid.PR", timestamp: "15", type: "reaction", reaction: { message_id: "wamid.M", emoji: "🔥" } }],
      }),
      ...react("wamid.R1", "👍"),
    ],
    second: [personErased(ID, "+44 7700 900456", 16)],
    async check(answers) {
      // wamid.M is Ana's (16505551234), sent at 10: her own reaction (at 20) stays; the erased customer's (at 15) goes.
      expect((await answers.listMessages(ID, "16505551234"))[0]?.reactions).toEqual([{ emoji: "👍", from: "16505551234", timestamp: 20 }]);
      expect(await answers.getIdentity(ID, "447700900456")).toBeUndefined();
    },
  },
  {
    rule: "an erasure covers what is at exactly its time (a contact record, a message, a reaction); a second later stays",
    first: [
      ...contactAdd,
      ...change("messages", {
        messages: [
          { from: "447700900456", id: "wamid.O", timestamp: "10", type: "text", text: { body: "another customer" } },
          { from: "16505551234", id: "wamid.AT", timestamp: "50", type: "text", text: { body: "at the erasure" } },
          { from: "16505551234", id: "wamid.RO", timestamp: "50", type: "reaction", reaction: { message_id: "wamid.O", emoji: "🔥" } },
          { from: "16505551234", id: "wamid.AFTER", timestamp: "51", type: "text", text: { body: "a second later" } },
        ],
      }),
    ],
    second: [personErased(ID, "16505551234", 50)],
    async check(answers) {
      // The address-book record (at 50) and the message at 50 are gone; the number, seen again at 51, shows with its new message.
      expect(await answers.getContact(ID, "16505551234")).toBeUndefined();
      expect((await answers.listMessages(ID, "16505551234")).map((entry) => entry.id)).toEqual(["wamid.AFTER"]);
      expect(await answers.getIdentity(ID, "US.2")).toBeUndefined();
      // Her reaction at 50 to another customer's message goes; the message stays.
      const [other] = await answers.listMessages(ID, "447700900456");
      expect(other?.id).toBe("wamid.O");
      expect(other?.reactions ?? []).toEqual([]);
    },
  },
  {
    rule: "an erased person added again by another identifier is listed under that one, not under the erased number",
    first: [
      ...contactAdd,
      ...change("smb_app_state_sync", {
        state_sync: [{ type: "contact", contact: { user_id: "US.2", full_name: "Ana B" }, action: "add", metadata: { timestamp: 60 } }],
      }),
    ],
    second: [personErased(ID, "16505551234", 50)],
    async check(answers) {
      // The number (seen at 50) is erased and hidden; the user id, seen again at 60, names her now.
      const listed = await answers.listContacts(ID);
      expect(listed.map((entry) => [entry.fullName, entry.cursor, entry.identity])).toEqual([
        ["Ana B", "u:US.2", { phoneNumbers: [], userIds: ["US.2"], parentUserIds: [] }],
      ]);
      expect(await answers.getIdentity(ID, "16505551234")).toBeUndefined();
    },
  },
];
