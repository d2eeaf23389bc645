/**
 * Receiving rules pinned by fixed examples (each survived a mutation run): the stream readers'
 * limit is exact, and signatures are compared in constant time by the crypto module, never by `===`.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createNodeHandler, handleWebhookRequest, signPayload } from "../../src/index.js";
import { verifyWithNode, verifyWithWebCrypto } from "../../src/receiving/verify-signature.js";
import { fixtureText } from "../support/fixtures.js";

const SECRET = "pins-secret";
const BODY = fixtureText("meta/echo-text.json");
const SIZE = new TextEncoder().encode(BODY).byteLength;

afterEach(() => vi.restoreAllMocks());

/** A streamed (chunked) body, in pieces of 100 bytes, with no declared length. */
function streamed(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.subarray(at, at + 100));
      at += 100;
    },
  });
}

/** The fetch handler's answer to the body streamed in pieces, signed, with a declared Content-Length or none. */
async function postStreamed(maxBytes: number, declaredLength?: number): Promise<number> {
  const headers: Record<string, string> = { "x-hub-signature-256": await signPayload(BODY, SECRET) };
  if (declaredLength !== undefined) headers["content-length"] = String(declaredLength);
  const request = new Request("https://example.test/webhook", { method: "POST", body: streamed(BODY), headers, duplex: "half" } as RequestInit);
  return (await handleWebhookRequest(request, { secret: SECRET, maxBytes })).response.status;
}

describe("the stream readers' limit is exact", () => {
  it("the fetch handler: maxBytes is read, maxBytes + 1 is 413", async () => {
    expect(await postStreamed(SIZE)).toBe(200);
    expect(await postStreamed(SIZE - 1)).toBe(413);
  });

  it("a declared Content-Length of exactly maxBytes is read; one more is 413", async () => {
    expect(await postStreamed(SIZE, SIZE)).toBe(200);
    expect(await postStreamed(SIZE - 1, SIZE)).toBe(413);
  });

  it("the Node handler: maxBytes is read, maxBytes + 1 is 413", async () => {
    const signature = await signPayload(BODY, SECRET);
    const answer = async (maxBytes: number) => {
      const chunks = [BODY.slice(0, 100), BODY.slice(100)].map((part) => new TextEncoder().encode(part));
      const request = {
        method: "POST",
        url: "/webhook",
        headers: { "x-hub-signature-256": signature },
        async *[Symbol.asyncIterator]() {
          yield* chunks;
        },
      };
      const written = { status: 0 };
      await createNodeHandler({ secret: SECRET, maxBytes })(request, {
        statusCode: 0,
        setHeader: () => undefined,
        writeHead: (status: number) => (written.status = status),
        end: () => undefined,
      });
      return written.status;
    };
    expect(await answer(SIZE)).toBe(200);
    expect(await answer(SIZE - 1)).toBe(413);
  });
});

describe("signatures are compared in constant time by the crypto module", () => {
  it("Node's timingSafeEqual decides, whatever the bytes say", () => {
    const digest = new Uint8Array(32).fill(7);
    const timingSafeEqual = vi.fn(() => false);
    const crypto = { createHmac: () => ({ update: () => ({ digest: () => digest }) }), timingSafeEqual };
    // The same digest, yet refused: the answer is timingSafeEqual's, not a comparison of its own.
    expect(verifyWithNode(crypto, new Uint8Array(1), digest, SECRET)).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledWith(digest, digest);
  });

  it("Web Crypto's subtle.verify decides, for each secret until one holds", async () => {
    const verify = vi.spyOn(globalThis.crypto.subtle, "verify");
    const body = new TextEncoder().encode(BODY);
    const signature = new Uint8Array(32);
    expect(await verifyWithWebCrypto(body, signature, ["a", "b"])).toBe(false);
    expect(verify).toHaveBeenCalledTimes(2);
    verify.mockResolvedValueOnce(true);
    expect(await verifyWithWebCrypto(body, signature, ["a", "b"])).toBe(true);
    expect(verify).toHaveBeenCalledTimes(3);
  });
});
