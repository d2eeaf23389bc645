import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyEvents,
  createContactBook,
  deserializeBook,
  getConversation,
  listMessages,
  mergeBooks,
  parseChange,
  parseWebhook,
  serializeBook,
  type CoexistenceEvent,
  type ContactBook,
} from "../../src/index.js";
import { bookAnswers, BUSINESS_IDS, eventsArbitrary, LOOKUP_KEYS } from "../support/event-streams.js";
import { fixtureText, validBodies } from "../support/fixtures.js";

const BUSINESS = { phone_number_id: "106540352242922", display_phone_number: "15550783881" };
const ANA = "16505551234";
const ANA_BSUID = "US.13491208655302741918";
/** The customer of fixtures/meta/conversation-out-of-order.json. */
const LUCIA = "34612345678";

function change(field: string, value: Record<string, unknown>): CoexistenceEvent[] {
  return parseChange({ field, value: { messaging_product: "whatsapp", metadata: BUSINESS, ...value } }, { wabaId: "102290129340398" });
}
const text = (body: string) => ({ type: "text", text: { body } });
/** Ana writes to the business. */
const received = (id: string, timestamp: number, content: object = text("hi"), from: Record<string, string> = { from: ANA }) =>
  change("messages", { messages: [{ ...from, id, timestamp: String(timestamp), ...content }] });
/** The business writes to Ana on the phone. */
const echo = (id: string, timestamp: number, content: object = text("hello")) =>
  change("smb_message_echoes", { message_echoes: [{ from: BUSINESS.display_phone_number, to: ANA, id, timestamp: String(timestamp), ...content }] });
const status = (id: string, value: string, timestamp: number, extra: object = {}) =>
  change("messages", { statuses: [{ id, status: value, timestamp: String(timestamp), recipient_id: ANA, ...extra }] });
const edit = (target: string, timestamp: number, body: string) =>
  echo(`${target}.edit.${timestamp}`, timestamp, { type: "edit", edit: { original_message_id: target, message: text(body) } });
const revoke = (target: string, timestamp: number) => echo(`${target}.revoke`, timestamp, { type: "revoke", revoke: { original_message_id: target } });
const react = (target: string, timestamp: number, emoji: string, from: Record<string, string> = { from: ANA }) =>
  received(`${target}.reaction.${timestamp}.${JSON.stringify(from)}`, timestamp, { type: "reaction", reaction: { message_id: target, emoji } }, from);
const history = (messages: object[]) =>
  change("history", { history: [{ metadata: { phase: 0, chunk_order: 1, progress: 100 }, threads: [{ id: ANA, messages }] }] });

const fold = (...events: CoexistenceEvent[][]): ContactBook => applyEvents(createContactBook(), events.flat());
const timeline = (book: ContactBook, key = ANA, options = {}) => listMessages(book, BUSINESS.phone_number_id, key, { limit: 1000, ...options });
/** Every order of the pieces gives `expected`. */
function inEveryOrder(pieces: CoexistenceEvent[][], check: (book: ContactBook) => void) {
  fc.assert(
    fc.property(fc.shuffledSubarray(pieces, { minLength: pieces.length }), (order) => {
      check(fold(...order));
    }),
    { numRuns: 50 },
  );
}

