/**
 * Real HTTP servers on 127.0.0.1 for the receiving tests: node:http with the Node handler, and Hono
 * (through @hono/node-server) with the fetch handler.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createNodeHandler,
  handleWebhookRequest,
  type CoexistenceEvent,
  type NodeRequest,
  type ParseIssue,
  type WebhookHandlerOptions,
} from "../../src/index.js";

/** A running server: its URL, what it received, and how to stop it. */
export interface TestServer {
  readonly url: string;
  /** The events of every accepted POST, in arrival order. */
  readonly received: { events: CoexistenceEvent[]; issues: ParseIssue[] }[];
  /** Body bytes the handler pulled from the connection, per request. */
  readonly bytesRead: number[];
  close(): Promise<void>;
}

function addressOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Counts the body bytes the handler's own "data" listeners receive (nothing is read unless the handler asks). */
function countingRequest(request: IncomingMessage, count: (bytes: number) => void): NodeRequest {
  const on = request.on.bind(request);
  const wrapped = new Map<unknown, unknown>();
  request.on = ((event: string, listener: (...args: unknown[]) => void) => {
    if (event !== "data") return on(event, listener);
    const counting = (chunk: Buffer) => {
      count(chunk.byteLength);
      listener(chunk);
    };
    wrapped.set(listener, counting);
    return on(event, counting);
  }) as typeof request.on;
  const removeListener = request.removeListener.bind(request);
  request.removeListener = ((event: string, listener: (...args: unknown[]) => void) =>
    removeListener(event, (wrapped.get(listener) as typeof listener | undefined) ?? listener)) as typeof request.removeListener;
  return request as unknown as NodeRequest;
}

/** node:http + createNodeHandler. */
export async function startNodeServer(options: WebhookHandlerOptions): Promise<TestServer> {
  const received: TestServer["received"] = [];
  const bytesRead: number[] = [];
  const handler = createNodeHandler({ ...options, onEvents: ({ events, issues }) => void received.push({ events, issues }) });
  const server = createServer((request, response) => {
    const index = bytesRead.push(0) - 1;
    void handler(
      countingRequest(request, (bytes) => (bytesRead[index]! += bytes)),
      response,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: addressOf(server), received, bytesRead, close: () => closeServer(server) };
}

/** Hono on @hono/node-server + handleWebhookRequest. */
export async function startHonoServer(options: WebhookHandlerOptions): Promise<TestServer> {
  const received: TestServer["received"] = [];
  const bytesRead: number[] = [];
  const app = new Hono();
  app.all("/webhook", async (context) => {
    const index = bytesRead.push(0) - 1;
    const raw = context.req.raw;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytesRead[index]! += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const request =
      raw.body === null
        ? raw
        : new Request(raw.url, { method: raw.method, headers: raw.headers, body: raw.body.pipeThrough(counter), duplex: "half" } as RequestInit);
    const { response, events, issues } = await handleWebhookRequest(request, options);
    if (response.status === 200 && raw.method === "POST") received.push({ events, issues });
    return response;
  });
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started as Server));
  });
  return { url: addressOf(server), received, bytesRead, close: () => closeServer(server) };
}
