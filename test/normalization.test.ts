import { describe, expect, it } from "vitest";
import { normalizePhone, parseChange, parseWebhook, type CoexistenceEvent, type HistoryChunk, type MessageEchoed } from "../src/index.js";
import { fixtureText } from "./support/fixtures.js";

const parseFixture = (name: string) => parseWebhook(fixtureText(name));
const only = <T extends CoexistenceEvent["type"]>(events: CoexistenceEvent[], type: T) =>
  events.filter((event): event is Extract<CoexistenceEvent, { type: T }> => event.type === type);
const messagesOf = (chunk: HistoryChunk) => chunk.threads.flatMap((thread) => thread.messages);

const metadata = { display_phone_number: "+1 555-078-3881", phone_number_id: "106540352242922" };

describe("phone numbers", () => {
  it.each([
    ["16505551234", "16505551234"],
    ["+16505551234", "16505551234"],
    ["+1 (650) 555-1234", "16505551234"],
    ["+55 11 98765-4321", "5511987654321"],
    ["1.650.555.1234", "16505551234"],
    ["", undefined],
    ["phone", null],
  ])("%j becomes %j", (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it("display_phone_number in metadata is digits too", () => {
    const item = { type: "contact", contact: { phone_number: "1" }, action: "add", metadata: { timestamp: 1 } };
    const [event] = parseChange({ field: "smb_app_state_sync", value: { metadata, state_sync: [item] } }, { wabaId: "1" });
    expect(event?.displayPhoneNumber).toBe("15550783881");
  });

  it('"" and a missing phone_number are both absent, and the user id identifies the contact', () => {
    const contacts = only(parseFixture("meta/state-sync-bsuid.json"), "ContactAdded").map((event) => event.contact);
    expect(contacts.every((contact) => !("phoneNumber" in contact))).toBe(true);
    expect(contacts.map((contact) => contact.userId)).toEqual(["BR.2186878922080769", "US.13491208655302741918"]);
  });
});

describe("business-scoped user ids", () => {
  it("countryCode comes from the payload, else from the user id's prefix", () => {
    const [davi, emma] = only(parseFixture("meta/state-sync-bsuid.json"), "ContactAdded");
    expect(davi?.contact).toMatchObject({ countryCode: "BR", username: "davirocha" });
    expect(emma?.contact).toMatchObject({ countryCode: "US", parentUserId: "US.ENT.11815799212886844830" });
  });

  it("a thread with an empty id takes its customer from context", () => {
    const [chunk] = only(parseFixture("meta/history-bsuid-thread.json"), "HistoryChunk");
    expect(chunk?.threads.map(({ messages: _, ...thread }) => thread)).toEqual([
      { userId: "BR.2186878922080769", username: "davirocha", countryCode: "BR" },
      { userId: "MX.55501234567890123", countryCode: "MX" },
    ]);
    expect(messagesOf(chunk!)[0]).toMatchObject({ fromUserId: "BR.2186878922080769", direction: "inbound" });
    expect(messagesOf(chunk!)[0]).not.toHaveProperty("from");
  });

  it("an echo to a BSUID customer carries toUserId and the matching profile", () => {
    const [first, second] = only(parseFixture("meta/echo-bsuid.json"), "MessageEchoed");
    expect(first?.message).toMatchObject({ toUserId: "BR.2186878922080769" });
    expect(first?.message).not.toHaveProperty("to");
    expect(first?.contact).toEqual({ userId: "BR.2186878922080769", profileName: "Davi", username: "davirocha" });
    expect(second?.message).toMatchObject({ toParentUserId: "US.ENT.11815799212886844830" });
    expect(second).not.toHaveProperty("contact");
  });
});

describe("timestamps and numbers", () => {
  it("strings and integers both become numbers", () => {
    expect(only(parseFixture("meta/state-sync-initial.json"), "ContactAdded").map((event) => event.timestamp)).toEqual([1739321024, 1739321025, 1739321026]);
  });

  it("360dialog's string phase and progress become numbers", () => {
    const [chunk] = only(parseFixture("360dialog/history-chunk.json"), "HistoryChunk");
    expect(chunk).toMatchObject({ phase: 0, chunkOrder: 1, progress: 100 });
  });
});

describe("history", () => {
  it("direction: the business number in from means outbound, the thread's customer inbound, from_me outbound when nothing else says", () => {
    const [chunk] = only(parseFixture("meta/history-chunk.json"), "HistoryChunk");
    expect(messagesOf(chunk!).map((message) => message.direction)).toEqual(["inbound", "outbound", "outbound", "inbound", "outbound"]);
    const echoed = structuredClone(JSON.parse(fixtureText("meta/history-chunk.json")));
    const reaction = echoed.entry[0].changes[0].value.history[0].threads[1].messages[1];
    delete reaction.from; // only from_me says it is the business's
    const [again] = only(parseWebhook(echoed), "HistoryChunk");
    expect(messagesOf(again!)[4]?.direction).toBe("outbound");
  });

  it("status is lowercased and unknown values are kept", () => {
    const [chunk] = only(parseFixture("meta/history-status-case.json"), "HistoryChunk");
    expect(messagesOf(chunk!).map((message) => message.status)).toEqual(["delivered", "played", "error", "pending", "deleted_by_sender"]);
  });

  it("placeholders, unsupported and unknown types parse, with their errors", () => {
    const [chunk] = only(parseFixture("meta/history-placeholders-unsupported.json"), "HistoryChunk");
    const messages = messagesOf(chunk!);
    expect(messages.map((message) => message.type)).toEqual(["media_placeholder", "media_placeholder", "unsupported", "unsupported", "unknown"]);
    expect(messages[2]?.errors?.[0]).toEqual({
      code: 131051,
      title: "Message type unknown",
      message: "Message type unknown",
      details: "Message type is currently not supported.",
    });
    expect(messages[4]).toMatchObject({ type: "unknown", originalType: "system_notice", direction: "outbound", status: "sent" });
  });

  it("the media follow-up: value.messages are inbound, value.message_echoes outbound, urls kept", () => {
    const [media] = only(parseFixture("meta/history-media-follow-up.json"), "HistoryMedia");
    expect(media?.messages.map((message) => [message.type, message.direction])).toEqual([
      ["image", "inbound"],
      ["document", "outbound"],
    ]);
    expect(media?.messages[0]?.type === "image" && media.messages[0].image.url).toMatch(/^https:\/\/lookaside/);
  });

  it("empty threads and progress 100 followed by more chunks are kept as they come", () => {
    expect(only(parseFixture("meta/history-empty-threads.json"), "HistoryChunk")[0]?.threads).toEqual([]);
    expect(only(parseFixture("meta/history-complete-then-more.json"), "HistoryChunk").map((chunk) => [chunk.chunkOrder, chunk.progress])).toEqual([
      [4, 100],
      [5, 100],
    ]);
  });

  it("a refusal is a HistoryDeclined in both envelopes", () => {
    const [meta] = parseFixture("meta/history-declined.json");
    const [dialog] = parseFixture("360dialog/history-declined.json");
    expect(meta).toMatchObject({ type: "HistoryDeclined", code: 2593109, source: "meta" });
    expect(dialog).toMatchObject({ type: "HistoryDeclined", code: 2593109, source: "360dialog", deliveryId: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d" });
  });
});

describe("messages", () => {
  it("a reaction with an empty emoji is a removal", () => {
    const [added, removed] = only(parseFixture("meta/echo-reaction.json"), "MessageEchoed");
    expect(added?.message.type === "reaction" && added.message.reaction).toMatchObject({ emoji: "❤️", removed: false });
    expect(removed?.message.type === "reaction" && removed.message.reaction).toMatchObject({ emoji: "", removed: true });
  });

  it("an edit nests the new content, with its context and media", () => {
    const [, image] = only(parseFixture("meta/echo-edit-revoke.json"), "MessageEchoed");
    const edit = image?.message.type === "edit" ? image.message.edit : undefined;
    expect(edit?.message).toMatchObject({ type: "image", context: { from: "16505551234" }, image: { caption: "New collection (updated prices)" } });
  });

  it("an unknown type keeps its raw object exactly as received", () => {
    const events = only(parseFixture("meta/echo-passthrough-types.json"), "MessageEchoed");
    const poll = events.at(-1)?.message;
    const raw = JSON.parse(fixtureText("meta/echo-passthrough-types.json")).entry[0].changes[0].value.message_echoes[5];
    expect(poll).toMatchObject({ type: "unknown", originalType: "poll", timestamp: 1739322005 });
    expect(poll?.type === "unknown" && poll.raw).toEqual(raw);
  });

  it("unknown keys are kept, on contacts, messages and contents", () => {
    const [edited] = only(parseFixture("meta/state-sync-edit.json"), "ContactAdded");
    expect(edited?.contact.extra).toEqual({ is_favourite: true });
    const [echo] = only(parseFixture("meta/echo-plus-to.json"), "MessageEchoed") as MessageEchoed[];
    expect(echo?.message).toMatchObject({ to: "16505551234", text: { body: "See you at 5!", extra: { preview_url: false } } });
    const [received] = only(parseFixture("meta/messages-bsuid-referral.json"), "MessageReceived");
    expect(received?.message).toMatchObject({ referral: { sourceType: "ad", headline: "Summer sale" } });
  });

  it("an unknown key cannot impersonate a typed field: it stays in extra, as received", () => {
    const value = {
      metadata,
      message_echoes: [
        { from: "15550783881", to: "1", id: "wamid.1", timestamp: 1, type: "text", text: { body: "x" }, toUserId: 42, fromUserId: { evil: true } },
      ],
    };
    const [event] = parseChange({ field: "smb_message_echoes", value }, { wabaId: "1" });
    expect(event?.type === "MessageEchoed" && event.message).not.toHaveProperty("toUserId");
    expect(event?.type === "MessageEchoed" && event.message).not.toHaveProperty("fromUserId");
    expect(event?.type === "MessageEchoed" && event.message.extra).toEqual({ toUserId: 42, fromUserId: { evil: true } });
  });

  it("a received message carries the sender's profile and its reply context", () => {
    const [event] = only(parseFixture("meta/messages-inbound.json"), "MessageReceived");
    expect(event?.contact).toEqual({ phoneNumber: "16505551234", profileName: "Ana Lima" });
    expect(event?.message.context).toEqual({ from: "15550783881", id: "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA" });
  });
});

describe("nothing is silently dropped", () => {
  it("a messages change's statuses become MessageStatusUpdated events with the business metadata", () => {
    const events = parseFixture("meta/messages-statuses.json");
    expect(events).toMatchObject([{ type: "MessageStatusUpdated", status: "delivered", phoneNumberId: "106540352242922" }]);
  });

  it("a mixed POST gives every event, in body order, keyed by each entry's WABA", () => {
    expect(parseFixture("meta/mixed-batch.json").map((event) => [event.type, event.wabaId])).toEqual([
      ["ContactAdded", "102290129340398"],
      ["MessageReceived", "102290129340398"],
      ["MessageStatusUpdated", "102290129340398"],
      ["MessageEchoed", "209384756102938"],
      ["AccountLifecycleChanged", "209384756102938"],
    ]);
  });

  it("state sync items of another type and unknown value keys become an UnhandledChange; a profile alone never does", () => {
    const events = parseChange(
      {
        field: "smb_app_state_sync",
        value: {
          metadata,
          state_sync: [
            { type: "label", label: { name: "VIP" }, action: "add", metadata: { timestamp: 1 } },
            { type: "contact", contact: { phone_number: "1" }, action: "add", metadata: { timestamp: 1 } },
          ],
          sync_reason: "initial",
        },
      },
      { wabaId: "1" },
    );
    expect(events.map((event) => event.type)).toEqual(["ContactAdded", "UnhandledChange"]);
    expect(events[1]?.type === "UnhandledChange" && events[1].value).toEqual({
      metadata,
      sync_reason: "initial",
      state_sync: [{ type: "label", label: { name: "VIP" }, action: "add", metadata: { timestamp: 1 } }],
    });
    const echoes = parseChange(
      {
        field: "smb_message_echoes",
        value: { metadata, contacts: [{ wa_id: "999", profile: { name: "Stranger" } }], message_echoes: [] },
      },
      { wabaId: "1" },
    );
    expect(echoes).toEqual([]);
  });

  it("360dialog's other events become an UnhandledChange with the raw data", () => {
    const [event] = parseFixture("360dialog/client-created.json");
    expect(event).toEqual({
      type: "UnhandledChange",
      source: "360dialog",
      deliveryId: "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
      field: "client_created",
      value: JSON.parse(fixtureText("360dialog/client-created.json")).data,
    });
  });
});

describe("parseChange", () => {
  it("takes the envelope's facts as a second argument", () => {
    const change = JSON.parse(fixtureText("bare/history-declined-value.json"));
    const [event] = parseChange(change, { wabaId: "9", source: "360dialog", deliveryId: "d-1" });
    expect(event).toMatchObject({ wabaId: "9", source: "360dialog", deliveryId: "d-1" });
    expect(parseChange(change)[0]).toMatchObject({ source: "meta" });
    expect(parseChange(change)[0]).not.toHaveProperty("wabaId");
  });

  it("throws a WebhookParseError for a change without a field", () => {
    expect(() => parseChange({ value: {} } as never)).toThrow(/field name/);
  });
});
