// The two envelopes, piece by piece: each malformed part is one issue at its exact path, with its
// exact words, and every good change beside it still comes out.
import { describe, expect, it } from "vitest";
import { safeParseWebhook, type CoexistenceEvent, type ParseIssue } from "../../src/index.js";

const value = {
  messaging_product: "whatsapp",
  metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
  state_sync: [{ type: "contact", contact: { full_name: "Ana Lima", phone_number: "16505551234" }, action: "add", metadata: { timestamp: "1739321024" } }],
};
const goodChange = { field: "smb_app_state_sync", value };

function parsed(body: unknown): { events: CoexistenceEvent[]; issues: ParseIssue[] } {
  const result = safeParseWebhook(body as object);
  return result.success ? { events: [...result.events], issues: [] } : { events: [...result.events], issues: [...result.issues] };
}

const meta = (entry: unknown[]) => ({ object: "whatsapp_business_account", entry });

describe("Meta's envelope", () => {
  it("an entry that is not an object is one issue; the next entry's events come out", () => {
    const { events, issues } = parsed(meta(["nope", { id: "1", changes: [goodChange] }]));
    expect(issues).toEqual([{ path: "entry[0]", message: 'Expected an entry object but received "nope".' }]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "ContactAdded", wabaId: "1" });
  });

  it("paths name any entry and change, the first few (whose paths are kept) and those beyond, the same way twice", () => {
    const badChange = { field: "smb_app_state_sync", value: 5 };
    const entries = Array.from({ length: 10 }, (_, entryIndex) => ({
      id: String(entryIndex),
      changes: Array.from({ length: 10 }, (_, changeIndex) => ((entryIndex + changeIndex) % 9 === 0 ? badChange : goodChange)),
    }));
    const expected = entries.flatMap((entry, entryIndex) =>
      entry.changes.flatMap((change, changeIndex) => (change === badChange ? [`entry[${entryIndex}].changes[${changeIndex}].value`] : [])),
    );
    expect(expected).toContain("entry[0].changes[0].value");
    expect(expected).toContain("entry[9].changes[9].value");
    expect(expected).toContain("entry[1].changes[8].value");
    for (let run = 0; run < 2; run++) {
      const { events, issues } = parsed(meta(entries));
      expect(issues.map((issue) => issue.path)).toEqual(expected.slice(0, 100));
      expect(events).toHaveLength(100 - expected.length);
    }
    const waba = parsed(meta([...entries.slice(0, 9).map((entry) => ({ ...entry, changes: [] })), { id: {}, changes: [] }]));
    expect(waba.issues).toEqual([{ path: "entry[9].id", message: "Expected the WABA id as a string but received an object." }]);
  });

  it("changes that are not an array are one issue at the entry's changes", () => {
    const { events, issues } = parsed(
      meta([
        { id: "1", changes: 7 },
        { id: "2", changes: [goodChange] },
      ]),
    );
    expect(issues).toEqual([{ path: "entry[0].changes", message: "Expected changes to be an array but received 7." }]);
    expect(events.map((event) => event.wabaId)).toEqual(["2"]);
  });

  it("a change that is not an object is one issue; its siblings come out", () => {
    const { events, issues } = parsed(meta([{ id: "1", changes: [null, goodChange] }]));
    expect(issues).toEqual([{ path: "entry[0].changes[0]", message: "Expected a change object but received null." }]);
    expect(events).toHaveLength(1);
  });

  it.each([
    ["an empty field", ""],
    ["a numeric field", 3],
  ])("%s is an issue at the field", (_, field) => {
    const { events, issues } = parsed(meta([{ id: "1", changes: [{ field, value }, goodChange] }]));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe("entry[0].changes[0].field");
    expect(issues[0]?.message).toMatch(/^Expected the field name as a string but received /);
    expect(events).toHaveLength(1);
  });

  it.each([
    ["a string", "102290129340398", "102290129340398"],
    ["a number, taken as its digits", 102290129340398, "102290129340398"],
    ["zero", 0, "0"],
    ["an empty string, as if absent", "", undefined],
    ["absent", undefined, undefined],
  ])("a WABA id that is %s", (_, id, wabaId) => {
    const { events, issues } = parsed(meta([{ id, changes: [goodChange] }]));
    expect(issues).toEqual([]);
    expect(events).toHaveLength(1);
    expect(events[0]?.wabaId).toBe(wabaId);
    expect(Object.hasOwn(events[0] ?? {}, "wabaId")).toBe(wabaId !== undefined);
  });

  it.each([
    ["negative", -1, "-1"],
    ["a fraction", 1.5, "1.5"],
    ["beyond the safe integers", 2 ** 60, String(2 ** 60)],
    ["a boolean", true, "true"],
  ])("a WABA id that is %s is an issue, and the events still come out without it", (_, id, shown) => {
    const { events, issues } = parsed(meta([{ id, changes: [goodChange] }]));
    expect(issues).toEqual([{ path: "entry[0].id", message: `Expected the WABA id as a string but received ${shown}.` }]);
    expect(events).toHaveLength(1);
    expect(events[0]?.wabaId).toBeUndefined();
  });

  it("the change's value is read with its full path", () => {
    const bad = { ...value, state_sync: [{ ...value.state_sync[0], action: "teleport" }] };
    const { issues } = parsed(meta([{ id: "1", changes: [goodChange, { field: "smb_app_state_sync", value: bad }] }]));
    expect(issues.map((issue) => issue.path)).toEqual(["entry[0].changes[1].value.state_sync[0].action"]);
  });

  it("a body without object but with an entry array is read as Meta's", () => {
    const { events, issues } = parsed({ entry: [{ id: "1", changes: [goodChange] }] });
    expect(issues).toEqual([]);
    expect(events[0]).toMatchObject({ source: "meta", wabaId: "1" });
  });
});

