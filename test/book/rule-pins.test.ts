/**
 * Each precedence rule pinned by one fixed example that fails when the rule changes (a mutation
 * run found that some of them survived: the random tests mostly prove that copies agree).
 */
import { describe, expect, it } from "vitest";
import { applyEvents, createContactBook, getContact, getIdentity, listMessages, parseChange, type CoexistenceEvent } from "../../src/index.js";

const BUSINESS = { display_phone_number: "15550783881", phone_number_id: "106540352242922" };
const ID = BUSINESS.phone_number_id;
const change = (field: string, value: Record<string, unknown>): CoexistenceEvent[] =>
  parseChange({ field, value: { messaging_product: "whatsapp", metadata: BUSINESS, ...value } }, { wabaId: "1" });
const bothOrders = (a: CoexistenceEvent[], b: CoexistenceEvent[]) => [
  applyEvents(createContactBook(), [...a, ...b]),
  applyEvents(createContactBook(), [...b, ...a]),
];

describe("rules pinned by fixed examples", () => {
  it("a removal beats an add of the same time, although the removal's fields serialise lower", () => {
    const add = change("smb_app_state_sync", {
      state_sync: [
        { type: "contact", contact: { phone_number: "16505551234", user_id: "US.2", full_name: "Ana" }, action: "add", metadata: { timestamp: 50 } },
      ],
    });
    const removal = change("smb_app_state_sync", {
      state_sync: [{ type: "contact", contact: { phone_number: "16505551234", user_id: "US.1" }, action: "remove", metadata: { timestamp: 50 } }],
    });
    // The removal's JSON ({"phoneNumber":"16505551234","userId":"US.1"}) is below the add's: only the kind decides.
    expect(
      JSON.stringify({ phoneNumber: "16505551234", userId: "US.1" }) < JSON.stringify({ phoneNumber: "16505551234", userId: "US.2", fullName: "Ana" }),
    ).toBe(true);
    for (const book of bothOrders(add, removal)) expect(getContact(book, ID, "16505551234")).toBeUndefined();
  });

  it("live content beats history's for a received message, not only for an echo", () => {
    const history = change("history", {
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
    const received = change("messages", { messages: [{ from: "16505551234", id: "wamid.X", timestamp: "100", type: "text", text: { body: "live" } }] });
    for (const book of bothOrders(history, received)) {
      expect(listMessages(book, ID, "16505551234")).toMatchObject([{ id: "wamid.X", origin: "received", message: { text: { body: "live" } } }]);
    }
  });

  it("a rotation links the previous parent user id too", () => {
    const rotation = change("user_id_update", {
      user_id_update: [
        {
          wa_id: "16505551234",
          detail: "rotated",
          user_id: { previous: "US.OLD", current: "US.NEW" },
          parent_user_id: { previous: "US.ENT.OLD", current: "US.ENT.NEW" },
          timestamp: "100",
        },
      ],
    });
    const book = applyEvents(createContactBook(), rotation);
    expect(getIdentity(book, ID, "US.ENT.OLD")).toEqual({
      phoneNumbers: ["16505551234"],
      userIds: ["US.NEW", "US.OLD"],
      parentUserIds: ["US.ENT.NEW", "US.ENT.OLD"],
    });
  });

  it("two reactions of one person at one time: the greater emoji wins, in every order", () => {
    const echo = change("smb_message_echoes", {
      message_echoes: [{ from: "15550783881", to: "16505551234", id: "wamid.M", timestamp: "10", type: "text", text: { body: "hello" } }],
    });
    const react = (id: string, emoji: string) =>
      change("messages", { messages: [{ from: "16505551234", id, timestamp: "20", type: "reaction", reaction: { message_id: "wamid.M", emoji } }] });
    for (const book of bothOrders([...echo, ...react("wamid.R1", "👍")], react("wamid.R2", "❤️"))) {
      expect(listMessages(book, ID, "16505551234")[0]?.reactions).toEqual([{ emoji: "👍", from: "16505551234", timestamp: 20 }]);
    }
  });
});
