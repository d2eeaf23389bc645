import { describe, expect, it } from "vitest";
import { parseWebhook, safeParseWebhook, WebhookParseError, type ParseIssue } from "../src/index.js";
import { fixtureText } from "./support/fixtures.js";

const stateSync = (items: unknown[]) => ({
  object: "whatsapp_business_account",
  entry: [
    {
      id: "102290129340398",
      changes: [
        {
          field: "smb_app_state_sync",
          value: {
            messaging_product: "whatsapp",
            metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
            state_sync: items,
          },
        },
      ],
    },
  ],
});

const goodItem = {
  type: "contact",
  contact: { full_name: "Ana Lima", phone_number: "16505551234" },
  action: "add",
  metadata: { timestamp: "1739321024" },
};

function issuesOf(body: unknown): ParseIssue[] {
  const result = safeParseWebhook(body as string);
  expect(result.success).toBe(false);
  return result.success ? [] : result.issues;
}

function thrown(body: unknown): WebhookParseError {
  try {
    parseWebhook(body as string);
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookParseError);
    expect(error).toBeInstanceOf(Error);
    return error as WebhookParseError;
  }
  throw new Error("parseWebhook did not throw");
}

describe("bodies that are not webhooks", () => {
  it.each([
    ["not JSON", "hello there", "", /not valid JSON/],
    ["truncated JSON", fixtureText("meta/echo-text.json").slice(0, 120), "", /not valid JSON.*truncated/s],
    ["an empty body", "   ", "", /empty/],
    ["null", "null", "", /received null/],
    ["an array", "[]", "", /received an array/],
    ["a number", "42", "", /received 42/],
    ["{}", "{}", "", /Unknown webhook shape \(keys: none\).*parseChange/],
    ["another product", fixtureText("invalid/other-product.json"), "object", /Expected "whatsapp_business_account" but received "page"/],
    ["entry not an array", '{"object":"whatsapp_business_account","entry":{"id":"1"}}', "entry", /Expected entry to be an array but received an object/],
    [
      "a change without a field",
      '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{}}]}]}',
      "entry[0].changes[0].field",
      /field name/,
    ],
    ["an entry whose id is an object", '{"object":"whatsapp_business_account","entry":[{"id":{},"changes":[]}]}', "entry[0].id", /WABA id/],
    ["a 360dialog body without an event", '{"id":"x","data":{}}', "event", /event name/],
    ["a 360dialog history whose WABA id is an array", '{"id":"x","event":"history","data":{"id":[],"history":[]}}', "data.id", /WABA id/],
    ["invalid UTF-8 bytes", new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), "", /UTF-8/],
    ["undefined", undefined, "", /raw request body/],
  ])("%s", (_, body, path, message) => {
    const error = thrown(body);
    expect(error.issues[0]).toMatchObject({ path });
    expect(error.issues[0]?.message).toMatch(message);
    expect(error.message).toContain(error.issues[0]?.message ?? "");
  });
});

