/**
 * The parser takes its fast paths on real traffic. Their output equals the schemas' (fast-path.test.ts),
 * so switching one off changes no answer, only the speed: this test counts what each fast path
 * answered while the corpus is parsed, so a fast path that stops being used fails here, not only in
 * a benchmark.
 */
import { describe, expect, it, vi } from "vitest";
import { parseWebhook } from "../src/index.js";
import { fixtureText, validBodies } from "./support/fixtures.js";

const answered = vi.hoisted(() => ({ message: 0, history: 0, metadata: 0, stateSync: 0 }));

vi.mock("../src/fast/fast-message.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/fast/fast-message.js")>();
  return {
    ...real,
    fastMessage: (...args: Parameters<typeof real.fastMessage>) => {
      const result = real.fastMessage(...args);
      if (result !== undefined) answered.message++;
      return result;
    },
    fastHistoryMessage: (...args: Parameters<typeof real.fastHistoryMessage>) => {
      const result = real.fastHistoryMessage(...args);
      if (result !== undefined) answered.history++;
      return result;
    },
  };
});
vi.mock("../src/fast/fast-state-sync.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/fast/fast-state-sync.js")>();
  return {
    ...real,
    fastMetadata: (...args: Parameters<typeof real.fastMetadata>) => {
      const result = real.fastMetadata(...args);
      if (result !== undefined) answered.metadata++;
      return result;
    },
    fastStateSyncItem: (...args: Parameters<typeof real.fastStateSyncItem>) => {
      const result = real.fastStateSyncItem(...args);
      if (result !== undefined) answered.stateSync++;
      return result;
    },
  };
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
