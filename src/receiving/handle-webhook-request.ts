/**
 * The fetch-style handler: Web `Request` in, `Response` out (Hono, Next.js route handlers,
 * Cloudflare Workers, Bun, Deno).
 *
 * @module
 */
import { processWebhook, TEXT, type WebhookHandlerOptions } from "./webhook-core.js";
import type { CoexistenceEvent } from "../events/coexistence-event.js";
import type { ParseIssue } from "../parsing/webhook-parse-error.js";
import { concatBytes } from "./raw-body.js";

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
}

/**
 * Reads a stream, giving up (and cancelling it) as soon as it holds more than `maxBytes`.
 *
 * @example
 * ```ts
 * const bytes = await readLimited(request.body, 1024);
 * ```
 */
async function readLimited(stream: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array | undefined> {
  if (stream === null) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}

/**
 * A request's body within `maxBytes`. With a declared `content-length` (already checked against the
 * limit), `arrayBuffer()` reads it in one step: HTTP framing holds the body to that length, and Node's
 * adapters then need no web stream per request (about twice the throughput). Without one (chunked),
 * the stream is read chunk by chunk and abandoned past the limit. `request.body` is not touched when
 * a length is declared: on `@hono/node-server` that getter alone builds the full web `Request` and
 * its stream, the very cost `arrayBuffer()` avoids.
 */
async function readBody(request: Request, maxBytes: number): Promise<Uint8Array | undefined> {
  const declared = request.headers.get("content-length");
  if (declared === null) return readLimited(request.body, maxBytes);
  const bytes = new Uint8Array(await request.arrayBuffer());
  return bytes.byteLength > maxBytes ? undefined : bytes;
}

/**
 * Handles one webhook request: answers the GET handshake, refuses bodies over `maxBytes` (413,
 * before reading past the limit), checks the signature (`X-Hub-Signature-256` or
 * `x-360dialog-signature`, any of the secrets; 401), parses (400 when nothing in the body parses)
 * and resolves to the response to send with the events. Other methods get 405.
 *
 * @example
 * ```ts
 * // Next.js route handler (app/api/whatsapp/route.ts); the same works in Hono, Workers, Bun and Deno.
 * export async function POST(request: Request) {
 *   const { response, events } = await handleWebhookRequest(request, { secret: process.env.APP_SECRET! });
 *   await queue.push(events);
 *   return response;
 * }
 * ```
 */
export async function handleWebhookRequest(request: Request, options: WebhookHandlerOptions): Promise<WebhookRequestResult> {
  const outcome = await processWebhook(
    {
      method: request.method,
      url: request.url,
      header: (name) => request.headers.get(name) ?? undefined,
      readBody: (maxBytes) => readBody(request, maxBytes),
    },
    options,
  );
  const { status, body, headers } = outcome;
  const response = headers === TEXT ? new Response(body, { status }) : new Response(body, { status, headers });
  return { response, events: outcome.events, issues: outcome.issues };
}
