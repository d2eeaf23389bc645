/**
 * What a fold could not place, counted and explained: each reason's line says what to do.
 */
import { describe, expect, it } from "vitest";
import {
  addUnplaced,
  applyEvent,
  createContactBook,
  describeUnplaced,
  foldEvents,
  noneUnplaced,
  parseWebhook,
  type CoexistenceEvent,
} from "../../src/index.js";
import { countUnplaced } from "../../src/book/unplaced.js";
import { fixtureText } from "../support/fixtures.js";

describe("unplaced events", () => {
  it("are counted by reason, added up, and explained one line per reason", () => {
    let one = noneUnplaced();
    one = countUnplaced(one, "no-business");
    one = countUnplaced(one, "group");
    const other = countUnplaced(countUnplaced(noneUnplaced(), "no-customer"), "no-business");
    const both = addUnplaced(one, other);
    expect(both).toEqual({ count: 4, byReason: { "no-business": 2, "no-customer": 1, group: 1 } });
    expect(describeUnplaced(both)).toEqual([
      "2 events name no business (no metadata.phone_number_id in the body): pass the phoneNumberId parse option to place them",
      "1 event names no customer (no identifier but the business's own number)",
      "1 group event is kept out of one-to-one conversations (participants are linked)",
    ]);
    expect(describeUnplaced(countUnplaced(noneUnplaced(), "no-customer"))).toEqual(["1 event names no customer (no identifier but the business's own number)"]);
    expect(describeUnplaced(countUnplaced(countUnplaced(noneUnplaced(), "group"), "group"))).toEqual([
      "2 group events are kept out of one-to-one conversations (participants are linked)",
    ]);
    expect(describeUnplaced(noneUnplaced())).toEqual([]);
  });

  it("foldEvents gives the book applyEvents gives, beside the count", () => {
    const events = parseWebhook(fixtureText("meta/group-message-and-statuses.json"));
    const { book, unplaced } = foldEvents(createContactBook(), events);
    expect(book).toEqual(events.reduce(applyEvent, createContactBook()));
    expect(unplaced.byReason.group).toBe(3);
  });

  it("events the book keeps nothing of (lifecycle, value-level errors, unhandled changes) are not counted without a business", () => {
    const events = [...parseWebhook(fixtureText("meta/account-update-partner-removed.json")), ...parseWebhook(fixtureText("360dialog/client-created.json"))];
    expect(events.map((event) => event.type)).toEqual(["AccountLifecycleChanged", "UnhandledChange"]);
    expect(foldEvents(createContactBook(), events).unplaced.count).toBe(0);
    expect(foldEvents(createContactBook(), parseWebhook(fixtureText("360dialog/partner-forward-no-metadata.json"))).unplaced.byReason["no-business"]).toBe(1);
  });

  it("an object of no event type (from plain JavaScript) changes nothing, as an UnhandledChange does", () => {
    const book = createContactBook();
    const stray = { type: "SomethingNew", phoneNumberId: "1", source: "meta" } as unknown as CoexistenceEvent;
    expect(applyEvent(book, stray)).toBe(book);
    expect(foldEvents(book, [stray]).unplaced.count).toBe(0);
  });
});
