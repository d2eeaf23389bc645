/**
 * Server-sent events for the live inspector: each open page holds one `text/event-stream`
 * response, and every delivery and book change is pushed to all of them as it happens.
 *
 * @module
 */
import type { ServerResponse } from "node:http";

/** How often a comment keeps idle streams (and proxies in front of them) open. */
const KEEP_ALIVE_MS = 15_000;

/** The open event streams. */
export class LiveUpdates {
  private readonly clients = new Set<ServerResponse>();
  private timer: ReturnType<typeof setInterval> | undefined;

  /** Turns a response into an event stream that receives every later update. */
  open(response: ServerResponse): void {
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
