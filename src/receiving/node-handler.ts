/**
 * The handler for `node:http` and Express: `(req, res)`, raw bytes read from the stream (or taken
 * from `express.raw()`), over the same core as the fetch handler. Uses no Node module, only the
 * request and response objects it is given.
 *
 * @module
 */
import { concatBytes } from "./raw-body.js";
import type { BodyBudget } from "./bytes-in-flight.js";
import {
  answerWebhook,
  bodyBudget,
  checkHandlerOptions,
  failed,
  openWebhook,
  settleEvents,
  type IncomingWebhook,
  type WebhookHandlerOptions,
  type WebhookHead,
  type WebhookOutcome,
} from "./webhook-core.js";

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
  /** Status and headers in one call; used when present (one step instead of a `setHeader` per header). */
  writeHead?(status: number, headers: Readonly<Record<string, string>>): unknown;
  end(body?: string, callback?: () => void): unknown;
}

/**
 * What to do with the events of an accepted request. Runs before the answer is sent: if it
 * throws or rejects, the answer is 500 (and `onError` is told); if it has not settled within
 * `eventsTimeout`, 503. The sender retries either later.
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

/** Receives the body's bytes, or `undefined` when it is over the limit. */
type BodyCallback = (body: Uint8Array | undefined) => void;

/**
 * Reads a request's body within `maxBytes` and hands it to `done` (or the error to `fail`): the
 * bytes `express.raw()` or a text parser left in `request.body`, or else the stream, with plain
 * events where the request has them (no promise per chunk or per request).
 */
function readNodeBody(request: NodeRequest, maxBytes: number, budget: BodyBudget | undefined, done: BodyCallback, fail: (error: unknown) => void): void {
  const parsed = request.body;
  if (parsed instanceof Uint8Array) return done(parsed.byteLength > maxBytes ? undefined : parsed);
  if (typeof parsed === "string") return done(readNodeString(parsed, maxBytes));
  if (parsed !== undefined && !(typeof parsed === "object" && parsed !== null && Object.keys(parsed).length === 0)) {
    return fail(
      new TypeError(
        "The request body was already parsed (by express.json() or similar), so its signature cannot be checked. " +
          "Mount this handler on its route before any body parser (it reads the body itself, up to maxBytes).",
      ),
    );
  }
  if (typeof request.on === "function") readWithEvents(request as EventedRequest, maxBytes, budget, done, fail);
  else readWithIterator(request, maxBytes, budget).then(done, fail);
}

interface EventedRequest extends NodeRequest {
  on(event: string, listener: (value?: unknown) => void): unknown;
  pause?(): unknown;
}

function toBytes(chunk: unknown): Uint8Array {
  return typeof chunk === "string" ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
}

/**
 * Node streams: plain events are much cheaper than the async iterator on a hot path. The listeners
 * stay on the request (it is read once; after `end` nothing more comes); past the limit (or when
 * the bytes in flight would pass their bound) the stream is paused and whatever still arrives is
 * ignored.
 */
function readWithEvents(request: EventedRequest, maxBytes: number, budget: BodyBudget | undefined, done: BodyCallback, fail: (error: unknown) => void): void {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let settled = false;
  request.on("data", (chunk) => {
    if (settled) return;
    const bytes = toBytes(chunk);
    total += bytes.byteLength;
    if (total > maxBytes || (budget !== undefined && !budget.take(bytes.byteLength))) {
      settled = true;
      request.pause?.();
      done(undefined);
    } else chunks.push(bytes);
  });
  request.on("end", () => {
    if (settled) return;
    settled = true;
    done(concatBytes(chunks));
  });
  request.on("error", (error) => {
    if (settled) return;
    settled = true;
    fail(error);
  });
}

async function readWithIterator(request: NodeRequest, maxBytes: number, budget: BodyBudget | undefined): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of request) {
    const bytes = toBytes(chunk);
    total += bytes.byteLength;
    if (total > maxBytes || (budget !== undefined && !budget.take(bytes.byteLength))) return undefined;
    chunks.push(bytes);
  }
  return concatBytes(chunks);
}

function readNodeString(text: string, maxBytes: number): Uint8Array | undefined {
  const bytes = new TextEncoder().encode(text);
  return bytes.byteLength > maxBytes ? undefined : bytes;
}

/** A Node request's method, URL and headers as the core reads them. */
function nodeHead(request: NodeRequest): WebhookHead {
  return {
    method: request.method ?? "GET",
    url: request.originalUrl ?? request.url ?? "/",
    header: (name) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    },
  };
}

/** A Node request as the core sees it. */
export function nodeIncoming(request: NodeRequest): IncomingWebhook {
  return {
    ...nodeHead(request),
    readBody: (maxBytes, budget) => new Promise((resolve, reject) => readNodeBody(request, maxBytes, budget, resolve, reject)),
  };
}

/** Sends an answer (status, headers, body), then runs `after`. */
export function send(response: NodeResponse, status: number, headers: Readonly<Record<string, string>>, body: string, after?: () => void): void {
  if (typeof response.writeHead === "function") response.writeHead(status, headers);
  else {
    response.statusCode = status;
    for (const name in headers) response.setHeader(name, headers[name] as string);
  }
  response.end(body, after);
}

/**
 * A request handler for `node:http` and Express, with the same rules as
 * {@link handleWebhookRequest}. With Express, mount it on its route with no body parser in front
 * (it reads the body itself, up to `maxBytes`; `express.raw()`'s default 100 KB limit would refuse
 * a history chunk) and before any `app.use(express.json())`.
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
  return (request, response) => new Promise<void>((resolve) => exchange(request, response, options, resolve));
}

/**
 * One request and its answer, then `finished`. The steps run one after another from the stream's
 * callbacks, and a promise comes in only where something is asynchronous (Web Crypto, an `onEvents`
 * that returns one): on Node a request costs no promise but the one the handler returns.
 */
function exchange(request: NodeRequest, response: NodeResponse, options: NodeHandlerOptions, finished: () => void): void {
  const head = nodeHead(request);
  const budget = bodyBudget(options);
  // After a 413 or a 503 for bytes in flight the rest of the body is never read: the connection
  // closes once the answer is out.
  const reply = ({ status, headers, body }: WebhookOutcome): void => {
    budget.release();
    try {
      send(response, status, headers, body, headers.connection === "close" ? () => request.destroy?.() : undefined);
    } finally {
      finished();
    }
  };
  const fail = (error: unknown): void => reply(failed(error, "read", options));
  // A POST's events go to onEvents when it was accepted (awaited only when it returns a promise), then the answer.
  const { onEvents } = options;
  const deliver = (outcome: WebhookOutcome): void => {
    if (onEvents === undefined) return reply(outcome);
    const settled = settleEvents(outcome, () => onEvents(outcome, request), options);
    if (settled instanceof Promise) void settled.then(reply);
    else reply(settled);
  };
  let opened: WebhookOutcome | number;
  try {
    opened = openWebhook(head, options);
  } catch (error) {
    return fail(error);
  }
  // Answered before any body (the handshake, another method, a declared length over a limit): no events.
  if (typeof opened !== "number") return reply(opened);
  const maxBytes = opened;
  readNodeBody(
    request,
    maxBytes,
    budget,
    (body) => {
      let outcome: WebhookOutcome | Promise<WebhookOutcome>;
      try {
        outcome = answerWebhook(body, head, options, maxBytes, budget);
      } catch (error) {
        return fail(error);
      }
      if (outcome instanceof Promise) outcome.then(deliver, fail);
      else deliver(outcome);
    },
    fail,
  );
}
