/**
 * The one place that decides how a webhook request is answered, shared by the fetch handler and
 * the Node handler: handshake, size limit, signature, parsing.
 *
 * @module
 */
import type { CoexistenceEvent } from "../events/coexistence-event.js";
import { DEFAULT_MAX_BYTES } from "../parsing/read-body.js";
import { safeParseWebhook } from "../parsing/parse-webhook.js";
import type { ParseIssue } from "../parsing/webhook-parse-error.js";
import { BodyBudget, DEFAULT_MAX_BYTES_IN_FLIGHT, fitsInFlight } from "./bytes-in-flight.js";
import { checkSignature, parseSignatureHeader, type Secrets } from "./verify-signature.js";
import { verifySubscription } from "./verify-subscription.js";

/**
 * How a webhook endpoint checks and parses what it receives.
 *
 * @example
 * ```ts
 * const options: WebhookHandlerOptions = { secret: [process.env.META_APP_SECRET!, process.env.D360_SECRET!], verifyToken: "my-token" };
 * ```
 */
export interface WebhookHandlerOptions {
  /** Meta's app secret and/or 360dialog's platform secret; a request is accepted when any one signs it. */
  readonly secret?: Secrets | undefined;
  /** Accept unsigned requests: for local development only (then `secret` may be omitted). */
  readonly allowUnsigned?: boolean | undefined;
  /** The verify token of the GET subscription handshake; without it every GET is refused (403). */
  readonly verifyToken?: string | undefined;
  /** Larger bodies are refused with 413 before more than this many bytes are read. Default 4 MiB. */
  readonly maxBytes?: number | undefined;
  /** Passed to the parser. Default 64. */
  readonly maxDepth?: number | undefined;
  /** Passed to the parser: the business for bodies that name none (see `ParseOptions`). */
  readonly phoneNumberId?: string | undefined;
  /** Passed to the parser: the WABA for bodies that name none. */
  readonly wabaId?: string | undefined;
  /**
   * A body of which only some parts parse: `"acknowledge"` (the default) answers 200 with the good
   * events (Meta retries non-200 answers for days, and a bad part will not get better);
   * `"reject"` answers 400.
   */
  readonly partialBody?: "acknowledge" | "reject" | undefined;
  /**
   * The most body bytes all requests together may hold in memory while they are read and checked
   * (a forged flood is read before its signatures can be judged). A request past it is answered
   * 503 with `Retry-After` (Meta retries). Default 64 MiB.
   */
  readonly maxBytesInFlight?: number | undefined;
  /** How long `onEvents` may take before the request is answered 503 (retryable), in milliseconds. Default 20,000. */
  readonly eventsTimeout?: number | undefined;
  /**
   * Told of every failure the sender only sees as a 500 or 503: `onEvents` threw or timed out, the
   * body could not be read. Default: one line on stderr with the cause (`console.error`).
   */
  readonly onError?: WebhookErrorHandler | undefined;
}

/**
 * Why a request was refused with 401: no signature header, one that is not `sha256=<64 hex>`, or
 * one that does not sign the body with any of the secrets. Never the secret or the digest.
 *
 * @example
 * ```ts
 * if (outcome.status === 401 && outcome.reason === "mismatch") console.warn("wrong secret, or a body changed on the way");
 * ```
 */
export type SignatureFailure = "missing" | "malformed" | "mismatch";

/**
 * Where a failure happened: `onEvents` threw (`events`), did not settle in time (`timeout`), or the
 * body could not be read (`read`).
 *
 * @example
 * ```ts
 * const context: WebhookErrorContext = { stage: "events", status: 500 };
 * ```
 */
export interface WebhookErrorContext {
  readonly stage: "events" | "timeout" | "read";
  /** The status the request was answered with. */
  readonly status: 500 | 503;
}

/**
 * The `onError` option: told of every failure the sender sees only as a 500 or 503.
 *
 * @example
 * ```ts
 * const onError: WebhookErrorHandler = (error, { stage }) => logger.error({ err: error, stage }, "webhook not processed");
 * ```
 */
