/**
 * The joins of a message's pieces, directly: each is a semilattice join (commutative, associative,
 * idempotent), and the order the PostgreSQL store compares (`contentOrder` then the JSON,
 * `statusOrder`) picks exactly what the book's join picks.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Message } from "../../src/index.js";
import { compareCodePoints, contentOrder, editWins, joinMessage, reactionWins, statusOrder } from "../../src/book/precedence.js";
import { timelineStatusOf, type MessageRecord } from "../../src/book/timeline-records.js";
import { sortableText } from "../../src/postgres/atom-batch.js";

const message = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom<Message>(
    { id: "wamid.1", timestamp: 5, type: "text", text: { body: "hi" } },
    { id: "wamid.1", timestamp: 5, type: "text", text: { body: "hi 😀" } },
    { id: "wamid.1", timestamp: 5, type: "text", text: { body: "hi \uFFFD" } },
    { id: "wamid.1", timestamp: 5, type: "media_placeholder" },
    { id: "wamid.1", timestamp: 5, type: "image", image: { caption: "x" } },
  ),
);
const record: fc.Arbitrary<MessageRecord> = fc
  .record({
    key: fc.constantFrom("p:1", "p:2", "u:A"),
    timestamp: fc.integer({ min: 1, max: 3 }),
    earlier: fc.integer({ min: 0, max: 2 }),
    direction: fc.constantFrom("inbound" as const, "outbound" as const),
    origin: fc.constantFrom("history" as const, "echo" as const, "received" as const, "api" as const),
    message,
    status: fc.constantFrom(undefined, "sent" as const, "delivered" as const, "read" as const, "played" as const, "failed" as const),
    errors: fc.constantFrom(undefined, [{ code: 1 }], [{ code: 2, title: "x" }]),
    history: fc.boolean(),
  })
  .map(({ earlier, ...rest }) => ({ ...rest, firstAt: rest.timestamp - earlier }));

/** What a join keeps, field by field (the record object itself may be either input). */
const view = (r: MessageRecord) => ({ ...r });

