/**
 * The receiving core in-process, rule by rule: what each request is answered with (the fetch handler
 * and the core itself), the raw-body rules, the secrets' rules and the handshake. The same rules
 * through real servers are in servers.test.ts.
 */
import { describe, expect, it, vi } from "vitest";
import {
  handleWebhookRequest,
  parseWebhook,
  processWebhook,
  signPayload,
  verifySignature,
  verifySubscription,
  type WebhookHandlerOptions,
  type WebhookRequestOptions,
} from "../../src/index.js";
import { concatBytes, rawBytes } from "../../src/receiving/raw-body.js";
import { fixtureText } from "../support/fixtures.js";

const SECRET = "core-secret";
const BODY = fixtureText("meta/echo-text.json");
const URL_BASE = "https://example.test/webhook";

async function post(body: string, headers: Record<string, string>, options: WebhookRequestOptions = { secret: SECRET }) {
  const result = await handleWebhookRequest(new Request(URL_BASE, { method: "POST", body, headers }), options);
  const { response, events, issues } = result;
  return { status: response.status, text: await response.text(), headers: response.headers, events, issues, reason: result.reason, error: result.error };
}

describe("what a request is answered with", () => {
  it("200 and the events for a body signed with Meta's header, or 360dialog's, by any of the secrets", async () => {
    const signature = await signPayload(BODY, SECRET);
    const meta = await post(BODY, { "x-hub-signature-256": signature });
    expect(meta).toMatchObject({ status: 200, text: "OK", issues: [] });
    // The runtime's own content type for a text body (no headers are passed for it).
    expect(meta.headers.get("content-type")?.toLowerCase().replace(/\s/g, "")).toBe("text/plain;charset=utf-8");
    expect(meta.events.map((event) => event.type)).toEqual(["MessageEchoed"]);
    expect((await post(BODY, { "x-360dialog-signature": signature.slice(7) })).status).toBe(200);
    expect((await post(BODY, { "x-hub-signature-256": signature }, { secret: ["other-secret", SECRET] })).status).toBe(200);
    // A wrong Meta header does not stop a right 360dialog one, and the other way round.
    expect((await post(BODY, { "x-hub-signature-256": "sha256=" + "0".repeat(64), "x-360dialog-signature": signature })).status).toBe(200);
  });

  it("401 without a signature, with a wrong one, or one for another body; 200 unsigned only when allowed", async () => {
    const signature = await signPayload(BODY, SECRET);
    const attempts: [Record<string, string>, string, string][] = [
      [{}, "missing", "The request has no signature header (X-Hub-Signature-256 or x-360dialog-signature)."],
      [
        { "x-hub-signature-256": "sha256=" + "0".repeat(64) },
        "mismatch",
        "The signature does not match the body (a wrong secret, or a body changed on the way).",
      ],
      [{ "x-360dialog-signature": "nonsense" }, "malformed", "The signature header is not sha256=<64 hex digits>."],
      // One header malformed, the other well-formed but wrong: the body was judged, so it does not match.
      [
        { "x-360dialog-signature": "nonsense", "x-hub-signature-256": "sha256=" + "1".repeat(64) },
        "mismatch",
        expect.stringMatching(/^The signature does not match/),
      ],
    ];
    for (const [headers, reason, text] of attempts) {
      const answer = await post(BODY, headers);
      expect(answer).toMatchObject({ status: 401, text, reason, events: [], issues: [] });
      // Never the secret, nor the digest it would have made.
      expect(answer.text).not.toContain(SECRET);
      expect(answer.text).not.toContain(signature.slice(7));
    }
    expect(await post(`${BODY} `, { "x-hub-signature-256": signature })).toMatchObject({ status: 401, reason: "mismatch" });
    expect((await post(BODY, {}, { allowUnsigned: true })).status).toBe(200);
  });

  it("413 for a body over maxBytes, declared or streamed, before reading or verifying it", async () => {
    const declared = await post(BODY, { "content-length": String(BODY.length) }, { secret: SECRET, maxBytes: 100 });
    expect(declared).toMatchObject({ status: 413, text: "The body is over the limit of 100 bytes." });
    expect(declared.headers.get("connection")).toBe("close");
    const streamed = await processWebhook(
      {
        method: "POST",
        url: "/webhook",
        header: () => undefined,
        readBody: async (limit) => (BODY.length > limit ? undefined : new TextEncoder().encode(BODY)),
      },
      { allowUnsigned: true, maxBytes: 100 },
    );
    expect(streamed.status).toBe(413);
    const exact = await post(BODY, {}, { allowUnsigned: true, maxBytes: new TextEncoder().encode(BODY).byteLength });
    expect(exact.status).toBe(200);
  });

  it("reads a body of declared length with arrayBuffer(), never touching request.body (which builds a stream on Node adapters)", async () => {
    const touched: string[] = [];
    const watched = (request: Request) =>
      new Proxy(request, {
        get(target, key) {
          if (key === "body" || key === "arrayBuffer") touched.push(key);
          const value: unknown = Reflect.get(target, key, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    const signature = await signPayload(BODY, SECRET);
    const headers = { "x-hub-signature-256": signature, "content-length": String(new TextEncoder().encode(BODY).byteLength) };
    const declared = await handleWebhookRequest(watched(new Request(URL_BASE, { method: "POST", body: BODY, headers })), { secret: SECRET });
    expect(declared.response.status).toBe(200);
    expect(touched).toEqual(["arrayBuffer"]);
    touched.length = 0;
    const chunked = await handleWebhookRequest(watched(new Request(URL_BASE, { method: "POST", body: BODY, headers: { "x-hub-signature-256": signature } })), {
      secret: SECRET,
    });
    expect(chunked.response.status).toBe(200);
    expect(touched).toEqual(["body"]);
  });

  it("400 with the issues as JSON for a signed body with no good event; 200 with the issues for a partly good one, or 400 when asked", async () => {
    const bad = '{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"smb_message_echoes","value":{"message_echoes":[{}]}}]}]}';
    const refused = await post(bad, { "x-hub-signature-256": await signPayload(bad, SECRET) });
    expect(refused.status).toBe(400);
    expect(refused.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const answer = JSON.parse(refused.text) as { error: string; issues: { path: string }[] };
    expect(answer.error).toBe("The body is not a valid webhook.");
    expect(answer.issues.length).toBe(refused.issues.length);
    expect(refused.issues[0]?.path).toMatch(/^entry\[0\]\.changes\[0\]\.value\.message_echoes\[0\]/);

    const partly = JSON.stringify({ object: "whatsapp_business_account", entry: [...JSON.parse(BODY).entry, ...JSON.parse(bad).entry] });
    const headers = { "x-hub-signature-256": await signPayload(partly, SECRET) };
    const acknowledged = await post(partly, headers);
    expect(acknowledged).toMatchObject({ status: 200, text: "OK" });
    expect(acknowledged.events).toHaveLength(1);
    expect(acknowledged.issues.length).toBeGreaterThan(0);
    const rejected = await post(partly, headers, { secret: SECRET, partialBody: "reject" });
    expect(rejected.status).toBe(400);
    expect(rejected.events).toHaveLength(1);
  });

  it("answers the handshake on GET, and 405 (with Allow) to other methods", async () => {
    const get = (query: string, options: WebhookHandlerOptions) => handleWebhookRequest(new Request(`${URL_BASE}?${query}`), options);
    const ok = await get("hub.mode=subscribe&hub.verify_token=vt&hub.challenge=1158201444", { secret: SECRET, verifyToken: "vt" });
    expect([ok.response.status, await ok.response.text()]).toEqual([200, "1158201444"]);
    const wrong = await get("hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1", { secret: SECRET, verifyToken: "vt" });
    expect([wrong.response.status, await wrong.response.text()]).toEqual([403, "The verify token does not match."]);
    const none = await get("hub.mode=subscribe&hub.verify_token=vt&hub.challenge=1", { secret: SECRET });
    expect([none.response.status, await none.response.text()]).toEqual([403, "No verify token is configured for the subscription handshake."]);
    const put = await handleWebhookRequest(new Request(URL_BASE, { method: "PUT", body: "x" }), { secret: SECRET });
    expect(put.response.status).toBe(405);
    expect(put.response.headers.get("allow")).toBe("GET, POST");
    const lower = await processWebhook(
      { method: "post", url: "/", header: () => undefined, readBody: async () => new TextEncoder().encode(BODY) },
      { allowUnsigned: true },
    );
    expect(lower.status).toBe(200);
  });

  it("refuses bad options when the handler is made, naming the problem", async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /secret/],
      [{ secret: "" }, /empty string/],
      [{ secret: [SECRET, ""] }, /secret/],
      [{ secret: [] }, /secret/],
      [{ secret: SECRET, verifyToken: "" }, /verifyToken/],
      [{ secret: SECRET, maxBytes: 0 }, /maxBytes/],
      [{ secret: SECRET, maxBytes: 1.5 }, /maxBytes/],
      [{ secret: SECRET, maxDepth: -1 }, /maxDepth/],
      [{ secret: SECRET, partialBody: "maybe" }, /partialBody/],
      [{ allowUnsigned: "yes" }, /allowUnsigned/],
    ];
    for (const [options, message] of cases) {
      await expect(
        processWebhook({ method: "GET", url: "/", header: () => undefined, readBody: async () => undefined }, options as WebhookHandlerOptions),
      ).rejects.toThrow(message);
    }
  });
});

describe("raw bodies", () => {
  it("takes text, bytes, buffers and views of them (at their offset), as they are", () => {
    const bytes = new TextEncoder().encode("hello world");
    expect(rawBytes(bytes, "f")).toBe(bytes);
    expect([...rawBytes("hé", "f")]).toEqual([104, 195, 169]);
    expect([...rawBytes(bytes.buffer, "f")]).toEqual([...bytes]);
    expect(new TextDecoder().decode(rawBytes(new DataView(bytes.buffer, 6, 5), "f"))).toBe("world");
    expect(new TextDecoder().decode(rawBytes(Buffer.from("buffer"), "f"))).toBe("buffer");
  });

  it("refuses a parsed body, saying what it got and what to do", () => {
    expect(() => rawBytes({ object: "x" } as never, "verifySignature")).toThrow(
      /^verifySignature needs the raw request body .* but got object\. .*express\.raw/,
    );
    expect(() => rawBytes([1] as never, "signPayload")).toThrow(/^signPayload needs .* but got an array\./);
    expect(() => rawBytes(null as never, "f")).toThrow(/but got null\./);
    expect(() => rawBytes(42 as never, "f")).toThrow(/but got number\./);
  });

  it("joins chunks in order; one chunk is itself; none is empty", () => {
    const one = new Uint8Array([1, 2]);
    expect(concatBytes([one])).toBe(one);
    expect([...concatBytes([one, new Uint8Array([]), new Uint8Array([3, 4, 5])])]).toEqual([1, 2, 3, 4, 5]);
    expect(concatBytes([]).byteLength).toBe(0);
  });
});

describe("secrets and signatures", () => {
  it("a missing secret is a programming error, thrown with the function's name", async () => {
    await expect(verifySignature(BODY, "sha256=00", "")).rejects.toThrow(/^verifySignature needs the signing secret/);
    await expect(verifySignature(BODY, "sha256=00", [])).rejects.toThrow(/^verifySignature needs the signing secret/);
    await expect(verifySignature(BODY, "sha256=00", [SECRET, 1 as never])).rejects.toThrow(/signing secret/);
    await expect(signPayload(BODY, "")).rejects.toThrow(/^signPayload needs the signing secret/);
    await expect(signPayload({} as never, SECRET)).rejects.toThrow(/^signPayload needs the raw request body/);
  });

  it("keeps working across many secrets (the key cache evicts the oldest) and again for the first", async () => {
    const secrets = Array.from({ length: 40 }, (_, index) => `secret-${index}`);
    for (const secret of secrets) expect(await verifySignature(BODY, await signPayload(BODY, secret), secret)).toBe(true);
    expect(await verifySignature(BODY, await signPayload(BODY, secrets[0]!), secrets[0]!)).toBe(true);
    expect(await verifySignature(BODY, await signPayload(BODY, secrets[1]!), secrets[2]!)).toBe(false);
  });

  it("checks every byte of the digest: a change in the last one fails", async () => {
    const signature = await signPayload(BODY, SECRET);
    const last = signature.slice(-2) === "00" ? "01" : "00";
    expect(await verifySignature(BODY, signature.slice(0, -2) + last, SECRET)).toBe(false);
    expect(await verifySignature(BODY, signature, SECRET)).toBe(true);
  });
});

describe("both ways of checking a signature agree", () => {
  it("Node's crypto (where the runtime has it) and Web Crypto give the same verdicts", async () => {
    const { verifyWithNode, verifyWithWebCrypto, parseSignatureHeader } = await import("../../src/receiving/verify-signature.js");
    const node = (await import("node:crypto")) as unknown as Parameters<typeof verifyWithNode>[0];
    const bytes = new TextEncoder().encode(BODY);
    const good = parseSignatureHeader(await signPayload(BODY, SECRET))!;
    const bad = good.slice();
    bad[31] = (bad[31]! + 1) % 256;
    for (const [signature, expected] of [
      [good, true],
      [bad, false],
    ] as const) {
      expect(verifyWithNode(node, bytes, signature, SECRET)).toBe(expected);
      expect(await verifyWithWebCrypto(bytes, signature, ["other", SECRET])).toBe(expected);
    }
    expect(verifyWithNode(node, bytes, good, "other")).toBe(false);
  });

  it("where the runtime has no node:crypto (Workers, Deno, browsers), the handler checks with Web Crypto and gives the same answers", async () => {
    const runtime = process as { getBuiltinModule?: unknown };
    const original = runtime.getBuiltinModule;
    runtime.getBuiltinModule = undefined;
    try {
      vi.resetModules();
      const fresh = await import("../../src/receiving/handle-webhook-request.js");
      const { checkSignature } = await import("../../src/receiving/verify-signature.js");
      const signature = await signPayload(BODY, SECRET);
      const pending = checkSignature(new TextEncoder().encode(BODY), signature, SECRET);
      expect(pending).toBeInstanceOf(Promise);
      expect(await pending).toBe(true);
      const answer = async (headers: Record<string, string>, secret: string | string[] = SECRET) =>
        (await fresh.handleWebhookRequest(new Request(URL_BASE, { method: "POST", body: BODY, headers }), { secret })).response.status;
      expect(await answer({ "x-hub-signature-256": signature })).toBe(200);
      expect(await answer({ "x-hub-signature-256": signature }, ["other", SECRET])).toBe(200);
      expect(await answer({ "x-hub-signature-256": "sha256=" + "0".repeat(64), "x-360dialog-signature": signature })).toBe(200);
      expect(await answer({ "x-hub-signature-256": "sha256=" + "0".repeat(64) })).toBe(401);
      expect(await answer({ "x-360dialog-signature": signature }, "other")).toBe(401);

      // The Node handler waits for the same check's promise before it hands over events and answers.
      const { createNodeHandler } = await import("../../src/receiving/node-handler.js");
      const delivered: number[] = [];
      const handler = createNodeHandler({ secret: SECRET, onEvents: ({ events }) => void delivered.push(events.length) });
      const nodeAnswer = async (headers: Record<string, string>) => {
        const response = { statusCode: 0, setHeader: () => undefined, end: () => undefined };
        await handler({ method: "POST", url: "/", headers, body: new TextEncoder().encode(BODY), async *[Symbol.asyncIterator]() {} }, response);
        return response.statusCode;
      };
      expect(await nodeAnswer({ "x-hub-signature-256": signature })).toBe(200);
      expect(await nodeAnswer({ "x-hub-signature-256": "sha256=" + "0".repeat(64) })).toBe(401);
      expect(delivered).toEqual([parseWebhook(BODY).length]);
    } finally {
      runtime.getBuiltinModule = original;
      vi.resetModules();
    }
  });

  it("on Node the handlers' check answers at once, with no promise to await, for one secret or several", async () => {
    const { checkSignature } = await import("../../src/receiving/verify-signature.js");
    const bytes = new TextEncoder().encode(BODY);
    const signature = await signPayload(BODY, SECRET);
    expect(checkSignature(bytes, signature, SECRET)).toBe(true);
    expect(checkSignature(bytes, signature, ["other", SECRET])).toBe(true);
    expect(checkSignature(bytes, signature, ["other", "another"])).toBe(false);
    expect(checkSignature(bytes, "sha256=zz", SECRET)).toBe(false);
    expect(checkSignature(bytes, undefined, SECRET)).toBe(false);
  });
});

describe("the subscription handshake", () => {
  it("reads a URL, a query string, URLSearchParams, or a parsed query (flat or nested, arrays take the first)", () => {
    const expected = { valid: true, challenge: "42" };
    expect(verifySubscription("https://x.test/webhook?hub.mode=subscribe&hub.verify_token=vt&hub.challenge=42", "vt")).toEqual(expected);
    expect(verifySubscription("hub.mode=subscribe&hub.verify_token=vt&hub.challenge=42", "vt")).toEqual(expected);
    expect(verifySubscription(new URL("https://x.test/?hub.mode=subscribe&hub.verify_token=vt&hub.challenge=42"), "vt")).toEqual(expected);
    expect(verifySubscription(new URLSearchParams("hub.mode=subscribe&hub.verify_token=vt&hub.challenge=42"), "vt")).toEqual(expected);
    expect(verifySubscription({ "hub.mode": "subscribe", "hub.verify_token": "vt", "hub.challenge": "42" }, "vt")).toEqual(expected);
    expect(verifySubscription({ hub: { mode: "subscribe", verify_token: "vt", challenge: ["42", "43"] } }, "vt")).toEqual(expected);
    expect(verifySubscription({ hub: { mode: "subscribe", verify_token: "vt", challenge: 42 } }, "vt")).toMatchObject({ valid: false });
  });

  it("says why it refuses", () => {
    expect(verifySubscription("hub.verify_token=vt&hub.challenge=1", "vt")).toEqual({ valid: false, reason: "Expected hub.mode=subscribe but received none." });
    expect(verifySubscription("hub.mode=unsubscribe&hub.verify_token=vt&hub.challenge=1", "vt")).toEqual({
      valid: false,
      reason: 'Expected hub.mode=subscribe but received "unsubscribe".',
    });
    for (const token of ["", "v", "vt2", "VT", "wt"]) {
      expect(verifySubscription(`hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1`, "vt")).toEqual({
        valid: false,
        reason: "The verify token does not match.",
      });
    }
    expect(verifySubscription("hub.mode=subscribe&hub.verify_token=&hub.challenge=1", "")).toMatchObject({ valid: false });
    expect(verifySubscription("hub.mode=subscribe&hub.verify_token=vt", "vt")).toEqual({ valid: false, reason: "The request has no hub.challenge." });
    expect(verifySubscription("hub.mode=subscribe&hub.verify_token=vt&hub.challenge=", "vt")).toEqual({
      valid: false,
      reason: "The request has no hub.challenge.",
    });
  });
});