export type WebhookErrorHandler = (error: unknown, context: WebhookErrorContext) => void;

/**
 * The default `eventsTimeout`, in milliseconds: Meta waits some seconds for an answer, then retries.
 *
 * @example
 * ```ts
 * createNodeHandler({ secret, eventsTimeout: DEFAULT_EVENTS_TIMEOUT / 2, onEvents });
 * ```
 */
export const DEFAULT_EVENTS_TIMEOUT = 20_000;

/** The default `onError`: one line on stderr with the cause. */
function logError(error: unknown, { stage, status }: WebhookErrorContext): void {
  const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`whatsapp-coexistence: webhook answered ${status} (${stage}): ${cause}`);
}

/**
 * What a handler decided, and what it parsed.
 *
 * @example
 * ```ts
 * const { status, events, issues } = outcome;
 * ```
 */
export interface WebhookOutcome {
  /**
   * 200, or 400 (unparseable), 401 (bad signature), 403 (handshake refused), 405 (method), 413 (too
   * large), 500 (`onEvents` failed, or the body could not be read), 503 (`onEvents` timed out, or
   * too many body bytes in flight).
   */
  readonly status: 200 | 400 | 401 | 403 | 405 | 413 | 500 | 503;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The events of an accepted POST (empty otherwise). */
  readonly events: CoexistenceEvent[];
  /** The parse issues of a POST whose signature held (empty otherwise). */
  readonly issues: ParseIssue[];
  /** Why a 401: `missing`, `malformed` or `mismatch`. */
  readonly reason?: SignatureFailure;
  /** What failed, for a 500 or 503 from `onEvents` or the body's reading (also given to `onError`). */
  readonly error?: unknown;
}

/**
 * A request as the core sees it: what every adapter can provide.
 *
 * @example
 * ```ts
 * const incoming: IncomingWebhook = { method: "POST", url: "/webhook", header: (name) => headers[name], readBody: async () => bytes };
 * ```
 */
export interface IncomingWebhook {
  readonly method: string;
  /** The request URL, or at least its path and query. */
  readonly url: string;
  header(name: string): string | undefined;
  /**
   * The body's bytes, or `undefined` as soon as more than `maxBytes` would have to be read, or as
   * soon as `budget` refuses a chunk (each chunk read is first taken from it; the request is then
   * answered 503). A reader that holds the whole body at once takes it in one piece.
   */
  readBody(maxBytes: number, budget?: BodyBudget): Promise<Uint8Array | undefined>;
}

/**
 * The headers of a plain-text answer. A fetch `Response` whose body is a string gets this content
 * type by itself, so {@link handleWebhookRequest} passes no headers for it (Node adapters such as
 * `@hono/node-server` then take their quickest path).
 */
export const TEXT = { "content-type": "text/plain; charset=utf-8" };
const JSON_TYPE = { "content-type": "application/json; charset=utf-8" };

function answer(status: WebhookOutcome["status"], body: string, headers: Record<string, string> = TEXT): WebhookOutcome {
  return { status, body, headers, events: [], issues: [] };
}

/**
 * Options objects already checked: a handler made once checks its options once, and every request
 * after that costs a lookup. (An options object is not expected to change after it was checked.)
 */
const checked = /* @__PURE__ */ new WeakSet<object>();

function describeSecret(value: unknown): string {
  if (value === undefined) return "undefined (an unset environment variable?)";
  if (value === "") return "an empty string (an empty environment variable?)";
  return typeof value === "string" ? "a string" : Array.isArray(value) ? "an array" : typeof value;
}

function positiveInteger(value: unknown, name: string): void {
  if (value !== undefined && !(typeof value === "number" && Number.isSafeInteger(value) && value > 0)) {
    throw new TypeError(`The webhook handler's \`${name}\` must be a positive whole number, not ${JSON.stringify(value) ?? String(value)}.`);
  }
}

