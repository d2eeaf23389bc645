// A change value's shared parts, each rule pinned by a fixed body: its metadata (kept whole, read
// once, as deep as the limit allows), the event base (only the keys the body gives), the leftovers
// (nothing of a value lost), the WABA id and the envelope's dispatch, and the fast readers' refusal
// of forbidden keys. Each of these survived a mutation of the parsing code before it was pinned.
import { describe, expect, it } from "vitest";
import { safeParseWebhook, type CoexistenceEvent, type ParseIssue } from "../../src/index.js";

const METADATA = { display_phone_number: "15550783881", phone_number_id: "106540352242922" };
const ECHO = { from: "15550783881", to: "16505551234", id: "wamid.A", timestamp: "1700000000", type: "text", text: { body: "hi" } };
const MESSAGE = { id: "wamid.A", from: "15550783881", to: "16505551234", timestamp: 1_700_000_000, type: "text", text: { body: "hi" } };
const BASE = { source: "meta", wabaId: "102290129340398", phoneNumberId: "106540352242922", displayPhoneNumber: "15550783881" };

function echoes(value: Record<string, unknown>, entry: Record<string, unknown> = { id: "102290129340398" }) {
  return { object: "whatsapp_business_account", entry: [{ ...entry, changes: [{ field: "smb_message_echoes", value }] }] };
}

/** Parses the body as text (so `__proto__` and friends are own keys, as from the network). */
function parsed(body: unknown, maxDepth?: number): { events: CoexistenceEvent[]; issues: ParseIssue[] } {
  const result = safeParseWebhook(JSON.stringify(body), maxDepth === undefined ? undefined : { maxDepth });
  return { events: [...result.events], issues: result.success ? [] : [...result.issues] };
}

describe("a change value's metadata and event base", () => {
  it("a metadata key the events do not model is kept in an UnhandledChange, with the value's other parts", () => {
    const { events, issues } = parsed(echoes({ messaging_product: "whatsapp", metadata: { ...METADATA, business_id: "9" }, message_echoes: [ECHO] }));
    expect(issues).toEqual([]);
    expect(events).toStrictEqual([
      { type: "MessageEchoed", ...BASE, message: MESSAGE },
      {
        type: "UnhandledChange",
        ...BASE,
        field: "smb_message_echoes",
        value: { messaging_product: "whatsapp", metadata: { ...METADATA, business_id: "9" } },
      },
    ]);
  });

  it("an unhandled key keeps messaging_product and metadata beside it", () => {
    const { events } = parsed(echoes({ messaging_product: "whatsapp", metadata: METADATA, message_echoes: [ECHO], calls: [1] }));
    expect(events[1]).toStrictEqual({
      type: "UnhandledChange",
      ...BASE,
      field: "smb_message_echoes",
      value: { messaging_product: "whatsapp", metadata: METADATA, calls: [1] },
    });
  });

  it("without metadata, the events carry only the keys the body gives (no phoneNumberId, no deliveryId, not even as undefined)", () => {
    const { events, issues } = parsed(echoes({ messaging_product: "whatsapp", message_echoes: [ECHO] }));
    expect(issues).toEqual([]);
    expect(events).toHaveLength(1);
    expect(Object.keys(events[0]!)).toEqual(["type", "source", "wabaId", "message"]);
  });

  it("metadata one level deeper than maxDepth is refused at its path, as any part of a body is", () => {
    // value is at depth 5 (entry, entry[0], changes, changes[0], value): its metadata at 6.
    const { issues } = parsed(echoes({ messaging_product: "whatsapp", metadata: METADATA, message_echoes: [] }), 5);
    expect(issues).toEqual([{ path: "entry[0].changes[0].value.metadata", message: "The body is nested deeper than 5 levels." }]);
    expect(parsed(echoes({ messaging_product: "whatsapp", metadata: METADATA, message_echoes: [] }), 6).issues).toEqual([]);
  });

  it("an unhandled key one level deeper than maxDepth is refused at its path, not kept", () => {
    const { events, issues } = parsed(echoes({ messaging_product: "whatsapp", calls: { a: 1 } }), 5);
    expect(issues).toEqual([{ path: "entry[0].changes[0].value.calls", message: "The body is nested deeper than 5 levels." }]);
    expect(events).toEqual([]);
    expect(parsed(echoes({ messaging_product: "whatsapp", calls: { a: 1 } }), 6).events).toHaveLength(1);
  });
});

describe("the envelope's WABA id and dispatch", () => {
  it.each([
    [-1, "-1"],
    [1.5, "1.5"],
    [{}, "an object"],
  ])("an entry id of %j is an issue, and the events come out without a wabaId", (id, received) => {
    const { events, issues } = parsed(echoes({ messaging_product: "whatsapp", metadata: METADATA, message_echoes: [ECHO] }, { id }));
    expect(issues).toEqual([{ path: "entry[0].id", message: `Expected the WABA id as a string but received ${received}.` }]);
    expect(events).toHaveLength(1);
    expect(events[0]).not.toHaveProperty("wabaId");
  });

  it("a whole-number entry id is read as its digits", () => {
    const { events, issues } = parsed(echoes({ messaging_product: "whatsapp", metadata: METADATA, message_echoes: [ECHO] }, { id: 102290129340398 }));
    expect(issues).toEqual([]);
    expect(events[0]).toMatchObject({ wabaId: "102290129340398" });
  });

  it("a body with 360dialog's data but no event name is read as 360dialog's envelope, and says what is missing", () => {
    expect(parsed({ data: { id: "1", messaging_product: "whatsapp" } }).issues).toEqual([
      { path: "event", message: "Expected the 360dialog event name as a string but received nothing." },
    ]);
  });
});

describe("the fast readers refuse forbidden keys as the schemas do", () => {
  it.each([
    ["on a message", { ...ECHO, prototype: 1 }, "message_echoes[0].prototype", "prototype"],
    ["in its content", { ...ECHO, text: { body: "hi", constructor: "x" } }, "message_echoes[0].text.constructor", "constructor"],
    ["in its content, as __proto__", { ...ECHO, text: JSON.parse('{"body":"hi","__proto__":"x"}') as object }, "message_echoes[0].text.__proto__", "__proto__"],
  ])("a primitive forbidden key %s is an issue at its path; the message comes out without it", (_, echo, path, key) => {
    const body = `{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"smb_message_echoes","value":{"messaging_product":"whatsapp","metadata":${JSON.stringify(METADATA)},"message_echoes":[${jsonWithOwnKeys(echo)}]}}]}]}`;
    const result = safeParseWebhook(body);
    expect(result.success).toBe(false);
    expect(result.success ? [] : result.issues).toEqual([
      { path: `entry[0].changes[0].value.${path}`, message: `The key "${key}" is not allowed in a webhook body (it is used for prototype pollution).` },
    ]);
    expect(result.events).toStrictEqual([{ type: "MessageEchoed", ...BASE, message: MESSAGE }]);
  });
});

/** JSON text of an object, own `__proto__` keys included (JSON.stringify drops none of its own keys, but a literal cannot make one). */
function jsonWithOwnKeys(value: object): string {
  return `{${Object.keys(value)
    .map((key) => {
      const item = (value as Record<string, unknown>)[key];
      return `${JSON.stringify(key)}:${typeof item === "object" && item !== null ? jsonWithOwnKeys(item) : JSON.stringify(item)}`;
    })
    .join(",")}}`;
}
