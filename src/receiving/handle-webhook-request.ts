/**
 * The fetch-style handler: Web `Request` in, `Response` out (Hono, Next.js route handlers,
 * Cloudflare Workers, Bun, Deno).
 *
 * @module
 */
import type { BodyBudget } from "./bytes-in-flight.js";
import { processWebhook, settleEvents, TEXT, type SignatureFailure, type WebhookHandlerOptions, type WebhookOutcome } from "./webhook-core.js";
import type { CoexistenceEvent } from "../events/coexistence-event.js";
import type { ParseIssue } from "../parsing/webhook-parse-error.js";
import { concatBytes } from "./raw-body.js";

/**
 * Options of {@link handleWebhookRequest}: the shared ones, and what to do with the events before
 * the response is made.
 *
 * @example
 * ```ts
 * const options: WebhookRequestOptions = { secret: process.env.APP_SECRET!, onEvents: (events) => queue.push(events) };
 * ```
 */
export interface WebhookRequestOptions extends WebhookHandlerOptions {
  /**
   * Called with the events of every POST answered 200, before the response is made: if it throws
   * or rejects, the response is 500 (and `onError` is told, and the result carries `error`); if it
   * has not settled within `eventsTimeout`, 503. The sender retries either later. Without it, hand
   * the result's `events` on yourself.
   */
  readonly onEvents?: ((events: CoexistenceEvent[], outcome: WebhookOutcome) => unknown) | undefined;
}

/**
 * What {@link handleWebhookRequest} resolves to: the response to send and what was parsed.
 *
 * @example
 * ```ts
 * const { response, events } = await handleWebhookRequest(request, { secret });
 * ```
 */
export interface WebhookRequestResult {
  readonly response: Response;
  readonly events: CoexistenceEvent[];
  readonly issues: ParseIssue[];
  /** Why a 401: `missing`, `malformed` or `mismatch` (never the secret). */
  readonly reason?: SignatureFailure;
  /** What failed, for a 500 or 503 (`onEvents`, or the body's reading); `onError` was told too. */
  readonly error?: unknown;
}

/**
 * Reads a stream, giving up (and cancelling it) as soon as it holds more than `maxBytes`, or as
 * soon as the bytes in flight would pass their bound.
 *
 * @example
 * ```ts
 * const bytes = await readLimited(request.body, 1024, budget);
 * ```
 */
async function readLimited(stream: ReadableStream<Uint8Array> | null, maxBytes: number, budget: BodyBudget | undefined): Promise<Uint8Array | undefined> {
  if (stream === null) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes || (budget !== undefined && !budget.take(value.byteLength))) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}

/** The runtime's own `Request.prototype.arrayBuffer`: it reads whatever the stream holds, however long. */
const nativeArrayBuffer = typeof Request === "function" ? Request.prototype.arrayBuffer : undefined;

/**
 * A request's body within `maxBytes`, whatever its `content-length` says: the runtime's own
 * `Request` is read as a stream, chunk by chunk, and abandoned past the limit (a body that declares
 * 100 bytes and streams 50 MB is not read to its end). An adapter's own `arrayBuffer()` (as
 * `@hono/node-server`'s, which reads Node's request, framed by its declared length by Node's HTTP
 * parser) is used in one step when a length is declared: Node's adapters then need no web stream
 * per request (about twice the throughput), and `request.body` is not touched (on
 * `@hono/node-server` that getter alone builds the full web `Request` and its stream).
 */
async function readBody(request: Request, maxBytes: number, budget: BodyBudget | undefined): Promise<Uint8Array | undefined> {
  if (request.bodyUsed) {
    throw new TypeError(
      "The request body was already read (by c.req.json(), c.req.text() or a middleware), so its signature cannot be checked: " +
        "give handleWebhookRequest the request before anything reads its body.",
    );
  }
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (!Number.isSafeInteger(declared) || declared < 0) return readLimited(request.body, maxBytes, budget);
  const read = request.arrayBuffer;
  if (read === nativeArrayBuffer) return readLimited(request.body, maxBytes, budget);
  if (budget !== undefined && !budget.take(declared)) return undefined;
  const bytes = new Uint8Array(await read.call(request));
  return bytes.byteLength > maxBytes ? undefined : bytes;
}

/**
 * Handles one webhook request: answers the GET handshake, refuses bodies over `maxBytes` (413,
 * before reading past the limit), checks the signature (`X-Hub-Signature-256` or
 * `x-360dialog-signature`, any of the secrets; 401 with its `reason`), parses (400 when nothing in
 * the body parses), hands the events to `onEvents` when given, and resolves to the response to send
 * with the events. Other methods get 405; too many body bytes in flight 503.
 *
 * @example
 * ```ts
 * // Next.js route handler (app/api/whatsapp/route.ts); the same works in Hono, Workers, Bun and Deno.
 * export async function POST(request: Request) {
 *   const { response } = await handleWebhookRequest(request, {
 *     secret: process.env.APP_SECRET!,
 *     onEvents: (events) => queue.push(events), // a throw or a rejection answers 500: Meta retries
 *   });
 *   return response;
 * }
 * ```
 */
export async function handleWebhookRequest(request: Request, options: WebhookRequestOptions): Promise<WebhookRequestResult> {
  const processed = await processWebhook(
    {
      method: request.method,
      url: request.url,
      header: (name) => request.headers.get(name) ?? undefined,
      readBody: (maxBytes, budget) => readBody(request, maxBytes, budget),
    },
    options,
  );
  const { onEvents } = options;
  const outcome = onEvents === undefined ? processed : await settleEvents(processed, () => onEvents(processed.events, processed), options);
  const { status, body, headers } = outcome;
  const response = headers === TEXT ? new Response(body, { status }) : new Response(body, { status, headers });
  const result = { response, events: outcome.events, issues: outcome.issues };
  if (outcome.reason !== undefined) return { ...result, reason: outcome.reason };
  return outcome.error === undefined ? result : { ...result, error: outcome.error };
}