describe("360dialog's envelope", () => {
  const dialog = (body: Record<string, unknown>) => ({ event: "smb_app_state_sync", data: { id: "102290129340398", ...value }, ...body });

  it.each([
    ["a string", "b6d4c1f0", "b6d4c1f0"],
    ["a number, as its digits", 42, "42"],
    ["absent", undefined, undefined],
  ])("a delivery id that is %s", (_, id, deliveryId) => {
    const { events, issues } = parsed(dialog({ id }));
    expect(issues).toEqual([]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ source: "360dialog", wabaId: "102290129340398" });
    expect(events[0]?.deliveryId).toBe(deliveryId);
  });

  it.each([
    ["a boolean", true, "true"],
    ["an object", { a: 1 }, "an object"],
    ["null", null, "null"],
  ])("a delivery id that is %s is an issue and nothing is read", (_, id, shown) => {
    const { events, issues } = parsed(dialog({ id }));
    expect(issues).toEqual([{ path: "id", message: `Expected the 360dialog delivery id as a string but received ${shown}.` }]);
    expect(events).toEqual([]);
  });

  it.each([
    ["empty", "", '""'],
    ["a number", 5, "5"],
  ])("an event name that is %s is an issue", (_, event, shown) => {
    const { events, issues } = parsed(dialog({ event }));
    expect(issues).toEqual([{ path: "event", message: `Expected the 360dialog event name as a string but received ${shown}.` }]);
    expect(events).toEqual([]);
  });

  it("a body with data but no event is read as 360dialog's, and says the event is missing", () => {
    const { issues } = parsed({ data: { id: "1" } });
    expect(issues).toEqual([{ path: "event", message: "Expected the 360dialog event name as a string but received nothing." }]);
  });

  it("a WABA id that is a number is taken as its digits; a bad one is an issue and the events still come out", () => {
    expect(parsed({ event: "smb_app_state_sync", data: { ...value, id: 7 } }).events[0]?.wabaId).toBe("7");
    const { events, issues } = parsed({ event: "smb_app_state_sync", data: { ...value, id: -7 } });
    expect(issues).toEqual([{ path: "data.id", message: "Expected the WABA id as a string but received -7." }]);
    expect(events).toHaveLength(1);
    expect(events[0]?.wabaId).toBeUndefined();
  });

  it("the change's value is read at data, and data's id is not an unknown key", () => {
    const bad = { event: "smb_app_state_sync", data: { id: "1", ...value, state_sync: [{ ...value.state_sync[0], action: "teleport" }] } };
    expect(parsed(bad).issues.map((issue) => issue.path)).toEqual(["data.state_sync[0].action"]);
  });
});

describe("bodies in neither envelope", () => {
  it("names up to five of their keys", () => {
    const { issues } = parsed({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe("");
    expect(issues[0]?.message).toMatch(/^Unknown webhook shape \(keys: a, b, c, d, e\)\. Expected Meta's/);
  });

  it("says none when there are no keys", () => {
    expect(parsed({}).issues[0]?.message).toMatch(/^Unknown webhook shape \(keys: none\)\./);
  });
});
