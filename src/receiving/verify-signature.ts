/**
 * HMAC-SHA256 webhook signatures: Meta's `X-Hub-Signature-256` and 360dialog's
 * `x-360dialog-signature`, checked in constant time: with Node's `crypto` where the runtime has it
 * (synchronous, no thread-pool round trip per request), with Web Crypto everywhere else.
 *
 * @module
 */
import { rawBytes, type RawBody } from "./raw-body.js";

/** The part of `node:crypto` the signatures use. */
interface NodeCrypto {
  createHmac(algorithm: "sha256", key: string): { update(data: Uint8Array): { digest(): Uint8Array } };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

/**
 * `node:crypto` when the runtime offers it without an import (Node 20.16+, and Bun and Deno, through
 * `process.getBuiltinModule`), so the library itself stays free of Node imports.
 */
function loadNodeCrypto(): NodeCrypto | undefined {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  try {
    const module = runtime?.getBuiltinModule?.("node:crypto") as Partial<NodeCrypto> | undefined;
    return typeof module?.createHmac === "function" && typeof module.timingSafeEqual === "function" ? (module as NodeCrypto) : undefined;
  } catch {
    return undefined;
  }
}

let nodeCrypto: NodeCrypto | undefined | null = null;

/** The Node crypto module, looked up once (`undefined` where there is none). */
function nodeCryptoOrNone(): NodeCrypto | undefined {
  if (nodeCrypto === null) nodeCrypto = loadNodeCrypto();
  return nodeCrypto;
}

/** HMAC-SHA256 with Node's crypto, compared in constant time. */
export function verifyWithNode(crypto: NodeCrypto, bytes: Uint8Array, signature: Uint8Array, secret: string): boolean {
  return crypto.timingSafeEqual(crypto.createHmac("sha256", secret).update(bytes).digest(), signature);
}

const PREFIX = "sha256=";
const KEY_CACHE_LIMIT = 32;
const keys = /* @__PURE__ */ new Map<string, Promise<CryptoKey>>();
const readyKeys = /* @__PURE__ */ new Map<string, CryptoKey>();

/**
 * One secret, or several (during a rotation, or Meta's app secret beside 360dialog's partner secret).
 *
 * @example
 * ```ts
 * const secrets: Secrets = [process.env.META_APP_SECRET!, process.env.D360_PARTNER_SECRET!];
 * ```
 */
export type Secrets = string | readonly string[];

function secretList(secret: Secrets, caller: string): readonly string[] {
  const list = typeof secret === "string" ? [secret] : secret;
  if (!Array.isArray(list) || list.length === 0 || list.some((item) => typeof item !== "string" || item === "")) {
    throw new TypeError(`${caller} needs the signing secret as a non-empty string (or an array of them).`);
  }
  return list;
}

/** The imported key for a secret: cached (a key import per request would double the cost). */
function hmacKey(secret: string): CryptoKey | Promise<CryptoKey> {
  const ready = readyKeys.get(secret);
  if (ready !== undefined) return ready;
  let key = keys.get(secret);
  if (key === undefined) {
    if (keys.size >= KEY_CACHE_LIMIT) {
      const oldest = keys.keys().next().value as string;
      keys.delete(oldest);
      readyKeys.delete(oldest);
    }
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
    void key.then((imported) => keys.has(secret) && readyKeys.set(secret, imported)).catch(() => keys.delete(secret));
  }
  return key;
}

/**
 * The digest a signature header carries: `sha256=<64 hex>` (Meta, 360dialog) or bare hex (360dialog).
 *
 * @returns the 32 digest bytes, or `undefined` for a missing or malformed header.
 * @example
 * ```ts
 * parseSignatureHeader("sha256=02fe0c96d28c59ddb7cf81eff0ca05809b360ba73b63c28210b5906a0a107d1f")?.length; // 32
 * parseSignatureHeader("sha1=abc"); // undefined
 * ```
 */
export function parseSignatureHeader(header: string | null | undefined): Uint8Array | undefined {
  if (typeof header !== "string") return undefined;
  const trimmed = header.trim();
  const hex = trimmed.startsWith(PREFIX) ? trimmed.slice(PREFIX.length) : trimmed;
  if (hex.length !== 64) return undefined;
  // Char codes, not 32 slices and parseInt: this runs for every request.
  const bytes = new Uint8Array(32);
  for (let index = 0; index < 32; index++) {
    const high = hexValue(hex.charCodeAt(index * 2));
    const low = hexValue(hex.charCodeAt(index * 2 + 1));
    if (high < 0 || low < 0) return undefined;
    bytes[index] = high * 16 + low;
  }
  return bytes;
}

/** The value of one hex digit's char code (either case), or -1. */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}

