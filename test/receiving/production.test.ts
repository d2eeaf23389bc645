/**
 * Production receiving: the documented setups take every body up to `maxBytes`, failures of the
 * application are told (`onError`) and retryable, and no request can exhaust the receiver (bytes in
 * flight are bounded, a declared length is never trusted past `maxBytes`).
 */
import express from "express";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  bytesInFlight,
  createNodeHandler,
  handleWebhookRequest,
  signPayload,
  type CoexistenceEvent,
  type NodeHandlerOptions,
  type WebhookErrorContext,
} from "../../src/index.js";
import { fixtureText } from "../support/fixtures.js";
import { startHonoServer } from "../support/servers.js";

const SECRET = "production-secret";

/** A history chunk of about `megabytes` MB: threads of text messages, as Meta sends them. */
function historyChunk(megabytes: number): string {
  const threads = [];
  let size = 0;
  for (let thread = 0; size < megabytes * 1_000_000; thread++) {
    const customer = String(4915100000000 + thread);
    const messages = Array.from({ length: 100 }, (_, index) => ({
      from: index % 3 === 1 ? "15550783881" : customer,
      id: `wamid.HBgL${customer}${String(index).padStart(6, "0")}`,
      timestamp: String(1739000000 + thread * 1000 + index),
      type: "text",
      text: { body: `message ${index} of thread ${thread}: ${"lorem ipsum dolor sit amet ".repeat(4)}` },
      history_context: { status: "read" },
    }));
    threads.push({ id: customer, messages });
    size += JSON.stringify(messages).length;
  }
  const value = {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
    history: [{ metadata: { phase: 1, chunk_order: 3, progress: 40 }, threads }],
  };
  return JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: "102290129340398", changes: [{ field: "history", value }] }] });
}

const BIG = historyChunk(3);
const BIG_MESSAGES = 100 * (JSON.parse(BIG).entry[0].changes[0].value.history[0].threads as unknown[]).length;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

const messagesIn = (events: readonly CoexistenceEvent[]) =>
  events.reduce((sum, event) => sum + (event.type === "HistoryChunk" ? event.threads.reduce((count, thread) => count + thread.messages.length, 0) : 0), 0);

afterEach(() => expect(bytesInFlight()).toBe(0));

describe("the documented setups take a 3 MB signed history chunk", () => {
  it(`is a body of ${(BIG.length / 1e6).toFixed(1)} MB`, () => expect(BIG.length).toBeGreaterThan(3_000_000));

  it("Express: the handler mounted on its route reads the body itself (no body parser, no 100 KB limit)", async () => {
    const received: CoexistenceEvent[][] = [];
    const app = express();
    app.post("/webhook", createNodeHandler({ secret: SECRET, onEvents: ({ events }) => void received.push(events) }));
    app.use(express.json()); // the app's other routes may parse JSON: the webhook route came first
    const server = createServer(app);
    const url = await listen(server);
    const response = await fetch(`${url}/webhook`, { method: "POST", body: BIG, headers: { "x-hub-signature-256": await signPayload(BIG, SECRET) } });
    expect(response.status).toBe(200);
    expect(messagesIn(received.flat())).toBe(BIG_MESSAGES);
    await close(server);
  });

  it("Express's express.raw() with its default limit refuses it before the handler sees it (why the docs no longer show it)", async () => {
    const app = express();
    app.post("/webhook", express.raw({ type: "application/json" }), createNodeHandler({ secret: SECRET }));
    const server = createServer(app);
    const url = await listen(server);
    const headers = { "content-type": "application/json", "x-hub-signature-256": await signPayload(BIG, SECRET) };
    expect((await fetch(`${url}/webhook`, { method: "POST", body: BIG, headers })).status).toBe(413);
    await close(server);
  });

  it("node:http with createNodeHandler", async () => {
    const received: CoexistenceEvent[][] = [];
    const server = createServer(createNodeHandler({ secret: SECRET, onEvents: ({ events }) => void received.push(events) }));
    const url = await listen(server);
    const response = await fetch(`${url}/webhook`, { method: "POST", body: BIG, headers: { "x-hub-signature-256": await signPayload(BIG, SECRET) } });
    expect(response.status).toBe(200);
    expect(messagesIn(received.flat())).toBe(BIG_MESSAGES);
    await close(server);
  });

  it("Hono with handleWebhookRequest", async () => {
    const server = await startHonoServer({ secret: SECRET });
    const response = await fetch(server.url, { method: "POST", body: BIG, headers: { "x-hub-signature-256": await signPayload(BIG, SECRET) } });
    expect(response.status).toBe(200);
    expect(messagesIn(server.received.flatMap((entry) => entry.events))).toBe(BIG_MESSAGES);
    await server.close();
  });
});

