/**
 * The handler for `node:http` and Express: `(req, res)`, raw bytes read from the stream (or taken
 * from `express.raw()`), over the same core as the fetch handler. Uses no Node module, only the
 * request and response objects it is given.
 *
 * @module
 */
import { concatBytes } from "./raw-body.js";
import { checkHandlerOptions, processWebhook, type IncomingWebhook, type WebhookHandlerOptions, type WebhookOutcome } from "./webhook-core.js";

/**
 * The parts of Node's `IncomingMessage` (and Express's request) the handler uses.
 *
 * @example
 * ```ts
 * createServer((request: NodeRequest, response: NodeResponse) => void handler(request, response));
 * ```
 */
export interface NodeRequest extends AsyncIterable<unknown> {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly originalUrl?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Set by body parsers: a `Buffer` from `express.raw()`, a string from `express.text()`. */
  readonly body?: unknown;
  destroy?(error?: Error): void;
  /** Node's stream events; used when present (faster than async iteration). */
  on?(event: string, listener: (value?: unknown) => void): unknown;
}

/**
 * The parts of Node's `ServerResponse` the handler uses.
 *
 * @example
 * ```ts
 * const response: NodeResponse = serverResponse; // node:http's ServerResponse fits
 * ```
 */
export interface NodeResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string, callback?: () => void): unknown;
}

/**
 * What to do with the events of an accepted request. Runs before the answer is sent: if it
 * throws, the answer is 500 and the sender retries later.
 *
 * @example
 * ```ts
 * const onEvents: NodeEventsCallback = async ({ events }) => { await queue.push(events); };
 * ```
 */
export type NodeEventsCallback = (outcome: WebhookOutcome, request: NodeRequest) => void | Promise<void>;

/**
 * Options of {@link createNodeHandler}.
 *
 * @example
 * ```ts
 * const options: NodeHandlerOptions = { secret: process.env.APP_SECRET!, onEvents: ({ events }) => console.log(events.length) };
 * ```
 */
export interface NodeHandlerOptions extends WebhookHandlerOptions {
  /** Called with the events of every POST answered 200. */
  readonly onEvents?: NodeEventsCallback | undefined;
}

async function readNodeBody(request: NodeRequest, maxBytes: number): Promise<Uint8Array | undefined> {
  const parsed = request.body;
  if (parsed instanceof Uint8Array) return parsed.byteLength > maxBytes ? undefined : parsed;
  if (typeof parsed === "string") return readNodeString(parsed, maxBytes);
  if (parsed !== undefined && !(typeof parsed === "object" && parsed !== null && Object.keys(parsed).length === 0)) {
    throw new TypeError(
      "The request body was already parsed (by express.json() or similar), so its signature cannot be checked. " +
        'Mount this handler with express.raw({ type: "application/json" }) instead.',
    );
  }
  const chunks = typeof request.on === "function" ? await readWithEvents(request as EventedRequest, maxBytes) : await readWithIterator(request, maxBytes);
  return chunks === undefined ? undefined : concatBytes(chunks);
}

interface EventedRequest extends NodeRequest {
  on(event: string, listener: (value?: unknown) => void): unknown;
  removeListener(event: string, listener: (value?: unknown) => void): unknown;
  pause?(): unknown;
}

function toBytes(chunk: unknown): Uint8Array {
  return typeof chunk === "string" ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
}

/** Node streams: plain events are much cheaper than the async iterator on a hot path. */
function readWithEvents(request: EventedRequest, maxBytes: number): Promise<Uint8Array[] | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    const done = (value: Uint8Array[] | undefined) => {
      request.removeListener("data", onData);
      request.removeListener("end", onEnd);
      request.removeListener("error", onError);
      resolve(value);
    };
    const onData = (chunk: unknown) => {
      const bytes = toBytes(chunk);
      total += bytes.byteLength;
      if (total > maxBytes) {
        request.pause?.();
        done(undefined);
      } else chunks.push(bytes);
    };
    const onEnd = () => done(chunks);
    const onError = (error: unknown) => {
      request.removeListener("data", onData);
      request.removeListener("end", onEnd);
      reject(error);
    };
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onError);
  });
}

async function readWithIterator(request: NodeRequest, maxBytes: number): Promise<Uint8Array[] | undefined> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of request) {
    const bytes = toBytes(chunk);
    total += bytes.byteLength;
    if (total > maxBytes) return undefined;
    chunks.push(bytes);
  }
  return chunks;
}

function readNodeString(text: string, maxBytes: number): Uint8Array | undefined {
  const bytes = new TextEncoder().encode(text);
  return bytes.byteLength > maxBytes ? undefined : bytes;
}

/** A Node request as the core sees it. */
export function nodeIncoming(request: NodeRequest): IncomingWebhook {
  return {
    method: request.method ?? "GET",
    url: request.originalUrl ?? request.url ?? "/",
    header: (name) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    },
    readBody: (maxBytes) => readNodeBody(request, maxBytes),
  };
}

/** Sends an answer (status, headers, body), then runs `after`. */
export function send(response: NodeResponse, status: number, headers: Readonly<Record<string, string>>, body: string, after?: () => void): void {
  response.statusCode = status;
  for (const name in headers) response.setHeader(name, headers[name] as string);
  response.end(body, after);
}

/**
 * A request handler for `node:http` and Express, with the same rules as
 * {@link handleWebhookRequest}. With Express, mount it without `express.json()` (or behind
 * `express.raw({ type: "application/json" })`).
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 *
 * const handler = createNodeHandler({
 *   secret: process.env.APP_SECRET!,
 *   verifyToken: process.env.VERIFY_TOKEN,
 *   onEvents: async ({ events }) => { await queue.push(events); },
 * });
 * createServer(handler).listen(3000);
 * ```
 */
export function createNodeHandler(options: NodeHandlerOptions): (request: NodeRequest, response: NodeResponse) => Promise<void> {
  checkHandlerOptions(options);
  return async (request, response) => {
    let outcome: WebhookOutcome;
    try {
      outcome = await processWebhook(nodeIncoming(request), options);
    } catch (error) {
      send(response, 500, { "content-type": "text/plain; charset=utf-8" }, error instanceof Error ? error.message : "Internal error.");
      return;
    }
    if (outcome.status === 200 && request.method?.toUpperCase() === "POST" && options.onEvents !== undefined) {
      try {
        // A callback that returns nothing is not awaited (a tick per request).
        const handled = options.onEvents(outcome, request);
        if (handled !== undefined) await handled;
      } catch {
        send(response, 500, { "content-type": "text/plain; charset=utf-8" }, "The events could not be processed; please retry.");
        return;
      }
    }
    // After a 413 the rest of the body is never read: close the connection once the answer is out.
    send(response, outcome.status, outcome.headers, outcome.body, outcome.status === 413 ? () => request.destroy?.() : undefined);
  };
}
