/**
 * Shapes from bodies written outside this project (other SDKs' fixtures, Meta's reference, a
 * partner provider's docs): each typed, nothing silently lost.
 */
import { describe, expect, it } from "vitest";
import { parseChange, parseWebhook, safeParseWebhook, type CoexistenceEvent } from "../../src/index.js";
import { fixtureText } from "../support/fixtures.js";

const only = <T extends CoexistenceEvent["type"]>(events: readonly CoexistenceEvent[], type: T) =>
  events.filter((event): event is Extract<CoexistenceEvent, { type: T }> => event.type === type);

describe("a partner provider's statuses", () => {
  const events = only(parseWebhook(fixtureText("meta/statuses-partner-milliseconds-masked.json")), "MessageStatusUpdated");

  it("keep a masked recipient and the provider's own keys under extra, side by side", () => {
    expect(events[0]).toMatchObject({
      status: "enqueued",
      recipient: {},
      extra: { recipient_id: "9191****873", gs_id: "6ac3f09f-5f5a-4ed7-a7c4-2b3f7b4e1c11" },
    });
  });

  it("read timestamps in milliseconds as milliseconds, numbers and strings alike", () => {
    expect(events.map((event) => event.timestamp)).toEqual([1_710_941_393, 1_710_941_394]);
  });
});

describe("the business a body omits", () => {
  const body = fixtureText("360dialog/partner-forward-no-metadata.json");

  it("comes from the parse options", () => {
    const [event] = parseWebhook(body, { phoneNumberId: "106540352242922", wabaId: "102290129340398" });
    expect(event).toMatchObject({ type: "ContactAdded", phoneNumberId: "106540352242922", wabaId: "102290129340398" });
  });

  it("never overrides what a body names", () => {
    const [event] = parseWebhook(fixtureText("meta/state-sync-edit.json"), { phoneNumberId: "999", wabaId: "888" });
    expect(event).toMatchObject({ phoneNumberId: "106540352242922", wabaId: "102290129340398" });
  });

  it("is absent without them", () => {
    const [event] = parseWebhook(body);
    expect(event).not.toHaveProperty("phoneNumberId");
  });
});

describe("the business's own numbers", () => {
  it("a message from the business's own phone_number_id is kept, and reported", () => {
    const result = safeParseWebhook(fixtureText("reported/messages-from-business-own-id.json"));
    expect(result.success ? [] : result.issues).toEqual([
      {
        path: "entry[0].changes[0].value.messages[0].from",
        message: "The customer's number 106540352242922 is the business's own phone_number_id: it is kept on the event but never taken for a customer.",
      },
    ]);
    expect(result.events).toMatchObject([{ type: "MessageReceived", message: { from: "106540352242922", text: { body: "this is a text message" } } }]);
  });

  it("an echo to the business's display number is reported too", () => {
    const body = JSON.parse(fixtureText("meta/echo-text.json"));
    body.entry[0].changes[0].value.message_echoes[0].to = "+1 555-078-3881";
    const result = safeParseWebhook(body);
    expect(result.success ? [] : result.issues.map((issue) => issue.path)).toEqual(["entry[0].changes[0].value.message_echoes[0].to"]);
    expect(result.events).toHaveLength(1);
  });
});

describe("group traffic", () => {
  const events = parseWebhook(fixtureText("meta/group-message-and-statuses.json"));

  it("a group message carries its group id", () => {
    expect(only(events, "MessageReceived")[0]?.message).toMatchObject({
      groupId: "Y2FwaV9ncm91cDoxNTU1MDc4Mzg4MToxMjAzNjMwMjUwMDAwMDAwMDE",
      from: "16505551234",
    });
  });

  it("a group status names its group and types the participant's ids", () => {
    const [read, delivered] = only(events, "MessageStatusUpdated");
    expect(read).toMatchObject({
      recipientType: "group",
      groupId: "Y2FwaV9ncm91cDoxNTU1MDc4Mzg4MToxMjAzNjMwMjUwMDAwMDAwMDE",
      recipient: { participant: { phoneNumber: "351912345678", userId: "PT.88000000000000000001", parentUserId: "PT.ENT.77000000000000000001" } },
    });
    expect(read).not.toHaveProperty("extra");
    expect(delivered).toMatchObject({ recipient: { participant: { userId: "BR.2186878922080769" } } });
  });

  it("a participant id that is no phone number is kept under extra", () => {
    const body = JSON.parse(fixtureText("meta/group-message-and-statuses.json"));
    body.entry[0].changes[1].value.statuses[0].recipient_participant_id = "351-XXX";
    const [status] = only(parseWebhook(body), "MessageStatusUpdated");
    expect(status).toMatchObject({ recipient: { participant: { userId: "PT.88000000000000000001" } }, extra: { recipient_participant_id: "351-XXX" } });
  });
});