/** A Node request and response in memory, for the handler's decisions alone. */
function exchange(body: string, headers: Record<string, string>) {
  const request = { method: "POST", url: "/webhook", headers, body: new TextEncoder().encode(body), async *[Symbol.asyncIterator]() {} };
  const written = { status: 0, headers: {} as Record<string, string>, body: "" };
  const response = {
    statusCode: 0,
    setHeader: () => undefined,
    writeHead: (status: number, sent: Record<string, string>) => Object.assign(written, { status, headers: sent }),
    end: (text?: string) => (written.body = text ?? ""),
  };
  return { request, response, written };
}

describe("failures of the application are told and retryable", () => {
  const text = fixtureText("meta/echo-text.json");

  it("a throwing or rejecting onEvents answers 500 and is told to onError, with its cause", async () => {
    for (const onEvents of [
      () => {
        throw new Error('relation "contacts" does not exist');
      },
      () => Promise.reject(new Error('relation "contacts" does not exist')),
    ]) {
      const told: [unknown, WebhookErrorContext][] = [];
      const { request, response, written } = exchange(text, { "x-hub-signature-256": await signPayload(text, SECRET) });
      await createNodeHandler({ secret: SECRET, onEvents, onError: (error, context) => void told.push([error, context]) })(request, response);
      expect(written).toMatchObject({ status: 500, body: "The events could not be processed; please retry." });
      expect(told).toEqual([[new Error('relation "contacts" does not exist'), { stage: "events", status: 500 }]]);
    }
  });

  it("without onError, one line on stderr says what failed", async () => {
    const stderr = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { request, response, written } = exchange(text, { "x-hub-signature-256": await signPayload(text, SECRET) });
    await createNodeHandler({ secret: SECRET, onEvents: () => Promise.reject(new TypeError("queue is down")) })(request, response);
    expect(written.status).toBe(500);
    expect(stderr.mock.calls).toEqual([["whatsapp-coexistence: webhook answered 500 (events): TypeError: queue is down"]]);
    stderr.mockRestore();
  });

  it("an onEvents that never settles answers 503 with Retry-After once eventsTimeout has passed", async () => {
    const told: WebhookErrorContext[] = [];
    const options: NodeHandlerOptions = {
      secret: SECRET,
      eventsTimeout: 1,
      onEvents: () => new Promise(() => undefined),
      onError: (_, context) => void told.push(context),
    };
    const { request, response, written } = exchange(text, { "x-hub-signature-256": await signPayload(text, SECRET) });
    await createNodeHandler(options)(request, response);
    expect(written).toMatchObject({ status: 503, headers: { "retry-after": "60" } });
    expect(told).toEqual([{ stage: "timeout", status: 503 }]);
  });

  it("the fetch handler takes onEvents too, and its result carries the cause", async () => {
    const signature = await signPayload(text, SECRET);
    const post = () => new Request("https://example.test/webhook", { method: "POST", body: text, headers: { "x-hub-signature-256": signature } });
    const cause = new Error("queue is down");
    const told: unknown[] = [];
    const failed = await handleWebhookRequest(post(), { secret: SECRET, onEvents: () => Promise.reject(cause), onError: (error) => void told.push(error) });
    expect(failed.response.status).toBe(500);
    expect(failed.error).toBe(cause);
    expect(told).toEqual([cause]);
    const handed: CoexistenceEvent[][] = [];
    const ok = await handleWebhookRequest(post(), { secret: SECRET, onEvents: (events) => void handed.push(events) });
    expect(ok.response.status).toBe(200);
    expect(handed).toEqual([ok.events]);
    const stuck = await handleWebhookRequest(post(), {
      secret: SECRET,
      eventsTimeout: 1,
      onEvents: () => new Promise(() => undefined),
      onError: () => undefined,
    });
    expect(stuck.response.status).toBe(503);
    expect(stuck.response.headers.get("retry-after")).toBe("60");
  });

  it("an onError that throws changes nothing: the answer is still 500", async () => {
    const { request, response, written } = exchange(text, { "x-hub-signature-256": await signPayload(text, SECRET) });
    await createNodeHandler({
      secret: SECRET,
      onEvents: () => Promise.reject(new Error("down")),
      onError: () => {
        throw new Error("the logger is down too");
      },
    })(request, response);
    expect(written.status).toBe(500);
  });
});

