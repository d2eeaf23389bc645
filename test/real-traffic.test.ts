/**
 * Real traffic, nothing lost: the shapes that other SDKs' fixtures, providers' docs and captures
 * show (spec, "What real traffic omits or bends"), and the rule behind them: a message is left out
 * only when its id or timestamp is unusable, and everything it could not read is an issue.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseWebhook, safeParseWebhook, type CoexistenceEvent, type HistoryMessage, type Message } from "../src/index.js";
import { joinPath } from "../src/core/path.js";
import { fixtureText, validBodies } from "./support/fixtures.js";
import { mutate, pathsOf } from "./support/mutate.js";

type Path = (string | number)[];

const MESSAGE_ARRAYS = new Set(["messages", "message_echoes", "statuses"]);

/** Every message-like item of a raw body (messages, echoes, history messages, statuses), with its path. */
function rawItems(value: unknown, path: Path = [], key?: string): { path: Path; item: Record<string, unknown> }[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => {
      const here = [...path, index];
      const own = MESSAGE_ARRAYS.has(key ?? "") && typeof item === "object" && item !== null ? [{ path: here, item }] : [];
      return [...own, ...rawItems(item, here)];
    });
  }
  if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([child, item]) => rawItems(item, [...path, child], child));
  return [];
}

/** Every message id the events carry. */
function idsOf(events: readonly CoexistenceEvent[]): Set<string> {
  const ids = new Set<string>();
  const add = (messages: readonly (Message | HistoryMessage)[]) => messages.forEach((message) => ids.add(message.id));
  for (const event of events) {
    if (event.type === "MessageEchoed" || event.type === "MessageReceived") add([event.message]);
    else if (event.type === "MessageStatusUpdated") ids.add(event.messageId);
    else if (event.type === "HistoryMedia") add(event.messages);
    else if (event.type === "HistoryChunk") for (const thread of event.threads) add(thread.messages);
  }
  return ids;
}

const pathText = (path: Path) => path.reduce<string>((text, key) => joinPath(text, key), "");

