/**
 * The customer service window: open for 24 hours after the person's last message to the business,
 * whichever identifier asks, whatever the order of the events; echoes, API statuses and reactions
 * open nothing.
 */
import { describe, expect, it } from "vitest";
import { applyEvents, createContactBook, getServiceWindow, parseChange, SERVICE_WINDOW_SECONDS, type CoexistenceEvent } from "../../src/index.js";

const BUSINESS = { display_phone_number: "15550783881", phone_number_id: "106540352242922" };
const ID = BUSINESS.phone_number_id;
const change = (field: string, value: Record<string, unknown>): CoexistenceEvent[] =>
  parseChange({ field, value: { messaging_product: "whatsapp", metadata: BUSINESS, ...value } }, { wabaId: "1" });
const received = (id: string, timestamp: number, extra: Record<string, unknown> = {}) =>
  change("messages", {
    messages: [{ from: "16505551234", from_user_id: "US.1", id, timestamp: String(timestamp), type: "text", text: { body: "hi" }, ...extra }],
  });
const echo = (id: string, timestamp: number) =>
  change("smb_message_echoes", {
    message_echoes: [{ from: "15550783881", to: "16505551234", id, timestamp: String(timestamp), type: "text", text: { body: "hello" } }],
  });

describe("getServiceWindow", () => {
  const T = 1_739_321_024;

  it("is open for 24 hours after the customer's last message, by any identifier, and closed after", () => {
    const book = applyEvents(createContactBook(), [...received("wamid.1", T), ...echo("wamid.2", T + 600)]);
    for (const key of ["+1 650-555-1234", "US.1"]) {
      expect(getServiceWindow(book, ID, key, T + 3600)).toEqual({
        open: true,
        closesAt: T + SERVICE_WINDOW_SECONDS,
        lastInboundAt: T,
        lastInboundId: "wamid.1",
      });
    }
    expect(getServiceWindow(book, ID, "16505551234", T + SERVICE_WINDOW_SECONDS - 1).open).toBe(true);
    expect(getServiceWindow(book, ID, "16505551234", T + SERVICE_WINDOW_SECONDS).open).toBe(false);
    expect(getServiceWindow(book, ID, "16505551234", new Date((T + 60) * 1000)).open).toBe(true);
  });

  it("counts the newest inbound message in any order, an inbound one from history too; echoes and reactions open nothing", () => {
    const history = change("history", {
      history: [
        {
          metadata: { phase: 0, chunk_order: 1, progress: 100 },
          threads: [
            {
              id: "16505551234",
              messages: [
                { from: "16505551234", id: "wamid.h", timestamp: String(T + 100), type: "text", text: { body: "old" }, history_context: { status: "read" } },
              ],
            },
          ],
        },
      ],
    });
    const reaction = received("wamid.r", T + 500, { type: "reaction", reaction: { message_id: "wamid.1", emoji: "👍" }, text: undefined });
    const pieces = [received("wamid.1", T), history, echo("wamid.e", T + 900), reaction];
    for (const order of [pieces, [...pieces].reverse()]) {
      const book = applyEvents(createContactBook(), order.flat());
      expect(getServiceWindow(book, ID, "US.1", T + 1000)).toMatchObject({ open: true, lastInboundId: "wamid.h", lastInboundAt: T + 100 });
    }
  });

  it("is closed, with nothing else, for a person who never wrote or is unknown", () => {
    const book = applyEvents(createContactBook(), echo("wamid.e", T));
    expect(getServiceWindow(book, ID, "16505551234", T)).toEqual({ open: false });
    expect(getServiceWindow(book, ID, "999", T)).toEqual({ open: false });
    expect(getServiceWindow(createContactBook(), ID, "16505551234", T)).toEqual({ open: false });
    expect(() => getServiceWindow(book, ID, "16505551234", Number.NaN)).toThrow(/unix seconds or a Date/);
  });
});