/**
 * Checks options once, so a misconfigured endpoint fails at start-up rather than answering every
 * signed request with 500: the secrets (each a non-empty string; `[process.env.A!, process.env.B!]`
 * with one variable unset is caught here), the verify token, the limits and `partialBody`.
 *
 * @throws TypeError naming the problem.
 * @example
 * ```ts
 * checkHandlerOptions({ secret: process.env.META_APP_SECRET! }); // throws when the variable is unset
 * ```
 */
export function checkHandlerOptions(options: WebhookHandlerOptions): void {
  if (typeof options !== "object" || options === null) throw new TypeError("A webhook handler needs an options object: { secret, verifyToken?, ... }.");
  if (checked.has(options)) return;
  const { secret } = options;
  if (secret === undefined) {
    if (options.allowUnsigned !== true) {
      throw new TypeError(
        "A webhook handler needs `secret` (Meta's app secret and/or 360dialog's platform secret) to verify signatures; " +
          "pass `allowUnsigned: true` only for local development.",
      );
    }
  } else if (Array.isArray(secret)) {
    if (secret.length === 0) throw new TypeError("The webhook handler's `secret` is an empty array: give at least one signing secret.");
    secret.forEach((item: unknown, index) => {
      if (typeof item !== "string" || item === "") {
        throw new TypeError(`The webhook handler's \`secret[${index}]\` is ${describeSecret(item)}: every secret must be a non-empty string.`);
      }
    });
  } else if (typeof secret !== "string" || secret === "") {
    throw new TypeError(`The webhook handler's \`secret\` is ${describeSecret(secret)}: it must be a non-empty string (or an array of them).`);
  }
  if (options.allowUnsigned !== undefined && typeof options.allowUnsigned !== "boolean") throw new TypeError("`allowUnsigned` must be true or false.");
  if (options.verifyToken !== undefined && (typeof options.verifyToken !== "string" || options.verifyToken === "")) {
    throw new TypeError(`The webhook handler's \`verifyToken\` is ${describeSecret(options.verifyToken)}: leave it out, or give a non-empty string.`);
  }
  positiveInteger(options.maxBytes, "maxBytes");
  positiveInteger(options.maxDepth, "maxDepth");
  positiveInteger(options.maxBytesInFlight, "maxBytesInFlight");
  positiveInteger(options.eventsTimeout, "eventsTimeout");
  if (options.onError !== undefined && typeof options.onError !== "function") throw new TypeError("`onError` must be a function (error, context) => void.");
  if (options.partialBody !== undefined && options.partialBody !== "acknowledge" && options.partialBody !== "reject") {
    throw new TypeError(`\`partialBody\` must be "acknowledge" or "reject", not ${JSON.stringify(options.partialBody)}.`);
  }
  checked.add(options);
}

/**
 * Decides the answer to one webhook request.
 *
 * @example
 * ```ts
 * const outcome = await processWebhook(incoming, { secret });
 * ```
 */
export async function processWebhook(request: IncomingWebhook, options: WebhookHandlerOptions): Promise<WebhookOutcome> {
  const opened = openWebhook(request, options);
  if (typeof opened !== "number") return opened;
  const budget = bodyBudget(options);
  try {
    const body = await request.readBody(opened, budget);
    return await answerWebhook(body, request, options, opened, budget);
  } catch (error) {
    return failed(error, "read", options);
  } finally {
    budget.release();
  }
}

/**
 * A request's share of `maxBytesInFlight`.
 *
 * @example
 * ```ts
 * const budget = bodyBudget(options);
 * ```
 */
export function bodyBudget(options: WebhookHandlerOptions): BodyBudget {
  return new BodyBudget(options.maxBytesInFlight ?? DEFAULT_MAX_BYTES_IN_FLIGHT);
}

/**
 * The answer to a failure the sender should retry: 500 (or 503 for a timeout), reported to
 * `onError`, with the cause on the outcome.
 *
 * @example
 * ```ts
 * return failed(error, "events", options, outcome);
 * ```
 */
