// The change parsers at their edges: the exact depth limit of every part, malformed structure at each
// level of a history body, repairs that leave out one bad element of an array, parseChange's own
// checks, and the words of a WebhookParseError.
import { describe, expect, it } from "vitest";
import { parseChange, safeParseChange, safeParseWebhook, WebhookParseError, type CoexistenceEvent, type ParseIssue } from "../../src/index.js";
import { metaBody, validBodies } from "../support/fixtures.js";

const METADATA = { display_phone_number: "15550783881", phone_number_id: "106540352242922" };

function parsed(body: string | object, maxDepth?: number): { events: CoexistenceEvent[]; issues: ParseIssue[] } {
  const result = safeParseWebhook(body, { maxDepth });
  return { events: result.events, issues: result.success ? [] : result.issues };
}

/** The depth of the deepest object or array (the body itself is 0), and the paths of the nodes there. */
function deepest(value: unknown): { depth: number; paths: Set<string> } {
  let depth = -1;
  let paths = new Set<string>();
  const walk = (node: unknown, at: number, path: string): void => {
    if (node === null || typeof node !== "object") return;
    if (at > depth) [depth, paths] = [at, new Set()];
    if (at === depth) paths.add(path);
    if (Array.isArray(node)) node.forEach((child, index) => walk(child, at + 1, `${path}[${index}]`));
    else for (const [key, child] of Object.entries(node)) walk(child, at + 1, path === "" ? key : `${path}.${key}`);
  };
  walk(value, 0, "");
  return { depth, paths };
}

describe("maxDepth is exact for every part of every body", () => {
  it.each(validBodies().map((fixture) => [fixture.name, fixture.text]))("%s", (_, text) => {
    const { depth, paths } = deepest(JSON.parse(text));
    const within = parsed(text, depth);
    expect(within.issues.filter((issue) => issue.message.includes("nested deeper"))).toEqual([]);
    const over = parsed(text, depth - 1);
    const tooDeep = over.issues.filter((issue) => issue.message === `The body is nested deeper than ${depth - 1} levels.`);
    expect(tooDeep.length).toBeGreaterThan(0);
    // Reported where the nesting is, never above it (path syntax aside, each names a deepest node).
    const plain = (path: string) => path.replace(/\["([^"]+)"\]/g, ".$1");
    for (const issue of tooDeep) expect(paths.has(plain(issue.path)), `${issue.path} is not one of the deepest nodes`).toBe(true);
  });
});

describe("a history body, level by level", () => {
  const history = (value: Record<string, unknown>) => metaBody([{ field: "history", value: { messaging_product: "whatsapp", metadata: METADATA, ...value } }]);
  const thread = { id: "16505551234", messages: [{ from: "16505551234", id: "wamid.1", timestamp: "1739230000", type: "text", text: { body: "hi" } }] };

  it("history that is not an array is one issue and no event", () => {
    expect(parsed(history({ history: {} }))).toEqual({
      events: [],
      issues: [{ path: "entry[0].changes[0].value.history", message: 'Expected "history" to be an array.' }],
    });
  });

  it("an item with neither threads nor errors is an issue; the next item still comes out", () => {
    const { events, issues } = parsed(history({ history: [{ other: 1 }, 7, { threads: [thread] }] }));
    expect(issues).toEqual([
      { path: "entry[0].changes[0].value.history[0]", message: "Expected a history item with threads (a chunk) or errors (a refusal)." },
      { path: "entry[0].changes[0].value.history[1]", message: "Expected a history item with threads (a chunk) or errors (a refusal)." },
    ]);
    expect(events.map((event) => event.type)).toEqual(["HistoryChunk"]);
  });

  it("threads that are not an array are an issue at threads", () => {
    const { events, issues } = parsed(history({ history: [{ metadata: { phase: 0, chunk_order: 1, progress: 10 }, threads: "none" }] }));
    expect(issues).toEqual([{ path: "entry[0].changes[0].value.history[0].threads", message: "Expected threads to be an array." }]);
    expect(events).toEqual([]);
  });

  it("a chunk with metadata and no threads is an empty chunk", () => {
    const { events, issues } = parsed(history({ history: [{ metadata: { phase: 0, chunk_order: 1, progress: 10 } }] }));
    expect(issues).toEqual([]);
    expect(events).toMatchObject([{ type: "HistoryChunk", phase: 0, chunkOrder: 1, progress: 10, threads: [] }]);
  });

  it("a thread whose messages are not an array is dropped with its issue; the other threads stay", () => {
    const { events, issues } = parsed(history({ history: [{ threads: [{ id: "14155550000", messages: {} }, thread] }] }));
    expect(issues).toEqual([
      { path: "entry[0].changes[0].value.history[0].threads[0].messages", message: "Expected the thread's messages as an array but received an object." },
    ]);
    expect(events).toMatchObject([{ type: "HistoryChunk", threads: [{ id: "16505551234" }] }]);
    expect(events[0]?.type === "HistoryChunk" ? events[0].threads : []).toHaveLength(1);
  });

  it("a thread without an id is kept: its messages name the customer", () => {
    const { events, issues } = parsed(history({ history: [{ threads: [{ messages: thread.messages }] }] }));
    expect(issues).toEqual([]);
    expect(events).toMatchObject([{ type: "HistoryChunk", threads: [{ messages: [{ id: "wamid.1", direction: "inbound" }] }] }]);
  });

  it("each error of a refusal is one HistoryDeclined", () => {
    const errors = [
      { code: 2593109, title: "History declined" },
      { code: 2593108, title: "Another" },
    ];
    const { events } = parsed(history({ history: [{ errors }] }));
    expect(events.map((event) => (event.type === "HistoryDeclined" ? event.code : undefined))).toEqual([2593109, 2593108]);
  });

  it("a media follow-up with nothing in it makes no event; one with a message makes one", () => {
    expect(parsed(history({ messages: [], message_echoes: [] }))).toEqual({ events: [], issues: [] });
    const inbound = { from: "16505551234", id: "wamid.2", timestamp: "1739230001", type: "image", image: { id: "1598767494354410", mime_type: "image/jpeg" } };
    const echo = { ...inbound, id: "wamid.3", from: "15550783881", to: "16505551234" };
    for (const value of [{ messages: [inbound] }, { message_echoes: [echo] }]) {
      const { events, issues } = parsed(history(value));
      expect(issues).toEqual([]);
      expect(events).toHaveLength(1);
      expect(events[0]?.type).toBe("HistoryMedia");
    }
  });
});

