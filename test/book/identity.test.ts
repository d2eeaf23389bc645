/**
 * One person, many identifiers, in plain words: each source of a link, each rotation, and the
 * stream from the issue that first showed four conversations for one customer.
 */
import { describe, expect, it } from "vitest";
import {
  applyEvents,
  createContactBook,
  getContact,
  getConversation,
  getIdentity,
  listContacts,
  listConversations,
  parseChange,
  type CoexistenceEvent,
} from "../../src/index.js";

const BUSINESS = { display_phone_number: "15550783881", phone_number_id: "106540352242922" };
const ID = BUSINESS.phone_number_id;
const PHONE = "16505551234";
const NEW_PHONE = "16505559999";
const USER = "US.13491208655302741918";
const NEW_USER = "US.20000000000000000002";
const PARENT = "US.ENT.1181000000000001";

const change = (field: string, value: Record<string, unknown>): CoexistenceEvent[] =>
  parseChange({ field, value: { messaging_product: "whatsapp", metadata: BUSINESS, ...value } }, { wabaId: "1" });
const text = (id: string, timestamp: number, parties: Record<string, string>) => ({
  id,
  timestamp: String(timestamp),
  type: "text",
  text: { body: id },
  ...parties,
});
const bookOf = (...events: CoexistenceEvent[][]) => applyEvents(createContactBook(), events.flat());
const identity = (phoneNumbers: string[], userIds: string[], parentUserIds: string[] = []) => ({ phoneNumbers, userIds, parentUserIds });

describe("identifiers seen together in one event are one person", () => {
  it("an address-book contact's phone number, user id and parent user id", () => {
    const book = bookOf(
      change("smb_app_state_sync", {
        state_sync: [
          {
            type: "contact",
            contact: { full_name: "Ana", phone_number: PHONE, user_id: USER, parent_user_id: PARENT },
            action: "add",
            metadata: { timestamp: 1 },
          },
        ],
      }),
    );
    for (const key of [PHONE, USER, PARENT]) expect(getIdentity(book, ID, key)).toEqual(identity([PHONE], [USER], [PARENT]));
    expect(getContact(book, ID, PARENT)?.fullName).toBe("Ana");
  });

  it("a profile in value.contacts, and a received message's from and from_user_id", () => {
    const book = bookOf(
      change("messages", { contacts: [{ wa_id: PHONE, user_id: USER, profile: { name: "Ana" } }], messages: [text("wamid.1", 1, { from: PHONE })] }),
      change("messages", { messages: [text("wamid.2", 2, { from: "", from_user_id: USER })] }),
    );
    expect(getConversation(book, ID, PHONE)).toMatchObject({ messageCount: 2, lastMessageId: "wamid.2", identity: identity([PHONE], [USER]) });
  });

  it("an echo's to, to_user_id and to_parent_user_id", () => {
    const book = bookOf(
      change("smb_message_echoes", { message_echoes: [text("wamid.1", 1, { from: "15550783881", to: PHONE, to_user_id: USER, to_parent_user_id: PARENT })] }),
    );
    expect(getIdentity(book, ID, PARENT)).toEqual(identity([PHONE], [USER], [PARENT]));
  });

  it("a history thread's id and its context", () => {
    const history = [
      {
        metadata: { phase: 0, chunk_order: 1, progress: 10 },
        threads: [{ id: PHONE, context: { user_id: USER }, messages: [text("wamid.h", 1, { from: PHONE })] }],
      },
    ];
    expect(getIdentity(bookOf(change("history", { history })), ID, USER)).toEqual(identity([PHONE], [USER]));
  });

  it("a status's recipient ids", () => {
    const book = bookOf(change("messages", { statuses: [{ id: "wamid.s", status: "read", timestamp: "1", recipient_id: PHONE, recipient_user_id: USER }] }));
    expect(getIdentity(book, ID, PHONE)).toEqual(identity([PHONE], [USER]));
  });

  it("a username or a profile name links nothing", () => {
    const book = bookOf(
      change("messages", { contacts: [{ wa_id: PHONE, profile: { name: "Ana", username: "ana" } }], messages: [text("wamid.1", 1, { from: PHONE })] }),
      change("messages", {
        contacts: [{ user_id: USER, profile: { name: "Ana", username: "ana" } }],
        messages: [text("wamid.2", 2, { from: "", from_user_id: USER })],
      }),
    );
    expect(getIdentity(book, ID, PHONE)).toEqual(identity([PHONE], []));
    expect(listConversations(book, ID)).toHaveLength(2);
  });
});