export function failed(error: unknown, stage: WebhookErrorContext["stage"], options: WebhookHandlerOptions, accepted?: WebhookOutcome): WebhookOutcome {
  const status = stage === "timeout" ? 503 : 500;
  try {
    (options.onError ?? logError)(error, { stage, status });
  } catch {
    // An onError that throws must not turn a retryable answer into a crash.
  }
  const body =
    stage === "read"
      ? `The body could not be read: ${error instanceof Error ? error.message : String(error)}`
      : "The events could not be processed; please retry.";
  const headers = status === 503 ? { ...TEXT, "retry-after": "60" } : TEXT;
  return { status, body, headers, events: accepted?.events ?? [], issues: accepted?.issues ?? [], error };
}

/**
 * Hands an accepted POST's events to the application (`run` calls its `onEvents`), and decides the
 * answer: the outcome itself once `run` is done (at once when it returns nothing), 500 when it
 * throws or rejects, 503 when it has not settled within `eventsTimeout`. Each failure goes to
 * `onError`. Other outcomes are answered as they are, without calling `run`.
 *
 * @example
 * ```ts
 * const answer = await settleEvents(outcome, () => onEvents(outcome), options);
 * ```
 */
export function settleEvents(outcome: WebhookOutcome, run: () => unknown, options: WebhookHandlerOptions): WebhookOutcome | Promise<WebhookOutcome> {
  if (outcome.status !== 200) return outcome;
  let handled: unknown;
  try {
    handled = run();
  } catch (error) {
    return failed(error, "events", options, outcome);
  }
  if (handled === undefined || typeof (handled as PromiseLike<unknown>).then !== "function") return outcome;
  const timeout = options.eventsTimeout ?? DEFAULT_EVENTS_TIMEOUT;
  return new Promise<WebhookOutcome>((resolve) => {
    const timer = setTimeout(() => resolve(failed(new Error(`onEvents did not settle within ${timeout} ms.`), "timeout", options, outcome)), timeout);
    Promise.resolve(handled).then(
      () => {
        clearTimeout(timer);
        resolve(outcome);
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve(failed(error, "events", options, outcome));
      },
    );
  });
}

/**
 * What {@link openWebhook} needs of a request: everything but its body.
 *
 * @example
 * ```ts
 * const head: WebhookHead = { method: "POST", url: "/webhook", header: (name) => headers[name] };
 * ```
 */
export type WebhookHead = Pick<IncomingWebhook, "method" | "url" | "header">;

/**
 * The first half of {@link processWebhook}, before the body is read: the answer to a GET, to another
 * method and to a declared length over the limit, or else the number of bytes the body may have.
 * An adapter that reads bodies with callbacks (the Node handler) runs the two halves without a
 * promise between them.
 *
 * @example
 * ```ts
 * const opened = openWebhook(head, options);
 * if (typeof opened !== "number") return reply(opened); // GET, 405, or 413 by content-length
 * readBody(opened, (body) => reply(answerWebhook(body, head, options, opened)));
 * ```
 */
export function openWebhook(request: WebhookHead, options: WebhookHandlerOptions): WebhookOutcome | number {
  checkHandlerOptions(options);
  const method = request.method.toUpperCase();
  if (method === "GET") {
    if (options.verifyToken === undefined) return answer(403, "No verify token is configured for the subscription handshake.");
    const handshake = verifySubscription(request.url, options.verifyToken);
    return handshake.valid ? answer(200, handshake.challenge) : answer(403, handshake.reason);
  }
  if (method !== "POST") return answer(405, "Method not allowed: webhooks are POST (and GET for the handshake).", { ...TEXT, allow: "GET, POST" });
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const declared = Number(request.header("content-length"));
  if (!Number.isFinite(declared)) return maxBytes;
  if (declared > maxBytes) return tooLarge(maxBytes);
  return fitsInFlight(declared, options.maxBytesInFlight ?? DEFAULT_MAX_BYTES_IN_FLIGHT) ? maxBytes : busy();
}

function tooLarge(maxBytes: number): WebhookOutcome {
  return answer(413, `The body is over the limit of ${maxBytes} bytes.`, { ...TEXT, connection: "close" });
}