describe("change values", () => {
  it.each(["history", "smb_app_state_sync", "smb_message_echoes", "messages", "user_id_update", "user_preferences"])(
    "a %s value that is not an object is one issue at the value",
    (field) => {
      expect(parsed(metaBody([{ field, value: 5 }]))).toEqual({
        events: [],
        issues: [{ path: "entry[0].changes[0].value", message: `Expected the value of a "${field}" change to be an object.` }],
      });
    },
  );

  it("a forbidden key in a value drops the value, with its issue", () => {
    const { events, issues } = parsed(
      `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"history","value":{"__proto__":{},"history":[]}}]}]}`,
    );
    expect(events).toEqual([]);
    expect(issues.map((issue) => issue.path)).toEqual(["entry[0].changes[0].value.__proto__"]);
  });

  it("an unknown key beside the items becomes an UnhandledChange with the metadata; a hostile one is only an issue", () => {
    const { events } = parsed(
      metaBody([{ field: "smb_app_state_sync", value: { messaging_product: "whatsapp", metadata: METADATA, state_sync: [], surprise: { a: 1 } } }]),
    );
    expect(events).toMatchObject([
      { type: "UnhandledChange", field: "smb_app_state_sync", value: { messaging_product: "whatsapp", metadata: METADATA, surprise: { a: 1 } } },
    ]);
    const hostile = parsed(
      `{"entry":[{"changes":[{"field":"smb_app_state_sync","value":{"metadata":${JSON.stringify(METADATA)},"state_sync":[],"surprise":{"__proto__":1}}}]}]}`,
    );
    expect(hostile.events).toEqual([]);
    expect(hostile.issues.map((issue) => issue.path)).toEqual(["entry[0].changes[0].value.surprise.__proto__"]);
  });

  it("state sync items of another type are kept whole in an UnhandledChange, in order, beside the contacts", () => {
    const contact = { type: "contact", contact: { phone_number: "16505551234" }, action: "add", metadata: { timestamp: "1739321024" } };
    const others = [{ type: "label", label: { id: "1" } }, { type: "chat" }];
    const { events } = parsed(metaBody([{ field: "smb_app_state_sync", value: { metadata: METADATA, state_sync: [others[0], contact, others[1]] } }]));
    expect(events.map((event) => event.type)).toEqual(["ContactAdded", "UnhandledChange"]);
    expect(events[1]).toMatchObject({ value: { state_sync: others } });
  });

  it("a value's metadata that cannot be read costs only its bad field", () => {
    const { events, issues } = parsed(
      metaBody([{ field: "smb_app_state_sync", value: { metadata: { display_phone_number: "15550783881", phone_number_id: {} }, state_sync: [] } }]),
    );
    expect(issues.map((issue) => issue.path)).toEqual(["entry[0].changes[0].value.metadata.phone_number_id"]);
    expect(events).toEqual([]);
    const echo = { from: "15550783881", to: "16505551234", id: "wamid.9", timestamp: "1739230000", type: "text", text: { body: "x" } };
    const withEcho = parsed(
      metaBody([{ field: "smb_message_echoes", value: { metadata: { display_phone_number: "15550783881", phone_number_id: {} }, message_echoes: [echo] } }]),
    );
    expect(withEcho.events).toHaveLength(1);
    expect(withEcho.events[0]).toMatchObject({ displayPhoneNumber: "15550783881" });
    expect(withEcho.events[0]).not.toHaveProperty("phoneNumberId");
  });
});