describe("listMessages: a conversation's messages, newest first, each in its current state", () => {
  it("lists each message id once, newest first; on equal timestamps the greater id first", () => {
    const book = fold(received("wamid.a", 10), echo("wamid.b", 20), received("wamid.c", 20), received("wamid.a", 10));
    expect(timeline(book).map((entry) => entry.id)).toEqual(["wamid.c", "wamid.b", "wamid.a"]);
    expect(timeline(book).map((entry) => [entry.origin, entry.direction])).toEqual([
      ["received", "inbound"],
      ["echo", "outbound"],
      ["received", "inbound"],
    ]);
    expect(timeline(book)[1]!.message).toMatchObject({ type: "text", text: { body: "hello" } });
  });

  it("pages with before and limit; 50 per page by default", () => {
    const book = fold(...Array.from({ length: 120 }, (_, index) => received(`wamid.${String(index).padStart(3, "0")}`, 1000 + index)));
    const first = listMessages(book, BUSINESS.phone_number_id, ANA);
    expect(first).toHaveLength(50);
    expect(first[0]!.id).toBe("wamid.119");
    const second = listMessages(book, BUSINESS.phone_number_id, ANA, { before: first.at(-1)!.id, limit: 60 });
    expect(second.map((entry) => entry.id)).toEqual(Array.from({ length: 60 }, (_, index) => `wamid.${String(69 - index).padStart(3, "0")}`));
    expect(listMessages(book, BUSINESS.phone_number_id, ANA, { before: "wamid.000" })).toEqual([]);
  });

  it("gives an empty page for a before id the conversation does not hold, and refuses a bad limit", () => {
    const book = fold(received("wamid.ana", 1), received("wamid.bruno", 1, text("oi"), { from: "5511987654321" }));
    expect(timeline(book, ANA, { before: "wamid.bruno" })).toEqual([]);
    expect(timeline(book, ANA, { before: "wamid.unknown" })).toEqual([]);
    expect(timeline(book, "999")).toEqual([]);
    expect(listMessages(createContactBook(), "nobody", ANA)).toEqual([]);
    for (const limit of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => listMessages(book, BUSINESS.phone_number_id, ANA, { limit })).toThrow(RangeError);
    }
  });

  it("answers the same for every identifier of the person", () => {
    const book = fold(
      received("wamid.1", 1),
      received("wamid.2", 2, text("by bsuid"), { from: ANA, from_user_id: ANA_BSUID }),
      received("wamid.3", 3, text("bsuid only"), { from: "", from_user_id: ANA_BSUID }),
    );
    expect(timeline(book, ANA_BSUID)).toEqual(timeline(book, ANA));
    expect(timeline(book, "+1 (650) 555-1234")).toEqual(timeline(book, ANA));
    expect(timeline(book).map((entry) => entry.id)).toEqual(["wamid.3", "wamid.2", "wamid.1"]);
  });
});

describe("edits", () => {
  it("replace the content and set editedAt, keeping the message's id, parties and time", () => {
    const book = fold(echo("wamid.1", 10, text("Ships tomorrow")), edit("wamid.1", 15, "Ships on Monday"));
    const [entry] = timeline(book);
    expect(entry).toMatchObject({
      id: "wamid.1",
      timestamp: 10,
      editedAt: 15,
      message: { id: "wamid.1", to: ANA, timestamp: 10, type: "text", text: { body: "Ships on Monday" } },
    });
  });

  it("the latest edit wins, whatever order the edits and the message arrive in, even when an edit comes first", () => {
    inEveryOrder([echo("wamid.1", 10, text("v1")), edit("wamid.1", 12, "v2"), edit("wamid.1", 14, "v3"), edit("wamid.1", 13, "v2.5")], (book) => {
      expect(timeline(book)).toMatchObject([{ id: "wamid.1", editedAt: 14, message: { text: { body: "v3" } } }]);
    });
  });

  it("an edit alone is not an entry, and is never counted", () => {
    const book = fold(edit("wamid.1", 12, "v2"));
    expect(timeline(book)).toEqual([]);
    expect(getConversation(book, BUSINESS.phone_number_id, ANA)).toBeUndefined();
  });
});

describe("revokes", () => {
  it("drop the content for good, in any order (an edit after a revoke shows nothing either)", () => {
    inEveryOrder([echo("wamid.1", 10, text("oops")), revoke("wamid.1", 11), edit("wamid.1", 12, "still gone")], (book) => {
      const [entry] = timeline(book);
      expect(entry).toMatchObject({ id: "wamid.1", revoked: true, timestamp: 10 });
      expect(entry!.message).toBeUndefined();
      expect(entry!.editedAt).toBeUndefined();
    });
  });
});

describe("reactions", () => {
  it("keep one per reactor, the newest; an empty emoji removes it; a reaction may come before its message", () => {
    inEveryOrder(
      [
        echo("wamid.1", 10),
        react("wamid.1", 11, "👍"),
        react("wamid.1", 13, "❤️"),
        react("wamid.1", 12, "😂"),
        // The business reacts on the phone: an echo.
        echo("wamid.1.reaction.business", 11, { type: "reaction", reaction: { message_id: "wamid.1", emoji: "🙏" } }),
      ],
      (book) => {
        expect(timeline(book)[0]!.reactions).toEqual([
          { emoji: "🙏", from: BUSINESS.display_phone_number, timestamp: 11 },
          { emoji: "❤️", from: ANA, timestamp: 13 },
        ]);
      },
    );
    inEveryOrder([echo("wamid.1", 10), react("wamid.1", 11, "👍"), react("wamid.1", 12, "")], (book) => expect(timeline(book)[0]!.reactions).toEqual([]));
  });

  it("count one person once, whether they reacted by phone number or by BSUID", () => {
    const linked = received("wamid.link", 1, text("hi"), { from: ANA, from_user_id: ANA_BSUID });
    inEveryOrder([linked, echo("wamid.1", 10), react("wamid.1", 11, "👍"), react("wamid.1", 12, "❤️", { from: "", from_user_id: ANA_BSUID })], (book) => {
      expect(timeline(book)[0]!.reactions).toEqual([{ emoji: "❤️", from: ANA_BSUID, timestamp: 12 }]);
    });
  });
});

