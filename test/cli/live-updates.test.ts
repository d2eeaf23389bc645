/**
 * The inspector's live streams, in process: every update reaches every open page, and at most
 * MAX_LIVE_PAGES are open at once (the rest are told to come back later).
 */
import { EventEmitter } from "node:events";
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { LiveUpdates, MAX_LIVE_PAGES } from "../../src/cli/live-updates.js";
import { isLoopbackAddress } from "../../src/cli/serve.js";

/** A response that records what it was sent. */
function page() {
  const sent = { status: 0, chunks: [] as string[], ended: false };
  const response = Object.assign(new EventEmitter(), {
    writeHead: (status: number) => (sent.status = status),
    write: (chunk: string) => sent.chunks.push(chunk),
    end: (chunk?: string) => {
      if (chunk !== undefined) sent.chunks.push(chunk);
      sent.ended = true;
    },
  });
  return { sent, response: response as unknown as ServerResponse & EventEmitter };
}

describe("live updates", () => {
  it("reach every open page, stop at a closed one, and end them all on close", () => {
    const live = new LiveUpdates(2);
    const [a, b, c] = [page(), page(), page()];
    live.open(a.response);
    live.open(b.response);
    live.open(c.response);
    expect([a.sent.status, b.sent.status, c.sent.status]).toEqual([200, 200, 503]);
    expect(c.sent.ended).toBe(true);
    live.send("delivery", { id: 1 });
    expect(a.sent.chunks.at(-1)).toBe('event: delivery\ndata: {"id":1}\n\n');
    b.response.emit("close");
    live.send("book", { businesses: [] });
    expect(b.sent.chunks.some((chunk) => chunk.startsWith("event: book"))).toBe(false);
    live.close();
    expect(a.sent.ended).toBe(true);
  });

  it("allow 32 pages by default", () => {
    expect(MAX_LIVE_PAGES).toBe(32);
  });
});

describe("which addresses are this machine's alone", () => {
  it.each([
    ["127.0.0.1", true],
    ["localhost", true],
    ["::1", true],
    ["[::1]", true],
    ["0.0.0.0", false],
    ["192.168.1.10", false],
    ["example.com", false],
  ])("%s: %s", (host, loopback) => expect(isLoopbackAddress(host)).toBe(loopback));
});