/**
 * Checks a webhook signature over the raw body with HMAC-SHA256 (`crypto.subtle.verify`, constant
 * time). Accepts Meta's `X-Hub-Signature-256: sha256=<hex>` and 360dialog's `x-360dialog-signature`
 * (`sha256=<hex>` or bare hex). Any of several secrets may match.
 *
 * @param rawBody - the body exactly as received (bytes, or the text it decodes to).
 * @param header - the signature header's value; missing, empty or malformed gives `false`, never a throw.
 * @param secret - the app secret (Meta) or platform secret (360dialog), or an array of them.
 * @throws TypeError when `rawBody` is not raw (a parsed object) or no secret is given: programming errors, not bad requests.
 * @example
 * ```ts
 * const body = await request.arrayBuffer();
 * if (!(await verifySignature(body, request.headers.get("x-hub-signature-256"), process.env.APP_SECRET!))) {
 *   return new Response("bad signature", { status: 401 });
 * }
 * ```
 */
export async function verifySignature(rawBody: RawBody, header: string | null | undefined, secret: Secrets): Promise<boolean> {
  return checkSignature(rawBytes(rawBody, "verifySignature"), header, secretList(secret, "verifySignature"));
}

/**
 * {@link verifySignature} for bytes and secrets already checked, answering at once where the check is
 * synchronous (Node's crypto) and with a promise only where it is not (Web Crypto): the webhook
 * handlers then await nothing on Node.
 *
 * @example
 * ```ts
 * const signed = checkSignature(bytes, header, "app-secret");
 * if (!(signed === true || (signed !== false && (await signed)))) refuse();
 * ```
 */
export function checkSignature(bytes: Uint8Array, header: string | null | undefined, secrets: Secrets): boolean | Promise<boolean> {
  const signature = parseSignatureHeader(header);
  if (signature === undefined) return false;
  const node = nodeCryptoOrNone();
  if (node === undefined) return verifyWithWebCrypto(bytes, signature, typeof secrets === "string" ? [secrets] : secrets);
  if (typeof secrets === "string") return verifyWithNode(node, bytes, signature, secrets);
  for (const item of secrets) if (verifyWithNode(node, bytes, signature, item)) return true;
  return false;
}

/** HMAC-SHA256 with Web Crypto (`crypto.subtle.verify`, constant time), for any of the secrets. */
export async function verifyWithWebCrypto(bytes: Uint8Array, signature: Uint8Array, secrets: readonly string[]): Promise<boolean> {
  for (const item of secrets) {
    if (await crypto.subtle.verify("HMAC", await hmacKey(item), signature as Uint8Array<ArrayBuffer>, bytes as Uint8Array<ArrayBuffer>)) return true;
  }
  return false;
}

/**
 * Signs a body as Meta does: `sha256=<lowercase hex HMAC-SHA256>`. For tests of your endpoint
 * and for local tools that post webhooks.
 *
 * @example
 * ```ts
 * const body = JSON.stringify(payload);
 * await fetch(url, { method: "POST", body, headers: { "x-hub-signature-256": await signPayload(body, secret) } });
 * ```
 */
export async function signPayload(rawBody: RawBody, secret: string): Promise<string> {
  const bytes = rawBytes(rawBody, "signPayload");
  const [key] = secretList(secret, "signPayload");
  const digest = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(key as string), bytes as Uint8Array<ArrayBuffer>));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return PREFIX + hex;
}