describe("bad parts of a valid body", () => {
  it("an unknown action is an issue at its path; the good items still come out", () => {
    const result = safeParseWebhook(stateSync([goodItem, { ...goodItem, action: "edit" }, goodItem]));
    expect(result.events).toHaveLength(2);
    expect(result.success ? [] : result.issues).toEqual([
      { path: "entry[0].changes[0].value.state_sync[1].action", message: 'Expected "add" or "remove" but received "edit".' },
    ]);
  });

  it.each([["9999999999999999"], [8_640_000_000_001_000]])("a timestamp no date can hold (%s) is an issue, never a crash later", (timestamp) => {
    const result = safeParseWebhook(stateSync([goodItem, { ...goodItem, metadata: { timestamp } }]));
    expect(result.success ? [] : result.issues.map((issue) => issue.path)).toEqual(["entry[0].changes[0].value.state_sync[1].metadata.timestamp"]);
    expect(result.events).toHaveLength(1);
  });

  it("a timestamp in milliseconds (a partner provider's statuses) is converted to seconds, not taken for year 56187", () => {
    const result = safeParseWebhook(stateSync([{ ...goodItem, metadata: { timestamp: 1_710_941_393_420 } }]));
    expect(result.success).toBe(true);
    expect(result.events[0]).toMatchObject({ timestamp: 1_710_941_393 });
  });

  it('a timestamp like "yesterday"', () => {
    const [issue] = issuesOf(stateSync([{ ...goodItem, metadata: { timestamp: "yesterday" } }]));
    expect(issue).toEqual({
      path: "entry[0].changes[0].value.state_sync[0].metadata.timestamp",
      message:
        'Expected a unix timestamp in seconds or milliseconds (an integer or a string of digits, at most 8640000000000 seconds) but received "yesterday".',
    });
  });

  it.each([["NaN"], ["1.5"], ["-1"], [""]])("timestamp %j is refused", (timestamp) => {
    expect(issuesOf(stateSync([{ ...goodItem, metadata: { timestamp } }]))[0]?.path).toMatch(/timestamp$/);
  });

  it("a contact with neither phone number nor user id", () => {
    const [issue] = issuesOf(stateSync([{ ...goodItem, contact: { full_name: "Nobody", phone_number: "" } }]));
    expect(issue?.path).toBe("entry[0].changes[0].value.state_sync[0]");
    expect(issue?.message).toMatch(/neither a phone_number nor a user_id/);
  });

  it("a phone number with letters", () => {
    const [issue] = issuesOf(stateSync([{ ...goodItem, contact: { phone_number: "call me" } }]));
    expect(issue).toMatchObject({ path: "entry[0].changes[0].value.state_sync[0].contact.phone_number" });
    expect(issue?.message).toMatch(/phone number/);
  });

  it("a message with a numeric id, beside a good message and a bad state sync, loses no good event", () => {
    const result = safeParseWebhook(fixtureText("invalid/partly-bad-state-sync.json"));
    expect(result.success).toBe(false);
    expect(result.events.map((event) => event.type)).toEqual(["ContactAdded", "MessageEchoed"]);
    expect(result.success ? [] : result.issues.map((issue) => issue.path)).toEqual([
      "entry[0].changes[0].value.state_sync[1].action",
      "entry[0].changes[0].value.state_sync[2].metadata.timestamp",
      "entry[0].changes[1].value.message_echoes[0].id",
    ]);
    expect(result.success ? "" : result.issues[2]?.message).toBe("Expected a non-empty string id but received 12345.");
  });

  it("a message without a type and no content to tell it by", () => {
    const body = JSON.parse(fixtureText("meta/echo-text.json"));
    delete body.entry[0].changes[0].value.message_echoes[0].type;
    delete body.entry[0].changes[0].value.message_echoes[0].text;
    const [issue] = issuesOf(body);
    expect(issue).toMatchObject({ path: "entry[0].changes[0].value.message_echoes[0].type", message: expect.stringMatching(/message type/) });
    const [event] = safeParseWebhook(body).events;
    expect(event).toMatchObject({ type: "MessageEchoed", message: { type: "unknown", id: expect.stringMatching(/^wamid\./) } });
    expect(event?.type === "MessageEchoed" && event.message.type === "unknown" && event.message.originalType).toBe(undefined);
  });

  it("a message without a type whose only content names it is read as that type, with an issue", () => {
    const body = JSON.parse(fixtureText("meta/echo-text.json"));
    delete body.entry[0].changes[0].value.message_echoes[0].type;
    expect(issuesOf(body)).toEqual([
      { path: "entry[0].changes[0].value.message_echoes[0].type", message: 'The message has no type; it was read as "text", the only content it carries.' },
    ]);
    const [event] = safeParseWebhook(body).events;
    expect(event).toMatchObject({ type: "MessageEchoed", message: { type: "text", text: { body: expect.any(String) } } });
  });

  it("a message without a type and two content keys stays unknown", () => {
    const body = JSON.parse(fixtureText("meta/echo-text.json"));
    const echo = body.entry[0].changes[0].value.message_echoes[0];
    delete echo.type;
    echo.location = { latitude: 1, longitude: 2 };
    const [event] = safeParseWebhook(body).events;
    expect(event).toMatchObject({ type: "MessageEchoed", message: { type: "unknown" } });
  });

  it("a history message with a bad id keeps the rest of its chunk", () => {
    const body = JSON.parse(fixtureText("meta/history-chunk.json"));
    body.entry[0].changes[0].value.history[0].threads[0].messages[1].id = "";
    const result = safeParseWebhook(body);
    expect(result.success ? [] : result.issues.map((issue) => issue.path)).toEqual(["entry[0].changes[0].value.history[0].threads[0].messages[1].id"]);
    const [chunk] = result.events;
    expect(chunk?.type === "HistoryChunk" && chunk.threads[0]?.messages.length).toBe(2);
  });
});