/** Too many body bytes in flight: the sender retries later (the rest of the body is never read). */
function busy(): WebhookOutcome {
  return answer(503, "Too many webhook bodies are being received at once; please retry.", { ...TEXT, "retry-after": "5", connection: "close" });
}

/**
 * The second half of {@link processWebhook}: the answer to a POST whose body was read (`undefined`
 * when it was over `maxBytes`). Synchronous where the signature check is (Node's crypto); a promise
 * only with Web Crypto.
 *
 * @example
 * ```ts
 * const outcome = answerWebhook(bytes, head, { secret }, DEFAULT_MAX_BYTES);
 * if (!(outcome instanceof Promise)) reply(outcome); // on Node: answered without a promise
 * ```
 */
export function answerWebhook(
  body: Uint8Array | undefined,
  request: WebhookHead,
  options: WebhookHandlerOptions,
  maxBytes: number,
  budget?: BodyBudget,
): WebhookOutcome | Promise<WebhookOutcome> {
  if (body === undefined) return budget?.refused === true ? busy() : tooLarge(maxBytes);
  if (options.secret === undefined) return parsed(body, options, maxBytes);
  const signed = isSigned(body, request, options.secret);
  if (signed === true) return parsed(body, options, maxBytes);
  if (signed === false) return unsigned(request);
  return signed.then((valid) => (valid ? parsed(body, options, maxBytes) : unsigned(request)));
}

const REFUSALS: Readonly<Record<SignatureFailure, string>> = {
  missing: "The request has no signature header (X-Hub-Signature-256 or x-360dialog-signature).",
  malformed: "The signature header is not sha256=<64 hex digits>.",
  mismatch: "The signature does not match the body (a wrong secret, or a body changed on the way).",
};

function unsigned(request: WebhookHead): WebhookOutcome {
  const reason = signatureFailure(request);
  return { status: 401, body: REFUSALS[reason], headers: TEXT, events: [], issues: [], reason };
}

/** Why a request's signature failed: judged from its headers alone (the body failed every secret already). */
function signatureFailure(request: WebhookHead): SignatureFailure {
  const headers = [request.header("x-hub-signature-256"), request.header("x-360dialog-signature")].filter((header) => header !== undefined);
  if (headers.length === 0) return "missing";
  return headers.some((header) => parseSignatureHeader(header) !== undefined) ? "mismatch" : "malformed";
}

/** The answer to a POST whose signature held (or needs none). */
function parsed(body: Uint8Array, options: WebhookHandlerOptions, maxBytes: number): WebhookOutcome {
  const result = safeParseWebhook(body, { maxBytes, maxDepth: options.maxDepth, phoneNumberId: options.phoneNumberId, wabaId: options.wabaId });
  if (result.success) return { status: 200, body: "OK", headers: TEXT, events: result.events, issues: [] };
  const acknowledge = (options.partialBody ?? "acknowledge") === "acknowledge" && result.events.length > 0;
  if (acknowledge) return { status: 200, body: "OK", headers: TEXT, events: result.events, issues: result.issues };
  const refusal = JSON.stringify({ error: "The body is not a valid webhook.", issues: result.issues });
  return { status: 400, body: refusal, headers: JSON_TYPE, events: result.events, issues: result.issues };
}

/** Whether Meta's or 360dialog's signature header signs the body: a boolean on Node, a promise with Web Crypto. */
function isSigned(body: Uint8Array, request: WebhookHead, secret: Secrets): boolean | Promise<boolean> {
  const meta = request.header("x-hub-signature-256");
  if (meta === undefined) return isDialogSigned(body, request, secret);
  const signed = checkSignature(body, meta, secret);
  if (signed === true) return true;
  if (signed === false) return isDialogSigned(body, request, secret);
  return signed.then((valid) => valid || isDialogSigned(body, request, secret));
}

/** Whether 360dialog's signature header signs the body. */
function isDialogSigned(body: Uint8Array, request: WebhookHead, secret: Secrets): boolean | Promise<boolean> {
  const header = request.header("x-360dialog-signature");
  return header !== undefined && checkSignature(body, header, secret);
}
