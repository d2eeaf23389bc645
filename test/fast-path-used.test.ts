/**
 * The parser takes its fast paths on real traffic. Their output equals the schemas' (fast-path.test.ts),
 * so switching one off changes no answer, only the speed: this test counts what each fast path
 * answered while the corpus is parsed, so a fast path that stops being used fails here, not only in
 * a benchmark.
 */
import { describe, expect, it, vi } from "vitest";
import { parseWebhook } from "../src/index.js";
import { fixtureText, validBodies } from "./support/fixtures.js";

const { answered, counted } = vi.hoisted(() => {
  const answered = { message: 0, history: 0, metadata: 0, stateSync: 0, threadHeader: 0 };
  /** `fast`, counting under `name` each time it answers (returns something). */
  const counted =
    <A extends unknown[], R>(fast: (...args: A) => R | undefined, name: keyof typeof answered) =>
    (...args: A): R | undefined => {
      const result = fast(...args);
      if (result !== undefined) answered[name]++;
      return result;
    };
  return { answered, counted };
});

vi.mock("../src/fast/fast-message.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/fast/fast-message.js")>();
  return { ...real, fastMessage: counted(real.fastMessage, "message"), fastHistoryMessage: counted(real.fastHistoryMessage, "history") };
});
vi.mock("../src/fast/fast-state-sync.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/fast/fast-state-sync.js")>();
  return { ...real, fastMetadata: counted(real.fastMetadata, "metadata"), fastStateSyncItem: counted(real.fastStateSyncItem, "stateSync") };
});

vi.mock("../src/fast/fast-thread-header.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/fast/fast-thread-header.js")>();
  return { ...real, fastThreadHeader: counted(real.fastThreadHeader, "threadHeader") };
});

function countsFor(name: string) {
  for (const key of Object.keys(answered) as (keyof typeof answered)[]) answered[key] = 0;
  parseWebhook(fixtureText(name));
  return { ...answered };
}

describe("the fast paths carry real traffic", () => {
  it("an echo, a received message and their metadata take the fast path", () => {
    expect(countsFor("meta/echo-text.json")).toMatchObject({ message: 1, metadata: 1 });
    // Lucía's received text is plain; a reply (with `context`) is left to the schema by design.
    expect(countsFor("meta/conversation-out-of-order.json").message).toBeGreaterThanOrEqual(3);
    expect(countsFor("meta/messages-inbound.json").message).toBe(0);
  });

  it("history messages take the fast path", () => {
    const counts = countsFor("meta/history-chunk.json");
    expect(counts.history).toBeGreaterThanOrEqual(4);
    expect(counts.metadata).toBe(1);
    expect(counts.threadHeader).toBe(2);
    // A thread with a context (a username, a BSUID) is left to the schema.
    expect(countsFor("meta/history-bsuid-thread.json").threadHeader).toBe(0);
  });

  it("address-book items take the fast path", () => {
    expect(countsFor("meta/state-sync-initial.json")).toMatchObject({ stateSync: 3, metadata: 1 });
  });

  it("most of the corpus does", () => {
    for (const key of Object.keys(answered) as (keyof typeof answered)[]) answered[key] = 0;
    for (const fixture of validBodies()) parseWebhook(fixture.text, {});
    expect(answered.message).toBeGreaterThan(25);
    expect(answered.history).toBeGreaterThan(25);
    expect(answered.metadata).toBeGreaterThan(50);
    expect(answered.stateSync).toBeGreaterThan(5);
  });
});