describe("no message is lost", () => {
  for (const fixture of validBodies()) {
    it(`every message id in ${fixture.name} comes out`, () => {
      const items = rawItems(JSON.parse(fixture.text));
      const ids = idsOf(parseWebhook(fixture.text));
      for (const { item } of items) expect(ids, JSON.stringify(item).slice(0, 120)).toContain(item.id);
    });
  }

  it("the corpus covers messages, echoes, history messages and statuses", () => {
    const keys = validBodies().flatMap((fixture) => rawItems(JSON.parse(fixture.text)).map(({ path }) => String(path.at(-2))));
    expect(new Set(keys)).toEqual(new Set(["messages", "message_echoes", "statuses"]));
    expect(keys.length).toBeGreaterThan(80);
  });

  const documents = validBodies()
    .map((fixture) => ({ name: fixture.name, document: JSON.parse(fixture.text) as unknown }))
    .filter(({ document }) => rawItems(document).length > 0);

  it("with any content field (not an id) deleted or retyped, every id still comes out, and what could not be read is an issue", () => {
    const cases = fc
      .constantFrom(...documents)
      .chain(({ document }) => fc.constantFrom(...rawItems(document).map(({ path, item }) => ({ document, path, item }))))
      .chain(({ document, path, item }) => {
        const identity = new Set(item.status === undefined ? ["id", "timestamp"] : ["id", "status", "timestamp"]);
        const inside = pathsOf(item).filter((sub) => !(sub.length === 1 && identity.has(String(sub[0]))));
        return fc.tuple(fc.constant({ document, path, item }), fc.constantFrom(...inside), fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 })));
      });
    fc.assert(
      fc.property(cases, ([{ document, path, item }, sub, replacement]) => {
        const target = [...path, ...sub];
        const body = mutate(document, target, replacement === undefined ? { kind: "delete" } : { kind: "retype", value: replacement });
        const before = rawItems(document).map(({ item: raw }) => raw.id);
        const result = safeParseWebhook(body as object);
        const ids = idsOf(result.events);
        for (const id of before) expect(ids).toContain(id);
        const original = sub.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], item);
        const kind = (value: unknown) => (Array.isArray(value) ? "array" : value === null ? "null" : typeof value);
        if (replacement !== undefined && kind(replacement) !== kind(original)) {
          const reported = !result.success && result.issues.some((issue) => issue.path.startsWith(pathText(path)));
          const kept = JSON.stringify(result.events).includes(JSON.stringify(replacement));
          expect(reported || kept, `${pathText(target)} = ${JSON.stringify(replacement)}`).toBe(true);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

function only<T extends CoexistenceEvent["type"]>(events: CoexistenceEvent[], type: T) {
  return events.filter((event): event is Extract<CoexistenceEvent, { type: T }> => event.type === type);
}
const parse = (name: string) => parseWebhook(fixtureText(name));

describe("fields real traffic omits are optional, and no issue", () => {
  it("echoes follow the sending shape: { id, caption } and { link }, no sha256 or mime_type", () => {
    const [image, document, reaction] = only(parse("meta/echo-sending-shape-media.json"), "MessageEchoed").map((event) => event.message);
    expect(image).toMatchObject({ type: "image", image: { id: "1479537139650973", caption: "Our new menu" } });
    expect(document).toMatchObject({ type: "document", document: { link: "https://example.com/files/price-list.pdf", filename: "price-list.pdf" } });
    expect(reaction).toMatchObject({ type: "reaction", reaction: { emoji: "", removed: true } });
  });

  it("received media without sha256 or mime_type, and a location with only its coordinates", () => {
    const messages = only(parse("meta/messages-media-without-hashes.json"), "MessageReceived").map((event) => event.message);
    expect(messages.map((message) => message.type)).toEqual(["image", "sticker", "location"]);
    expect(messages[0]).toMatchObject({ image: { id: "2001894563217845", mimeType: "image/jpeg" } });
    expect(messages[0]?.type === "image" && messages[0].image.sha256).toBeUndefined();
  });

  it("history media without an asset id; the follow-up's profile rides on the HistoryMedia event", () => {
    const events = parse("meta/history-media-no-asset-id.json");
    expect(events.map((event) => event.type)).toEqual(["HistoryMedia"]);
    const [media] = only(events, "HistoryMedia");
    expect(media?.messages.map((message) => [message.type, message.direction])).toEqual([
      ["video", "inbound"],
      ["image", "outbound"],
    ]);
    expect(media?.contacts).toEqual([{ phoneNumber: "16505551234", profileName: "Ana Lima" }]);
  });

  it("an edit's new image as { id, caption }, with its context", () => {
    const [edit] = only(parse("meta/echo-edit-media-id-caption.json"), "MessageEchoed");
    expect(edit?.message).toMatchObject({
      type: "edit",
      edit: { message: { type: "image", image: { id: "1479537139650999", caption: "Our new menu (prices fixed)" }, context: { id: expect.any(String) } } },
    });
  });

  it("a contact card with vcard and origin but no name, sent by a BSUID-only customer", () => {
    const [event] = only(parse("meta/messages-contact-request.json"), "MessageReceived");
    expect(event?.message).toMatchObject({ fromUserId: "US.10000000000000000001", type: "contacts" });
    expect(event?.message.type === "contacts" && event.message.contacts[0]).toMatchObject({
      origin: "contact_request",
      phones: [{ phone: "+1 650 555 1234", waId: "16505551234", type: "CELL" }],
      vcard: expect.stringContaining("BEGIN:VCARD"),
    });
    expect(event?.contact).toEqual({ userId: "US.10000000000000000001", username: "ana.lima" });
  });

  it("type interactive with no interactive object, beside value-level errors (typed, with the business they concern)", () => {
    const events = parse("meta/messages-interactive-errors.json");
    expect(events.map((event) => event.type)).toEqual(["MessageReceived", "ErrorsReported"]);
    expect(events[0]?.type === "MessageReceived" && events[0].message).toMatchObject({ type: "interactive" });
    expect(events[1]).toMatchObject({
      type: "ErrorsReported",
      phoneNumberId: "106540352242922",
      field: "messages",
      errors: [{ code: 131000, title: "Something went wrong", details: "Unsupported interactive message" }],
    });
  });

  it("interactive replies are camelCase: buttons, lists, flows, call permission; a template button", () => {
    const messages = only(parse("meta/messages-interactive-replies.json"), "MessageReceived").map((event) => event.message);
    expect(messages.map((message) => (message.type === "interactive" ? message.interactive : undefined))).toEqual([
      { type: "button_reply", buttonReply: { id: "confirm", title: "Confirm" } },
      { type: "list_reply", listReply: { id: "slot-3", title: "Thu 10:00", description: "Dr. Mehta" } },
      { type: "nfm_reply", nfmReply: { name: "flow", body: "Sent", responseJson: '{"flow_token":"f-1","size":"M"}' } },
      {
        type: "call_permission_reply",
        callPermissionReply: { response: "accept", isPermanent: false, expirationTimestamp: 1740005403, responseSource: "user_action" },
      },
      undefined,
    ]);
    expect(messages[4]).toMatchObject({ type: "button", button: { payload: "STOP_PROMOTIONS", text: "Stop promotions" } });
  });

  it("click-to-WhatsApp referrals are camelCase; what is not modelled stays in extra", () => {
    const [event] = only(parse("meta/messages-referral-video.json"), "MessageReceived");
    expect(event?.message.referral).toEqual({
      sourceUrl: "https://fb.me/9xKp2",
      sourceId: "120211111111111111",
      sourceType: "ad",
      headline: "Corso di cucina",
      body: "Iscriviti ora",
      mediaType: "video",
      videoUrl: "https://video.xx.fbcdn.net/v/t42/ad.mp4",
      thumbnailUrl: "https://scontent.xx.fbcdn.net/v/t45/thumb.jpg",
      ctwaClid: "AffJ4bT1x9Qm",
      extra: { welcome_message: { text: "Ciao! Come possiamo aiutarti?" } },
    });
  });

  it("profiles without a profile object, or with only a username, attach to the events they describe", () => {
    const [voice] = only(parse("meta/echo-captured-voice-note.json"), "MessageEchoed");
    expect(voice?.contact).toEqual({ phoneNumber: "5511987654321", userId: "BR.3000000000000000001" });
    expect(voice?.message).toMatchObject({ type: "audio", audio: { voice: true, mimeType: "audio/ogg; codecs=opus" } });
    const [echo] = only(parse("meta/echo-contacts-username-only.json"), "MessageEchoed");
    expect(echo?.contact).toEqual({ userId: "US.10000000000000000001", username: "ana.lima" });
  });
});

describe("envelopes that bend", () => {
  it("a 360dialog body without data.id: the events come out without wabaId", () => {
    const events = parse("360dialog/state-sync-no-data-id.json");
    expect(events).toMatchObject([{ type: "ContactAdded", source: "360dialog", deliveryId: "c3a1f2e4-7b6d-4c5e-9a8f-1b2c3d4e5f60" }]);
    expect(events[0]).not.toHaveProperty("wabaId");
  });

  it("a history item without metadata gives a chunk without phase, order or progress", () => {
    const [chunk] = only(parse("meta/history-no-metadata.json"), "HistoryChunk");
    expect(chunk).not.toHaveProperty("phase");
    expect(chunk).not.toHaveProperty("progress");
    expect(chunk?.threads[0]?.messages.map((message) => message.direction)).toEqual(["inbound", "outbound"]);
  });

  it("a display number that is a placeholder costs that field, never the events", () => {
    const result = safeParseWebhook(fixtureText("meta/metadata-placeholder.json"));
    expect(result.success).toBe(true);
    expect(result.events).toMatchObject([{ type: "MessageEchoed", phoneNumberId: "106540352242922" }]);
    expect(result.events[0]).not.toHaveProperty("displayPhoneNumber");
  });

  it("a formatted display number is normalised", () => {
    expect(parse("meta/history-to-on-inbound.json")[0]).toMatchObject({ displayPhoneNumber: "15550783881" });
  });

  it("a body without object whose entry[].changes[] are well-formed is Meta's envelope", () => {
    expect(parse("meta/no-object-key.json")).toMatchObject([{ type: "MessageReceived", source: "meta", contact: { profileName: "Ana Lima" } }]);
  });

  it("message_echoes inside a messages change become MessageEchoed; statuses are typed; calls stay raw", () => {
    const events = parse("meta/messages-with-echoes-calls.json");
    expect(events.map((event) => event.type)).toEqual(["MessageEchoed", "MessageStatusUpdated", "UnhandledChange"]);
    expect(events[2]?.type === "UnhandledChange" && Object.keys(events[2].value as object)).toEqual(["messaging_product", "metadata", "calls"]);
  });
});

describe("direction of history messages, by the spec's rule", () => {
  it("to is no signal on its own: customers' messages carry to = the business number or its phone_number_id", () => {
    const [chunk] = only(parse("meta/history-to-on-inbound.json"), "HistoryChunk");
    expect(chunk?.threads[0]?.messages.map((message) => message.direction)).toEqual(["inbound", "inbound", "outbound", "outbound"]);
  });

  it.each([
    ["from is the business display number", { from: "15550783881" }, "outbound"],
    ["from is the business phone_number_id", { from: "106540352242922" }, "outbound"],
    ["from is the thread's customer, even with from_me", { from: "16505551234", history_context: { from_me: true } }, "inbound"],
    ["from_user_id is the thread's customer", { from_user_id: "US.1", to: "12025550000" }, "inbound"],
    ["to is the business", { to: "15550783881" }, "inbound"],
    ["to is someone else", { to: "12025550000" }, "outbound"],
    ["only from_me", { history_context: { from_me: true } }, "outbound"],
    ["nothing at all", {}, "inbound"],
  ])("%s", (_, fields, direction) => {
    const message = { id: "wamid.1", timestamp: "1", type: "text", text: { body: "x" }, ...fields };
    const value = {
      metadata: { display_phone_number: "+1 555 078 3881", phone_number_id: "106540352242922" },
      history: [{ metadata: { phase: 0, chunk_order: 1, progress: 10 }, threads: [{ id: "16505551234", context: { user_id: "US.1" }, messages: [message] }] }],
    };
    const [chunk] = parseWebhook({ object: "whatsapp_business_account", entry: [{ id: "1", changes: [{ field: "history", value }] }] });
    expect(chunk?.type === "HistoryChunk" && chunk.threads[0]?.messages[0]?.direction).toBe(direction);
  });
});

describe("statuses and identity events", () => {
  it("statuses: lowercased, BSUID recipients under every parent-id name, failed with errors, groups, read before delivered", () => {
    const events = only(parse("meta/statuses-bsuid-failed.json"), "MessageStatusUpdated");
    expect(events.map((event) => event.status)).toEqual(["read", "delivered", "delivered", "failed", "delivered"]);
    expect(events[0]).toMatchObject({
      conversation: { id: "c2f0a9", expirationTimestamp: 1739487500, originType: "utility" },
      pricing: { pricingModel: "PMP" },
    });
    expect(events[2]?.recipient).toEqual({ userId: "BR.2186878922080769", parentUserId: "BR.ENT.5521000000000001" });
    expect(events[2]?.bizOpaqueCallbackData).toBe("order-4821");
    expect(events[3]?.errors?.[0]).toMatchObject({ code: 131047, details: expect.stringContaining("24 hours"), href: expect.stringContaining("error-codes") });
    expect(events[4]).toMatchObject({ recipientType: "group", groupId: "120363025000000001", recipient: { participant: { phoneNumber: "5511987654321" } } });
    expect(events[0]?.contact).toMatchObject({ profileName: "Ana Lima" });
  });

  it("the newest parent-id name wins when a status carries several", () => {
    const status = {
      id: "wamid.s",
      status: "SENT",
      timestamp: 1,
      recipient_user_id: "US.1",
      parent_user_id: "US.ENT.old",
      recipient_parent_user_id: "US.ENT.new",
    };
    const [event] = parseWebhook({
      object: "whatsapp_business_account",
      entry: [{ id: "1", changes: [{ field: "messages", value: { statuses: [status] } }] }],
    });
    expect(event).toMatchObject({ type: "MessageStatusUpdated", status: "sent", recipient: { userId: "US.1", parentUserId: "US.ENT.new" } });
  });

  it("user_id_update becomes UserIdChanged with the profile", () => {
    expect(parse("meta/user-id-update.json")).toMatchObject([
      {
        type: "UserIdChanged",
        previousUserId: "US.10000000000000000001",
        userId: "US.20000000000000000002",
        previousParentUserId: "US.ENT.1181000000000001",
        parentUserId: "US.ENT.1181000000000002",
        phoneNumber: "16505559999",
        timestamp: 1739401200,
        contact: { profileName: "Ana Lima" },
      },
    ]);
  });

  it("user_preferences becomes UserPreferencesUpdated", () => {
    expect(parse("meta/user-preferences.json")).toMatchObject([
      {
        type: "UserPreferencesUpdated",
        user: { phoneNumber: "16505551234", userId: "US.10000000000000000001" },
        category: "marketing_messages",
        value: "stop",
      },
    ]);
  });

  it("system messages: number and user id changes, in the 2026 and the older names", () => {
    const systems = only(parse("meta/messages-system.json"), "MessageReceived").map((event) => event.message.type === "system" && event.message.system);
    expect(systems).toMatchObject([
      {
        type: "user_changed_number",
        previousPhoneNumber: "16505551234",
        phoneNumber: "16505559999",
        previousUserId: "US.10000000000000000001",
        userId: "US.20000000000000000002",
      },
      {
        type: "user_changed_user_id",
        previousUserId: "US.20000000000000000002",
        userId: "US.20000000000000000003",
        previousParentUserId: "US.ENT.1181000000000002",
      },
      { type: "customer_changed_number", previousPhoneNumber: "447700900456", phoneNumber: "447700900999" },
      { type: "customer_identity_changed", identity: "Tvzz4BgGdlHOCz+ZPXVtwQ==" },
    ]);
  });
});

describe("what cannot be read is an issue, and the message still comes out", () => {
  it("a text whose body is a number comes out as unknown, with its raw object, beside the issue", () => {
    const body = JSON.parse(fixtureText("meta/echo-text.json"));
    body.entry[0].changes[0].value.message_echoes[0].text.body = 42;
    const result = safeParseWebhook(body);
    expect(result.success ? [] : result.issues).toEqual([
      { path: "entry[0].changes[0].value.message_echoes[0].text.body", message: "Expected a string but received 42." },
    ]);
    expect(result.events).toMatchObject([{ type: "MessageEchoed", message: { type: "unknown", originalType: "text", raw: { text: { body: 42 } } } }]);
  });

  it("a caption that is not text costs the caption only", () => {
    const body = JSON.parse(fixtureText("meta/echo-sending-shape-media.json"));
    body.entry[0].changes[0].value.message_echoes[0].image.caption = { text: "menu" };
    const result = safeParseWebhook(body);
    expect(result.success ? [] : result.issues.map((issue) => issue.path)).toEqual(["entry[0].changes[0].value.message_echoes[0].image.caption"]);
    expect(result.events[0]).toMatchObject({ message: { type: "image", image: { id: "1479537139650973" } } });
    expect(result.events[0]?.type === "MessageEchoed" && result.events[0].message.type === "image" && result.events[0].message.image.caption).toBeUndefined();
  });

  it("a bad sender number costs that field; a bad id drops the message", () => {
    const body = JSON.parse(fixtureText("meta/messages-media-without-hashes.json"));
    body.entry[0].changes[0].value.messages[0].from = "call me";
    body.entry[0].changes[0].value.messages[1].id = 7;
    const result = safeParseWebhook(body);
    expect(result.success ? [] : result.issues.map((issue) => issue.path)).toEqual([
      "entry[0].changes[0].value.messages[0].from",
      "entry[0].changes[0].value.messages[1].id",
    ]);
    expect(result.events.map((event) => event.type === "MessageReceived" && [event.message.type, event.message.from])).toEqual([
      ["image", undefined],
      ["location", "16505551234"],
    ]);
  });
});