describe("delivery statuses", () => {
  it("keep the most advanced, whatever order they arrive in (read before delivered)", () => {
    inEveryOrder([echo("wamid.1", 10), status("wamid.1", "read", 13), status("wamid.1", "delivered", 12), status("wamid.1", "sent", 11)], (book) => {
      expect(timeline(book)).toMatchObject([{ id: "wamid.1", origin: "echo", status: "read", timestamp: 10 }]);
    });
    inEveryOrder([status("wamid.v", "read", 13), status("wamid.v", "played", 14)], (book) => expect(timeline(book)[0]!.status).toBe("played"));
  });

  it("keep a failure with its errors", () => {
    const errors = [{ code: 131026, title: "Message undeliverable" }];
    inEveryOrder([status("wamid.1", "sent", 11), status("wamid.1", "failed", 12, { errors })], (book) => {
      expect(timeline(book)).toMatchObject([{ id: "wamid.1", status: "failed", errors: [{ code: 131026, title: "Message undeliverable" }] }]);
    });
  });

  it("of a message never seen make an api entry (sent through the API), dated by its earliest status", () => {
    const book = fold(status("wamid.api", "delivered", 21), status("wamid.api", "sent", 20));
    const [entry] = timeline(book);
    expect(entry).toEqual({ id: "wamid.api", direction: "outbound", timestamp: 20, origin: "api", revoked: false, reactions: [], status: "delivered" });
    expect(getConversation(book, BUSINESS.phone_number_id, ANA)).toMatchObject({ messageCount: 1, lastMessageId: "wamid.api" });
  });

  it("an api entry takes the message's content when it shows up (the echo wins, the status stays)", () => {
    inEveryOrder([status("wamid.1", "read", 30), echo("wamid.1", 10)], (book) => {
      expect(timeline(book)).toMatchObject([{ id: "wamid.1", origin: "echo", timestamp: 10, status: "read", message: { type: "text" } }]);
    });
  });

  it("an unknown status changes nothing and makes no entry", () => {
    expect(timeline(fold(status("wamid.1", "deleted", 30)))).toEqual([]);
  });
});

describe("a conversation whose pieces arrived out of order (fixtures/meta/conversation-out-of-order.json)", () => {
  const book = applyEvents(createContactBook(), parseWebhook(fixtureText("meta/conversation-out-of-order.json")));

  it("reads as the customer saw it", () => {
    const entries = timeline(book, "+34 612 34 56 78");
    expect(
      entries.map(({ origin, revoked, status, editedAt, reactions, message }) => ({
        origin,
        revoked,
        status,
        editedAt,
        reactions: reactions.map((r) => r.emoji),
        type: message?.type,
      })),
    ).toEqual([
      { origin: "received", revoked: false, status: undefined, editedAt: undefined, reactions: [], type: "text" },
      { origin: "echo", revoked: true, status: undefined, editedAt: undefined, reactions: [], type: undefined },
      { origin: "echo", revoked: false, status: undefined, editedAt: 1739500150, reactions: ["❤️"], type: "text" },
      { origin: "api", revoked: false, status: "read", editedAt: undefined, reactions: [], type: undefined },
      { origin: "history", revoked: false, status: "delivered", editedAt: undefined, reactions: [], type: "text" },
      { origin: "history", revoked: false, status: "read", editedAt: undefined, reactions: [], type: "media_placeholder" },
    ]);
    expect(entries[2]!.message).toMatchObject({ text: { body: "¡Hola Lucía! Tu pedido sale el lunes 📦" } });
  });
});

