/**
 * Server-sent events for the live inspector: each open page holds one `text/event-stream`
 * response, and every delivery and book change is pushed to all of them as it happens.
 *
 * @module
 */
import type { ServerResponse } from "node:http";

/** How often a comment keeps idle streams (and proxies in front of them) open. */
const KEEP_ALIVE_MS = 15_000;

/**
 * How many pages may follow the inspector at once: every delivery is written to each, so thousands
 * of idle subscribers would slow every delivery down (p50 1 ms with none, 65 ms with 3,000).
 */
export const MAX_LIVE_PAGES = 32;

/** The open event streams. */
export class LiveUpdates {
  private readonly clients = new Set<ServerResponse>();
  private timer: ReturnType<typeof setInterval> | undefined;

  /** @param capacity - the most streams open at once; one more is answered 503. */
  constructor(private readonly capacity = MAX_LIVE_PAGES) {}

  /** Turns a response into an event stream that receives every later update (503 when {@link MAX_LIVE_PAGES} are open). */
  open(response: ServerResponse): void {
    if (this.clients.size >= this.capacity) {
      response.writeHead(503, { "content-type": "text/plain; charset=utf-8", "retry-after": "10" });
      response.end(`${this.capacity} pages already follow this inspector: close one and reload.`);
      return;
    }
    response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive" });
    response.write("retry: 1000\n\n");
    this.clients.add(response);
    response.on("close", () => {
      this.clients.delete(response);
      if (this.clients.size === 0) this.stopKeepAlive();
    });
    this.timer ??= setInterval(() => {
      for (const client of this.clients) client.write(": keep-alive\n\n");
    }, KEEP_ALIVE_MS);
    this.timer.unref?.();
  }

  /** Sends one named event (its data as JSON, which holds no raw newline) to every stream. */
  send(event: string, data: unknown): void {
    const message = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const client of this.clients) client.write(message);
  }

  /** Ends every stream. */
  close(): void {
    for (const client of this.clients) client.end();
    this.clients.clear();
    this.stopKeepAlive();
  }

  private stopKeepAlive(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
