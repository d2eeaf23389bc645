/**
 * Turns a raw body (string, bytes, or already-parsed JSON) into a JSON value, with the size limit
 * checked before any parsing.
 *
 * @module
 */
import type { ParseIssue } from "./webhook-parse-error.js";

/**
 * The default for {@link ParseOptions.maxBytes}: 4 MiB (Meta's payloads are at most 3 MB).
 *
 * @example
 * ```ts
 * parseWebhook(body, { maxBytes: DEFAULT_MAX_BYTES / 2 });
 * ```
 */
export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

/**
 * What {@link parseWebhook} accepts: the raw body as text or bytes (a Node `Buffer` is a
 * `Uint8Array`), or JSON your framework already parsed.
 *
 * @example
 * ```ts
 * const body: WebhookBody = await request.text();
 * ```
 */
export type WebhookBody = string | ArrayBuffer | ArrayBufferView | object;

/** The outcome of reading a body. */
export type ReadBodyResult =
  | {
      readonly ok: true;
      readonly json: unknown;
      /** Whether `json` was parsed here from text or bytes, so that nothing outside the parse refers to it. */
      readonly fresh: boolean;
    }
  | { readonly ok: false; readonly issue: ParseIssue };

let decoder: TextDecoder | undefined;

/**
 * Reads a body into a JSON value.
 *
 * @example
 * ```ts
 * readBody('{"a":1}', 1024); // { ok: true, json: { a: 1 }, fresh: true }
 * readBody("{", 1024).ok; // false
 * ```
 */
export function readBody(body: unknown, maxBytes: number): ReadBodyResult {
  if (typeof body === "string") return readText(body, maxBytes);
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    const bytes = body instanceof ArrayBuffer ? new Uint8Array(body) : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    if (bytes.byteLength > maxBytes) return tooLarge(bytes.byteLength, maxBytes);
    let text: string;
    try {
      decoder ??= new TextDecoder("utf-8", { fatal: true });
      text = decoder.decode(bytes);
    } catch {
      return fail("The body is not valid UTF-8 text.");
    }
    return parseJson(text);
  }
  if (body === undefined) return fail("No body was given (received undefined). Pass the raw request body.");
  return { ok: true, json: body, fresh: false };
}

function readText(text: string, maxBytes: number): ReadBodyResult {
  // A UTF-16 code unit is at least one UTF-8 byte and at most three, so the exact count is needed
  // only between those bounds.
  if (text.length > maxBytes) return tooLarge(text.length, maxBytes);
  if (text.length * 3 > maxBytes) {
    const bytes = utf8Length(text);
    if (bytes > maxBytes) return tooLarge(bytes, maxBytes);
  }
  return parseJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}

const CHUNK = 65_536;
let encoder: TextEncoder | undefined;
let scratch: Uint8Array | undefined;

/**
 * The UTF-8 size of a string, encoded a chunk at a time into one scratch buffer. `encodeInto` is
 * the quickest count there is: on a text V8 holds as one byte per character (a decoded ASCII body,
 * which is what Meta sends: it escapes non-ASCII as \uXXXX) it runs at about 6 GB/s, where a regex
 * scan for non-ASCII does 0.7.
 */
function utf8Length(text: string): number {
  encoder ??= new TextEncoder();
  scratch ??= new Uint8Array(CHUNK * 3);
  let bytes = 0;
  for (let start = 0; start < text.length;) {
    let end = Math.min(start + CHUNK, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--; // keep surrogate pairs whole
    bytes += encoder.encodeInto(text.slice(start, end), scratch).written;
    start = end;
  }
  return bytes;
}

function parseJson(text: string): ReadBodyResult {
  if (text.trim() === "") return fail("The body is empty; expected a JSON webhook payload.");
  try {
    return { ok: true, json: JSON.parse(text), fresh: true };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail(`The body is not valid JSON (${reason}). Is it truncated?`);
  }
}

function tooLarge(size: number, maxBytes: number): ReadBodyResult {
  return fail(`The body is ${size} bytes or more, over the limit of ${maxBytes} bytes (options.maxBytes).`);
}

function fail(message: string): ReadBodyResult {
  return { ok: false, issue: { path: "", message } };
}