describe("history", () => {
  const placeholder = { from: ANA, id: "wamid.media", timestamp: "100", type: "media_placeholder", history_context: { status: "READ" } };
  const followUp = change("history", {
    messages: [
      { from: ANA, id: "wamid.media", timestamp: "100", type: "image", image: { id: "m1", mime_type: "image/jpeg", sha256: "x", caption: "the photo" } },
    ],
  });

  it("a placeholder is replaced by its follow-up's media, in either order, and keeps the history status", () => {
    inEveryOrder([history([placeholder]), followUp], (book) => {
      expect(timeline(book)).toMatchObject([
        { id: "wamid.media", origin: "history", status: "read", message: { type: "image", image: { caption: "the photo" } } },
      ]);
    });
    expect(timeline(fold(history([placeholder])))[0]!.message?.type).toBe("media_placeholder");
  });

  it("a message seen live and in history shows the live one", () => {
    inEveryOrder(
      [echo("wamid.1", 10, text("live")), history([{ from: BUSINESS.display_phone_number, to: ANA, id: "wamid.1", timestamp: "10", ...text("history") }])],
      (book) => {
        expect(timeline(book)).toMatchObject([{ origin: "echo", message: { text: { body: "live" } } }]);
      },
    );
  });
});

describe("the conversation summary counts exactly the timeline", () => {
  it("reactions, edits, revokes and system messages are not entries, and the last message is the first entry", () => {
    const system = received("wamid.sys", 99, { type: "system", system: { type: "user_changed_number", body: "changed", wa_id: "16505550000" } });
    const book = fold(
      echo("wamid.1", 10),
      received("wamid.2", 20),
      react("wamid.2", 30, "👍"),
      edit("wamid.1", 40, "new"),
      revoke("wamid.2", 50),
      system,
      status("wamid.3", "sent", 25),
    );
    const entries = timeline(book);
    expect(entries.map((entry) => entry.id)).toEqual(["wamid.3", "wamid.2", "wamid.1"]);
    expect(getConversation(book, BUSINESS.phone_number_id, ANA)).toMatchObject({
      messageCount: 3,
      lastMessageId: "wamid.3",
      lastMessageAt: 25,
      lastDirection: "outbound",
    });
  });

  it("holds for random streams, for every identifier", () => {
    fc.assert(
      fc.property(eventsArbitrary, (events) => {
        const book = applyEvents(createContactBook(), events);
        const timelines = bookAnswers(book).timelines;
        BUSINESS_IDS.forEach((business, businessIndex) => {
          LOOKUP_KEYS.forEach((key, keyIndex) => {
            const entries = timelines[businessIndex]![keyIndex]!.flat();
            expect(new Set(entries.map((entry) => entry.id)).size).toBe(entries.length);
            for (let index = 1; index < entries.length; index++) {
              const [newer, older] = [entries[index - 1]!, entries[index]!];
              expect(newer.timestamp > older.timestamp || (newer.timestamp === older.timestamp && newer.id > older.id)).toBe(true);
            }
            const conversation = getConversation(book, business, key);
            expect(conversation?.messageCount ?? 0).toBe(entries.length);
            expect(conversation?.lastMessageId).toBe(entries[0]?.id);
          });
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe("timelines converge like the rest of the book", () => {
  const events = validBodies().flatMap((fixture) => parseWebhook(fixture.text));
  const book = applyEvents(createContactBook(), events);

  it("the corpus has timelines with edits, revokes, reactions, statuses and api entries", () => {
    const entries = bookAnswers(book, [...LOOKUP_KEYS, LUCIA]).timelines.flat(3);
    expect({
      edited: entries.some((entry) => entry.editedAt !== undefined),
      revoked: entries.some((entry) => entry.revoked),
      reacted: entries.some((entry) => entry.reactions.length > 0),
      api: entries.some((entry) => entry.origin === "api"),
      read: entries.some((entry) => entry.status === "read"),
      placeholder: entries.some((entry) => entry.message?.type === "media_placeholder"),
    }).toEqual({ edited: true, revoked: true, reacted: true, api: true, read: true, placeholder: true });
  });

  it("survive serialisation and merging", () => {
    const keys = [...LOOKUP_KEYS, LUCIA];
    expect(bookAnswers(deserializeBook(JSON.parse(JSON.stringify(serializeBook(book)))), keys).timelines).toEqual(bookAnswers(book, keys).timelines);
    const half = Math.floor(events.length / 2);
    const merged = mergeBooks(applyEvents(createContactBook(), events.slice(half)), applyEvents(createContactBook(), events.slice(0, half)));
    expect(bookAnswers(merged, keys).timelines).toEqual(bookAnswers(book, keys).timelines);
  });

  it("entries are copies: changing one leaves the book as it was", () => {
    const before = JSON.stringify(bookAnswers(book).timelines);
    for (const entry of bookAnswers(book).timelines.flat(3)) {
      if (entry.message !== undefined) (entry.message as { id: string }).id = "changed";
      entry.reactions.length = 0;
    }
    expect(JSON.stringify(bookAnswers(book).timelines)).toBe(before);
  });
});