describe("no request can exhaust the receiver", () => {
  it("a request that would pass maxBytesInFlight is answered 503 with Retry-After, before its body is read", async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const body = fixtureText("meta/history-chunk.json");
    const signature = await signPayload(body, SECRET);
    const bound = new TextEncoder().encode(body).byteLength + 10;
    const server = createServer(createNodeHandler({ secret: SECRET, maxBytesInFlight: bound, onEvents: () => held }));
    const url = await listen(server);
    const first = fetch(url, { method: "POST", body, headers: { "x-hub-signature-256": signature } });
    await vi.waitFor(() => expect(bytesInFlight()).toBeGreaterThan(0));
    const second = await fetch(url, { method: "POST", body, headers: { "x-hub-signature-256": signature } });
    expect(second.status).toBe(503);
    expect(second.headers.get("retry-after")).toBe("5");
    release();
    expect((await first).status).toBe(200);
    expect(bytesInFlight()).toBe(0);
    await close(server);
  });

  it("a flood of forged bodies never holds more than the bound, and every request is answered", async () => {
    const bound = 4 * 1024 * 1024;
    const server = createServer(createNodeHandler({ secret: SECRET, maxBytesInFlight: bound }));
    const url = await listen(server);
    const forged = "x".repeat(1024 * 1024);
    let peak = 0;
    let sampling = true;
    const sample = () => {
      peak = Math.max(peak, bytesInFlight());
      if (sampling) setImmediate(sample);
    };
    sample();
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () =>
        fetch(url, { method: "POST", body: forged, headers: { "x-hub-signature-256": "sha256=" + "0".repeat(64) } }).then(
          (response) => response.status,
          () => 0, // a connection closed by a 503 mid-body
        ),
      ),
    );
    sampling = false;
    expect(peak).toBeLessThanOrEqual(bound);
    expect(peak).toBeGreaterThan(0);
    expect(new Set(statuses.filter((status) => status !== 0)).size).toBeGreaterThan(0);
    expect(statuses.every((status) => status === 401 || status === 503 || status === 0)).toBe(true);
    expect(bytesInFlight()).toBe(0);
    await close(server);
  });

  it("the fetch handler reads a runtime Request no further than maxBytes, whatever content-length declares", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        if (pulled > 50 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const request = new Request("https://example.test/webhook", {
      method: "POST",
      body: stream,
      headers: { "content-length": "100", "x-hub-signature-256": "sha256=" + "0".repeat(64) },
      duplex: "half",
    } as RequestInit);
    const { response } = await handleWebhookRequest(request, { secret: SECRET, maxBytes: 1024 * 1024 });
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(2 * 1024 * 1024);
  });
});

describe("a body read before the handler", () => {
  it("is named: the handler answers 500 with what to do, not the runtime's 'Body is unusable'", async () => {
    const text = fixtureText("meta/echo-text.json");
    const request = new Request("https://example.test/webhook", {
      method: "POST",
      body: text,
      headers: { "x-hub-signature-256": await signPayload(text, SECRET) },
    });
    await request.text(); // what c.req.json() or a middleware does first
    const told: unknown[] = [];
    const { response, error } = await handleWebhookRequest(request, { secret: SECRET, onError: (cause) => void told.push(cause) });
    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/already read .* before anything reads its body/);
    expect(told).toEqual([error]);
  });
});