describe("rotations link old and new", () => {
  it("UserIdChanged links the previous and current user ids, parent ids and phone", () => {
    const book = bookOf(change("user_id_update", { user_id_update: [{ wa_id: NEW_PHONE, user_id: { previous: USER, current: NEW_USER }, timestamp: "5" }] }));
    expect(getIdentity(book, ID, USER)).toEqual(identity([NEW_PHONE], [USER, NEW_USER]));
  });

  it("a user_changed_number system message links the old and the new number", () => {
    const book = bookOf(
      change("messages", {
        messages: [
          { from: PHONE, id: "wamid.sys", timestamp: "5", type: "system", system: { type: "user_changed_number", body: "changed", wa_id: NEW_PHONE } },
        ],
      }),
    );
    expect(getIdentity(book, ID, NEW_PHONE)).toEqual(identity([PHONE, NEW_PHONE], []));
    expect(getConversation(book, ID, PHONE)).toBeUndefined(); // a system message is not a message
  });

  it("a user_changed_user_id system message links the previous and new user ids", () => {
    const book = bookOf(
      change("messages", {
        messages: [
          {
            from_user_id: NEW_USER,
            id: "wamid.sys",
            timestamp: "5",
            type: "system",
            system: { type: "user_changed_user_id", body: "changed", user_id: NEW_USER, previous_user_id: USER },
          },
        ],
      }),
    );
    expect(getIdentity(book, ID, USER)).toEqual(identity([], [USER, NEW_USER]));
  });
});

describe("the stream that showed four conversations for one customer", () => {
  // One customer writes with phone and BSUID, then with the BSUID only, gets a reply by BSUID, then
  // changes number (a user_id_update). Meta, Kapso and Chatwoot treat these as one person.
  const stream = [
    change("messages", {
      contacts: [{ wa_id: PHONE, user_id: USER, profile: { name: "Ana" } }],
      messages: [text("wamid.1", 10, { from: PHONE, from_user_id: USER })],
    }),
    change("messages", { contacts: [{ user_id: USER, profile: { username: "ana" } }], messages: [text("wamid.2", 20, { from: "", from_user_id: USER })] }),
    change("smb_message_echoes", { message_echoes: [text("wamid.3", 30, { from: "15550783881", to: "", to_user_id: USER })] }),
    change("user_id_update", { user_id_update: [{ wa_id: NEW_PHONE, user_id: { previous: USER, current: NEW_USER }, timestamp: "40" }] }),
    change("messages", { messages: [text("wamid.4", 50, { from: NEW_PHONE, from_user_id: NEW_USER })] }),
  ];

  it("gives one conversation, whatever the order", () => {
    for (const order of [stream, [...stream].reverse(), [stream[3]!, stream[0]!, stream[4]!, stream[2]!, stream[1]!]]) {
      const book = bookOf(...order);
      expect(listConversations(book, ID)).toHaveLength(1);
      for (const key of [PHONE, NEW_PHONE, USER, NEW_USER]) {
        expect(getConversation(book, ID, key)).toEqual({
          messageCount: 4,
          lastMessageAt: 50,
          lastMessageId: "wamid.4",
          lastDirection: "inbound",
          identity: identity([PHONE, NEW_PHONE], [USER, NEW_USER]),
          phoneNumber: NEW_PHONE, // the most recently seen
          userId: NEW_USER,
        });
      }
    }
  });

  it("a person's address-book records join: the newest wins across all its identifiers", () => {
    const book = bookOf(
      ...stream,
      change("smb_app_state_sync", {
        state_sync: [{ type: "contact", contact: { full_name: "Ana (old number)", phone_number: PHONE }, action: "add", metadata: { timestamp: 15 } }],
      }),
      change("smb_app_state_sync", {
        state_sync: [{ type: "contact", contact: { full_name: "Ana Lima", phone_number: NEW_PHONE }, action: "add", metadata: { timestamp: 45 } }],
      }),
    );
    expect(listContacts(book, ID)).toEqual([
      {
        phoneNumber: NEW_PHONE,
        userId: NEW_USER,
        fullName: "Ana Lima",
        identity: identity([PHONE, NEW_PHONE], [USER, NEW_USER]),
        updatedAt: 45,
        cursor: `p:${[PHONE, NEW_PHONE].sort()[0]}`,
      },
    ]);
    const { cursor: _, ...listed } = listContacts(book, ID)[0]!;
    expect(getContact(book, ID, USER)).toEqual(listed);
  });
});

describe("what people see as messages", () => {
  it("reactions, edits and revokes change no count and are never the last message; ties go to the greater id", () => {
    const book = bookOf(
      change("messages", { messages: [text("wamid.a", 10, { from: PHONE }), text("wamid.b", 10, { from: PHONE })] }),
      change("messages", { messages: [{ from: PHONE, id: "wamid.r", timestamp: "20", type: "reaction", reaction: { message_id: "wamid.a", emoji: "👍" } }] }),
      change("smb_message_echoes", {
        message_echoes: [
          {
            from: "15550783881",
            to: PHONE,
            id: "wamid.e",
            timestamp: "30",
            type: "edit",
            edit: { original_message_id: "wamid.a", message: { type: "text", text: { body: "x" } } },
          },
          { from: "15550783881", to: PHONE, id: "wamid.v", timestamp: "31", type: "revoke", revoke: { original_message_id: "wamid.b" } },
        ],
      }),
    );
    expect(getConversation(book, ID, PHONE)).toMatchObject({ messageCount: 2, lastMessageAt: 10, lastMessageId: "wamid.b" });
  });
});