describe("hostile bodies", () => {
  it("a body over maxBytes is refused before JSON parsing", () => {
    const big = `{"object":"whatsapp_business_account","entry":[],"pad":"${"x".repeat(2000)}"`; // not even valid JSON
    const error = thrown(big);
    expect(error.issues).toEqual([expect.objectContaining({ path: "" })]);
    expect(() => parseWebhook(big, { maxBytes: 1000 })).toThrow(/over the limit of 1000 bytes/);
    expect(() => parseWebhook(new TextEncoder().encode(big), { maxBytes: 1000 })).toThrow(/over the limit of 1000 bytes/);
  });

  it("counts UTF-8 bytes, not characters", () => {
    const body = `{"object":"whatsapp_business_account","entry":[],"pad":"${"é".repeat(600)}"}`;
    expect(body.length).toBeLessThan(1000);
    expect(() => parseWebhook(body, { maxBytes: 1000 })).toThrow(/over the limit/);
    expect(parseWebhook(body, { maxBytes: 2000 })).toEqual([]);
  });

  it("nesting 10,000 deep is an issue, not a stack overflow", () => {
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const body = `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":${deep}}]}]}`;
    const [issue] = issuesOf(body);
    expect(issue?.message).toBe("The body is nested deeper than 64 levels.");
    expect(issue?.path).toMatch(/^entry\[0\]\.changes\[0\]\.value(\[0\])+$/);
  });

  it("deep nesting inside a message is refused with its path, and the message's siblings survive", () => {
    const body = JSON.parse(fixtureText("meta/echo-media.json"));
    let deep: unknown = "end";
    for (let index = 0; index < 10_000; index++) deep = { next: deep };
    body.entry[0].changes[0].value.message_echoes[1].video.extra = deep;
    const result = safeParseWebhook(body);
    expect(result.events).toHaveLength(4);
    expect(result.success ? [] : result.issues[0]?.path).toMatch(/^entry\[0\]\.changes\[0\]\.value\.message_echoes\[1\]\.video\.extra(\.next)+$/);
  });

  it("__proto__ and constructor keys are issues, pollute nothing, and cost only themselves", () => {
    const result = safeParseWebhook(fixtureText("invalid/prototype-pollution.json"));
    expect(result.success ? [] : result.issues).toEqual([
      {
        path: "entry[0].changes[0].value.state_sync[0].contact.__proto__",
        message: 'The key "__proto__" is not allowed in a webhook body (it is used for prototype pollution).',
      },
      {
        path: "entry[0].changes[0].value.state_sync[1].contact.constructor",
        message: 'The key "constructor" is not allowed in a webhook body (it is used for prototype pollution).',
      },
    ]);
    expect(result.events).toHaveLength(3);
    for (const event of result.events) {
      expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
      expect(event.type === "ContactAdded" && Object.getPrototypeOf(event.contact)).toBe(Object.prototype);
      expect(JSON.stringify(event)).not.toContain("polluted");
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ["the top level", '{"__proto__":{"x":1},"object":"whatsapp_business_account","entry":[]}', "__proto__"],
    ["an entry", '{"object":"whatsapp_business_account","entry":[{"id":"1","constructor":{},"changes":[]}]}', "entry[0].constructor"],
    [
      "an unhandled value",
      '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":{"a":{"prototype":1}}}]}]}',
      "entry[0].changes[0].value.a.prototype",
    ],
    [
      "a history message's content",
      JSON.stringify(JSON.parse(fixtureText("meta/history-chunk.json"))).replace('"body":"Yes! Size M and L."', '"body":"x","__proto__":{"polluted":true}'),
      "entry[0].changes[0].value.history[0].threads[0].messages[1].text.__proto__",
    ],
    [
      "a history_context",
      JSON.stringify(JSON.parse(fixtureText("meta/history-chunk.json"))).replace('"status":"delivered"', '"status":"delivered","constructor":"x"'),
      "entry[0].changes[0].value.history[0].threads[0].messages[2].history_context.constructor",
    ],
  ])("in %s", (_, body, path) => {
    const issues = issuesOf(body);
    expect(issues.map((issue) => issue.path)).toContain(path);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("an already-parsed object whose getter throws is an issue, not a crash", () => {
    const body = {
      object: "whatsapp_business_account",
      get entry(): never {
        throw new Error("boom");
      },
    };
    expect(safeParseWebhook(body)).toEqual({ success: false, events: [], issues: [{ path: "", message: "The body could not be parsed: boom" }] });
  });
});
