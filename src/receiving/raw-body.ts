/**
 * Raw request bodies as bytes: signatures are computed over the bytes as received, never over
 * re-serialised JSON.
 *
 * @module
 */

/**
 * A request body exactly as received: text or bytes (a Node `Buffer` is a `Uint8Array`).
 *
 * @example
 * ```ts
 * const body: RawBody = await request.arrayBuffer();
 * ```
 */
export type RawBody = string | Uint8Array | ArrayBuffer | ArrayBufferView;

let encoder: TextEncoder | undefined;

/**
 * The bytes of a raw body.
 *
 * @throws TypeError when given anything else (most often a parsed JSON object), with what to do.
 * @example
 * ```ts
 * rawBytes('{"a":1}'); // Uint8Array of the UTF-8 bytes
 * ```
 */
export function rawBytes(body: RawBody, caller: string): Uint8Array {
  if (typeof body === "string") return (encoder ??= new TextEncoder()).encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  const received = body === null ? "null" : Array.isArray(body) ? "an array" : typeof body;
  throw new TypeError(
    `${caller} needs the raw request body (a string or bytes, exactly as received), but got ${received}. ` +
      "Are you passing a body your framework already parsed as JSON? Signatures cover the raw bytes: read the body as text " +
      'or bytes (for example `await request.text()` or `express.raw({ type: "application/json" })`), verify, then parse.',
  );
}

/**
 * Joins chunks read from a stream into one byte array (the chunk itself when there is one).
 *
 * @example
 * ```ts
 * concatBytes([new Uint8Array([1]), new Uint8Array([2, 3])]); // Uint8Array [1, 2, 3]
 * ```
 */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  let total = 0;
  for (const chunk of chunks) total += chunk.byteLength;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