describe("what is documented is typed", () => {
  it("context.referred_product, and a value's own errors as ErrorsReported with their top-level details", () => {
    const events = parseWebhook(fixtureText("meta/messages-referred-product-errors.json"));
    expect(only(events, "MessageReceived")[0]?.message.context).toMatchObject({
      referredProduct: { catalogId: "194836987003835", productRetailerId: "kurta-blue-m" },
    });
    expect(only(events, "ErrorsReported")).toMatchObject([
      {
        phoneNumberId: "106540352242922",
        field: "messages",
        errors: [{ code: 130429, title: "Rate limit hit", details: "Cloud API message throughput has been reached." }],
      },
    ]);
    expect(only(events, "UnhandledChange")).toEqual([]);
  });

  it("an error with details in both places keeps error_data's as details and the other under extra", () => {
    const body = JSON.parse(fixtureText("meta/messages-referred-product-errors.json"));
    body.entry[0].changes[0].value.errors[0].error_data = { details: "nested" };
    const [reported] = only(parseWebhook(body), "ErrorsReported");
    expect(reported?.errors[0]).toMatchObject({ details: "nested", extra: { details: "Cloud API message throughput has been reached." } });
  });

  it("the signup preference with its signup id", () => {
    const preferences = only(parseWebhook(fixtureText("meta/preferences-profile-of-someone-else.json")), "UserPreferencesUpdated");
    expect(preferences[1]).toMatchObject({ value: "signup", signupId: "loyalty-2025-spring", user: { phoneNumber: "16505551234" } });
  });

  it("a message with no type whose only content is a location is read as a location, with an issue", () => {
    const result = safeParseWebhook(fixtureText("reported/messages-type-missing-errors.json"));
    expect(result.success ? [] : result.issues).toEqual([
      { path: "entry[0].changes[0].value.messages[0].type", message: 'The message has no type; it was read as "location", the only content it carries.' },
    ]);
    expect(only(result.events, "MessageReceived")[0]?.message).toMatchObject({ type: "location", location: { latitude: 19.076, name: "Bandra store" } });
  });
});

describe("the lifecycle of a coexistence number (account_update)", () => {
  it("types disconnection, offboarding and reconnection; other account events stay unhandled", () => {
    const removed = parseWebhook(fixtureText("meta/account-update-partner-removed.json"));
    expect(removed).toEqual([
      {
        type: "AccountLifecycleChanged",
        source: "meta",
        wabaId: "102290129340398",
        event: "PARTNER_REMOVED",
        disconnection: { reason: "COMPANION_INACTIVITY", initiatedBy: "SYSTEM" },
        ownerBusinessId: "889900112233",
        timestamp: 1739400000,
      },
    ]);
    const cycle = parseWebhook(fixtureText("meta/account-update-offboarded-reconnected.json"));
    expect(cycle.map((event) => (event.type === "AccountLifecycleChanged" ? `${event.event}@${event.timestamp}` : event.type))).toEqual([
      "ACCOUNT_OFFBOARDED@1739500000",
      "ACCOUNT_RECONNECTED@1739500300",
      "UnhandledChange",
    ]);
    expect(cycle[0]).toMatchObject({ phoneNumber: "15550783881" });
  });

  it("takes the WABA from waba_info when the envelope names none, and keeps a different one as received", () => {
    const value = { event: "PARTNER_ADDED", waba_info: { waba_id: "555", owner_business_id: "1" } };
    expect(parseChange({ field: "account_update", value })).toMatchObject([{ type: "AccountLifecycleChanged", wabaId: "555" }]);
    expect(parseChange({ field: "account_update", value }, { wabaId: "777" })).toMatchObject([{ wabaId: "777", extra: { waba_info: { waba_id: "555" } } }]);
  });
});

describe("the mistakes a newcomer makes are named", () => {
  it("parseChange given a whole body says to use parseWebhook", () => {
    for (const body of [JSON.parse(fixtureText("meta/echo-text.json")), JSON.parse(fixtureText("360dialog/state-sync.json"))]) {
      expect(() => parseChange(body)).toThrow(/whole webhook body .* use parseWebhook\(body\)/);
    }
  });
});
