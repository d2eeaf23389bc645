import express from "express";
import { EventEmitter } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeHandler, handleWebhookRequest, parseWebhook, signPayload, type CoexistenceEvent } from "../../src/index.js";
import { fixtureText, validBodies } from "../support/fixtures.js";
import { startHonoServer, startNodeServer, type TestServer } from "../support/servers.js";

const SECRET = "app_secret_123";
const DIALOG_SECRET = "partner_platform_secret";
const VERIFY_TOKEN = "verify-me";
const MAX_BYTES = 64 * 1024;
const OPTIONS = { secret: [SECRET, DIALOG_SECRET], verifyToken: VERIFY_TOKEN, maxBytes: MAX_BYTES };

async function post(url: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
}

const servers: [string, () => Promise<TestServer>][] = [
  ["node:http + createNodeHandler", () => startNodeServer(OPTIONS)],
  ["Hono + handleWebhookRequest", () => startHonoServer(OPTIONS)],
];

describe.each(servers)("%s on a real socket", (_, start) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(() => server.close());

  it("accepts every signed fixture with 200 and hands over exactly its events", async () => {
    for (const fixture of validBodies()) {
      const before = server.received.length;
      const secret = fixture.name.startsWith("360dialog/") ? DIALOG_SECRET : SECRET;
      const header = fixture.name.startsWith("360dialog/") ? "x-360dialog-signature" : "x-hub-signature-256";
      const signature = await signPayload(fixture.text, secret);
      const response = await post(server.url, fixture.text, { [header]: fixture.name.startsWith("360dialog/") ? signature.slice(7) : signature });
      expect(response.status, fixture.name).toBe(200);
      expect(await response.text()).toBe("OK");
      expect(server.received.length).toBe(before + 1);
      expect(server.received.at(-1)?.events).toEqual(parseWebhook(fixture.text));
    }
  });

  it("refuses a tampered byte, a wrong secret, a re-serialised body and a missing signature with 401", async () => {
    const text = fixtureText("meta/history-chunk.json");
    const signature = await signPayload(text, SECRET);
    const tampered = text.replace("Size M and L", "Size M and XL");
    const reserialised = JSON.stringify(JSON.parse(fixtureText("meta/echo-text.json"))); // the emoji no longer escaped as Meta sent it
    const before = server.received.length;
    expect((await post(server.url, tampered, { "x-hub-signature-256": signature })).status).toBe(401);
    expect((await post(server.url, text, { "x-hub-signature-256": await signPayload(text, "wrong-secret") })).status).toBe(401);
    const escaped = fixtureText("meta/echo-text.json").replace("📦", "\\ud83d\\udce6");
    expect((await post(server.url, reserialised, { "x-hub-signature-256": await signPayload(escaped, SECRET) })).status).toBe(401);
    expect((await post(server.url, text)).status).toBe(401);
    expect((await post(server.url, text, { "x-hub-signature-256": "sha256=zz" })).status).toBe(401);
    expect(server.received.length).toBe(before);
  });

  it("answers 400 to a signed body that does not parse, and 200 with the good events of a partly bad one", async () => {
    const garbage = "{not json";
    const bad = await post(server.url, garbage, { "x-hub-signature-256": await signPayload(garbage, SECRET) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ issues: [{ path: "" }] });
    const partly = fixtureText("invalid/partly-bad-state-sync.json");
    const response = await post(server.url, partly, { "x-hub-signature-256": await signPayload(partly, SECRET) });
    expect(response.status).toBe(200);
    expect(server.received.at(-1)?.events.map((event: CoexistenceEvent) => event.type)).toEqual(["ContactAdded", "MessageEchoed"]);
    expect(server.received.at(-1)?.issues).toHaveLength(3);
  });

  it("answers 413 to an oversized body without reading it", async () => {
    const big = new Uint8Array(8 * 1024 * 1024).fill(32);
    const response = await post(server.url, big, { "x-hub-signature-256": await signPayload("x", SECRET) });
    expect(response.status).toBe(413);
    expect(server.bytesRead.at(-1)).toBe(0); // refused on its Content-Length
  });

  it("answers 413 to a streamed body once it passes the limit, having read no more than one chunk past it", async () => {
    let sent = 0;
    const chunk = new Uint8Array(16 * 1024).fill(32);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        if (sent > 16 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const response = await fetch(server.url, {
      method: "POST",
      body: stream,
      duplex: "half",
      headers: { "x-hub-signature-256": await signPayload("x", SECRET) },
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(server.bytesRead.at(-1)).toBeGreaterThan(MAX_BYTES);
    expect(server.bytesRead.at(-1)).toBeLessThanOrEqual(MAX_BYTES + 256 * 1024);
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });

  it("answers the GET handshake, refuses a wrong token, and refuses other methods", async () => {
    const ok = await fetch(`${server.url}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("1158201444");
    expect((await fetch(`${server.url}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`)).status).toBe(403);
    expect((await fetch(`${server.url}?hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`)).status).toBe(403);
    const put = await fetch(server.url, { method: "PUT", body: "{}" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, POST");
  });
});

describe("Express", () => {
  let server: Server;
  let url: string;
  const received: CoexistenceEvent[][] = [];
  beforeAll(async () => {
    const app = express();
    const handler = createNodeHandler({ secret: SECRET, onEvents: ({ events }) => void received.push(events) });
    app.post("/raw", express.raw({ type: "application/json" }), handler);
    app.post("/stream", handler);
    app.post("/parsed", express.json(), handler);
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("verifies bytes that express.raw() already read, and bytes read from the stream", async () => {
    const text = fixtureText("meta/state-sync-initial.json");
    const headers = { "x-hub-signature-256": await signPayload(text, SECRET) };
    expect((await post(`${url}/raw`, text, headers)).status).toBe(200);
    expect((await post(`${url}/stream`, text, headers)).status).toBe(200);
    expect(received).toEqual([parseWebhook(text), parseWebhook(text)]);
  });

  it("explains the fix when express.json() parsed the body first", async () => {
    const text = fixtureText("meta/state-sync-initial.json");
    const response = await post(`${url}/parsed`, text, { "x-hub-signature-256": await signPayload(text, SECRET) });
    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/Mount this handler on its route before any body parser/);
  });
});

describe("the Node handler", () => {
  it("answers 500 when onEvents fails, so the sender retries", async () => {
    const handler = createNodeHandler({ secret: SECRET, onEvents: () => Promise.reject(new Error("queue down")) });
    const server = createServer((request, response) => void handler(request, response));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const text = fixtureText("meta/echo-text.json");
    const response = await post(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, text, {
      "x-hub-signature-256": await signPayload(text, SECRET),
    });
    expect(response.status).toBe(500);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("answers 200 only after an async onEvents settles, and 500 when a synchronous one throws", async () => {
    const text = fixtureText("meta/echo-text.json");
    const signature = await signPayload(text, SECRET);
    const request = () => ({
      method: "POST",
      url: "/",
      headers: { "x-hub-signature-256": signature },
      body: new TextEncoder().encode(text),
      async *[Symbol.asyncIterator]() {},
    });
    const response = () => {
      const result = { statusCode: 0, body: "", headers: {} as Record<string, string> };
      return Object.assign(result, {
        setHeader: (name: string, value: string) => (result.headers[name] = value),
        end: (body?: string) => (result.body = body ?? ""),
      });
    };
    let release = (): void => undefined;
    const queued = new Promise<void>((resolve) => (release = resolve));
    const slow = response();
    const answered = createNodeHandler({ secret: SECRET, onEvents: () => queued })(request(), slow);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(slow.statusCode).toBe(0);
    release();
    await answered;
    expect(slow).toMatchObject({ statusCode: 200, body: "OK", headers: { "content-type": "text/plain; charset=utf-8" } });

    const failed = response();
    await createNodeHandler({
      secret: SECRET,
      onEvents: () => {
        throw new Error("queue down");
      },
    })(request(), failed);
    expect(failed).toMatchObject({ statusCode: 500, body: "The events could not be processed; please retry." });
  });

  it("reads any async-iterable request, and a body-parser's string", async () => {
    const text = fixtureText("meta/echo-text.json");
    const signature = await signPayload(text, SECRET);
    const seen: CoexistenceEvent[][] = [];
    const handler = createNodeHandler({ secret: SECRET, onEvents: ({ events }) => void seen.push(events) });
    const response = () => {
      const result = { statusCode: 0, body: "", headers: {} as Record<string, string> };
      return Object.assign(result, {
        setHeader: (name: string, value: string) => (result.headers[name] = value),
        end: (body?: string) => (result.body = body ?? ""),
      });
    };
    const iterable = {
      method: "POST",
      url: "/",
      headers: { "x-hub-signature-256": signature },
      async *[Symbol.asyncIterator]() {
        yield new TextEncoder().encode(text.slice(0, 100));
        yield text.slice(100);
      },
    };
    const first = response();
    await handler(iterable, first);
    expect(first.statusCode).toBe(200);
    const second = response();
    await handler({ ...iterable, body: text }, second);
    expect(second.statusCode).toBe(200);
    expect(seen).toEqual([parseWebhook(text), parseWebhook(text)]);
  });

  it("answers 500 with the reason when the request stream fails, and takes nothing it sends after", async () => {
    const text = fixtureText("meta/echo-text.json");
    const seen: CoexistenceEvent[][] = [];
    const errors: unknown[] = [];
    const handler = createNodeHandler({ secret: SECRET, onEvents: ({ events }) => void seen.push(events), onError: (error) => void errors.push(error) });
    const stream = Object.assign(new EventEmitter(), {
      method: "POST",
      url: "/",
      headers: { "x-hub-signature-256": await signPayload(text, SECRET) },
      async *[Symbol.asyncIterator]() {},
    });
    const written: { status?: number; headers?: Record<string, string>; body?: string } = {};
    const response = {
      statusCode: 0,
      setHeader: () => expect.unreachable("writeHead is there, so no setHeader"),
      writeHead: (status: number, headers: Record<string, string>) => Object.assign(written, { status, headers }),
      end: (body?: string) => (written.body = body),
    };
    const answered = handler(stream, response);
    stream.emit("data", new TextEncoder().encode(text.slice(0, 50)));
    stream.emit("error", new Error("socket hang up"));
    stream.emit("data", new TextEncoder().encode(text.slice(50)));
    stream.emit("end");
    await answered;
    expect(written).toEqual({ status: 500, headers: { "content-type": "text/plain; charset=utf-8" }, body: "The body could not be read: socket hang up" });
    expect(seen).toEqual([]);
    expect(errors).toEqual([new Error("socket hang up")]);
  });

  it("refuses to start without a secret unless unsigned requests are allowed", () => {
    expect(() => createNodeHandler({})).toThrow(/needs `secret`/);
    expect(() => createNodeHandler({ allowUnsigned: true })).not.toThrow();
  });

  it.each([
    [{ secret: [] }, /`secret` is an empty array/],
    [{ secret: "" }, /`secret` is an empty string \(an empty environment variable\?\)/],
    [{ secret: [SECRET, undefined] }, /`secret\[1\]` is undefined \(an unset environment variable\?\)/],
    [{ secret: 42 }, /`secret` is number/],
    [{ secret: SECRET, verifyToken: "" }, /`verifyToken` is an empty string/],
    [{ secret: SECRET, maxBytes: -1 }, /`maxBytes` must be a positive whole number/],
    [{ secret: SECRET, partialBody: "ignore" }, /`partialBody` must be "acknowledge" or "reject"/],
  ])("refuses bad options when the handler is made, naming the problem: %o", async (options, message) => {
    expect(() => createNodeHandler(options as never)).toThrow(message);
    // The fetch handler has no making step: its first call rejects with the same TypeError (never a 500 answer).
    await expect(handleWebhookRequest(new Request("https://example.com/webhook", { method: "POST", body: "{}" }), options as never)).rejects.toThrow(message);
  });
});