describe("repairs leave out exactly the bad elements", () => {
  it("bad errors of a status are left out, the good ones kept in order, and the body is not changed", () => {
    const good = (code: number) => ({ code, title: `error ${code}` });
    const status = {
      id: "wamid.S",
      status: "failed",
      timestamp: "1739322500",
      recipient_id: "16505551234",
      errors: [{ code: "x" }, good(131026), { code: "y" }, good(131047), { code: [] }],
    };
    const value = { messaging_product: "whatsapp", metadata: METADATA, statuses: [status] };
    const body = metaBody([{ field: "messages", value }]);
    const object = JSON.parse(body) as object;
    const before = JSON.stringify(object);
    const { events, issues } = parsed(object);
    expect(JSON.stringify(object)).toBe(before);
    expect(issues.map((issue) => issue.path)).toEqual([
      "entry[0].changes[0].value.statuses[0].errors[0].code",
      "entry[0].changes[0].value.statuses[0].errors[2].code",
      "entry[0].changes[0].value.statuses[0].errors[4].code",
    ]);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.type === "MessageStatusUpdated" ? event.errors?.map((error) => error.code) : undefined).toEqual([131026, 131047]);
  });
});

describe("parseChange", () => {
  const value = {
    messaging_product: "whatsapp",
    metadata: METADATA,
    state_sync: [{ type: "contact", contact: { phone_number: "16505551234" }, action: "add", metadata: { timestamp: "1" } }],
  };

  it("reads one change, with the source it is given", () => {
    expect(parseChange({ field: "smb_app_state_sync", value }, { wabaId: "7", source: "360dialog", deliveryId: "d" })).toMatchObject([
      { type: "ContactAdded", source: "360dialog", wabaId: "7", deliveryId: "d", phoneNumberId: "106540352242922" },
    ]);
    const [event] = parseChange({ field: "smb_app_state_sync", value }, { wabaId: "" });
    expect(event).toMatchObject({ source: "meta" });
    expect(event).not.toHaveProperty("wabaId");
  });

  it("refuses what is not a change, at the right path", () => {
    const issues = (change: unknown) => {
      const result = safeParseChange(change as never);
      return result.success ? [] : result.issues;
    };
    expect(issues(null)).toEqual([{ path: "", message: "Expected a change object { field, value }." }]);
    expect(issues({ field: "", value })).toEqual([{ path: "field", message: "Expected the change's field name as a non-empty string." }]);
    expect(issues({ field: 3, value })).toEqual([{ path: "field", message: "Expected the change's field name as a non-empty string." }]);
    expect(issues(JSON.parse('{"field":"history","value":{},"__proto__":1}')).map((issue) => issue.path)).toEqual(["__proto__"]);
    expect(issues({ field: "history", value: 1 })).toEqual([{ path: "value", message: 'Expected the value of a "history" change to be an object.' }]);
  });

  it("an object whose getter throws is an issue, not a crash", () => {
    const change = {
      field: "smb_app_state_sync",
      get value(): never {
        throw new Error("boom");
      },
    };
    const result = safeParseChange(change);
    expect(result.success).toBe(false);
    expect(result.success ? [] : result.issues).toEqual([{ path: "", message: "The change could not be parsed: boom" }]);
  });
});

describe("WebhookParseError's message", () => {
  it.each([
    [[], "Invalid webhook body."],
    [[{ path: "", message: "The body is empty." }], "Invalid webhook body: The body is empty."],
    [[{ path: "entry[0].id", message: "Bad id." }], "Invalid webhook body at entry[0].id: Bad id."],
    [
      [
        { path: "a", message: "First." },
        { path: "b", message: "Second." },
      ],
      "Invalid webhook body at a: First. (and 1 more issue)",
    ],
    [
      [
        { path: "a", message: "First." },
        { path: "b", message: "Second." },
        { path: "c", message: "Third." },
      ],
      "Invalid webhook body at a: First. (and 2 more issues)",
    ],
  ])("%j", (issues, message) => {
    const error = new WebhookParseError(issues);
    expect(error.message).toBe(message);
    expect(error.name).toBe("WebhookParseError");
    expect(error.issues).toBe(issues);
  });
});