describe("joining a message's records", () => {
  it("is commutative, associative and idempotent", () => {
    fc.assert(
      fc.property(record, record, record, (a, b, c) => {
        expect(view(joinMessage(a, b))).toEqual(view(joinMessage(b, a)));
        expect(view(joinMessage(joinMessage(a, b), c))).toEqual(view(joinMessage(a, joinMessage(b, c))));
        expect(joinMessage(a, a)).toBe(a);
        const joined = joinMessage(a, b);
        expect(joinMessage(joined, a)).toBe(joined);
      }),
      { numRuns: 3000 },
    );
  });

  it("keeps the content the store's order prefers: (contentOrder, then the JSON by code point)", () => {
    const rank = (r: MessageRecord): [string, string] => [contentOrder(r), r.message === undefined ? "" : JSON.stringify(r.message)];
    fc.assert(
      fc.property(record, record, (a, b) => {
        const [orderA, jsonA] = rank(a);
        const [orderB, jsonB] = rank(b);
        const bWins = orderB > orderA || (orderB === orderA && compareCodePoints(jsonB, jsonA) > 0);
        const joined = joinMessage(a, b);
        const winner = bWins ? b : a;
        expect([joined.message, joined.timestamp, joined.direction, joined.origin]).toEqual([
          winner.message,
          winner.timestamp,
          winner.direction,
          winner.origin,
        ]);
        expect(joined.key).toBe(a.key < b.key ? a.key : b.key);
        expect(joined.history).toBe(a.history || b.history);
      }),
      { numRuns: 3000 },
    );
  });

  it("keeps the status the store's order prefers (sent < delivered < read < played < failed, then the errors' JSON)", () => {
    fc.assert(
      fc.property(record, record, (a, b) => {
        const [orderA, orderB] = [sortableText(statusOrder(a)), sortableText(statusOrder(b))];
        const joined = joinMessage(a, b);
        const winner = orderB > orderA ? b : a;
        expect([joined.status, joined.errors]).toEqual([winner.status, winner.errors]);
      }),
      { numRuns: 3000 },
    );
    const at = (status: MessageRecord["status"]) =>
      ({ key: "p:1", timestamp: 1, direction: "outbound", origin: "api", message: undefined, status, errors: undefined, history: false }) as MessageRecord;
    expect(joinMessage(at("read"), at("delivered")).status).toBe("read");
    expect(joinMessage(at("played"), at("read")).status).toBe("played");
    expect(joinMessage(at("sent"), at("failed")).status).toBe("failed");
    expect(joinMessage(at(undefined), at("sent")).status).toBe("sent");
  });

  it("prefers live content over history, media over a placeholder, any content over none, and the earlier of two bare statuses", () => {
    const base = { key: "p:1", direction: "outbound", status: undefined, errors: undefined, history: false } as const;
    const placeholder: MessageRecord = { ...base, timestamp: 5, firstAt: 5, origin: "history", message: { id: "w", timestamp: 5, type: "media_placeholder" } };
    const media: MessageRecord = { ...base, timestamp: 5, firstAt: 5, origin: "history", message: { id: "w", timestamp: 5, type: "image", image: {} } };
    const echo: MessageRecord = { ...base, timestamp: 9, firstAt: 9, origin: "echo", message: { id: "w", timestamp: 9, type: "text", text: { body: "x" } } };
    const api = (timestamp: number): MessageRecord => ({ ...base, timestamp, firstAt: timestamp, origin: "api", message: undefined });
    expect(joinMessage(placeholder, media).message?.type).toBe("image");
    expect(joinMessage(media, echo).origin).toBe("echo");
    expect(joinMessage(api(1), placeholder).origin).toBe("history");
    expect(joinMessage(api(7), api(3)).timestamp).toBe(3);
  });
});

describe("edits, reactions and statuses", () => {
  it("the later edit wins; on a tie the greater content", () => {
    const edit = (timestamp: number, body: string) => ({ timestamp, content: { type: "text" as const, text: { body } } });
    expect(editWins(edit(2, "a"), edit(1, "b"))).toBe(true);
    expect(editWins(edit(1, "b"), edit(2, "a"))).toBe(false);
    expect(editWins(edit(1, "b"), edit(1, "a"))).toBe(true);
    expect(editWins(edit(1, "a"), edit(1, "b"))).toBe(false);
    expect(editWins(edit(1, "a"), undefined)).toBe(true);
    const same = edit(1, "a");
    expect(editWins(same, same)).toBe(false);
  });

  it("a reactor's later reaction wins; on a tie the greater emoji, then the greater reactor", () => {
    const reaction = (timestamp: number, emoji: string, from = "1") => ({ timestamp, emoji, from });
    expect(reactionWins(reaction(2, ""), reaction(1, "👍"))).toBe(true);
    expect(reactionWins(reaction(1, "👍"), reaction(2, ""))).toBe(false);
    expect(reactionWins(reaction(1, "b"), reaction(1, "a"))).toBe(true);
    expect(reactionWins(reaction(1, "a"), reaction(1, "b"))).toBe(false);
    expect(reactionWins(reaction(1, "a", "2"), reaction(1, "a", "1"))).toBe(true);
    expect(reactionWins(reaction(1, "a", "1"), reaction(1, "a", "1"))).toBe(false);
    expect(reactionWins(reaction(1, "a"), undefined)).toBe(true);
  });

  it("reads the statuses a timeline knows (error is failed; pending and new values are none)", () => {
    expect(["sent", "delivered", "read", "played", "failed", "error", "pending", "deleted", undefined, "toString"].map(timelineStatusOf)).toEqual([
      "sent",
      "delivered",
      "read",
      "played",
      "failed",
      "failed",
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
