import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSignatureHeader, signPayload, verifySignature, verifySubscription } from "../../src/index.js";

const SECRET = "app_secret_123";
const EMPTY_ENTRY = '{"object":"whatsapp_business_account","entry":[]}';
const EMPTY_SIGNATURE = "sha256=02fe0c96d28c59ddb7cf81eff0ca05809b360ba73b63c28210b5906a0a107d1f";
const CAFE = '{"text":"caf\\u00e9"}';
const CAFE_SIGNATURE = "sha256=84c7660bf030ad7f1cc227b2fc2574fb6a8d21c646dadd5432f16f1594a02d53";

describe("verifySignature", () => {
  it("holds for the spec's vectors, as text and as bytes", async () => {
    expect(await signPayload(EMPTY_ENTRY, SECRET)).toBe(EMPTY_SIGNATURE);
    expect(await signPayload(CAFE, SECRET)).toBe(CAFE_SIGNATURE);
    expect(await verifySignature(EMPTY_ENTRY, EMPTY_SIGNATURE, SECRET)).toBe(true);
    expect(await verifySignature(new TextEncoder().encode(CAFE), CAFE_SIGNATURE, SECRET)).toBe(true);
    expect(await verifySignature(Buffer.from(CAFE), CAFE_SIGNATURE, SECRET)).toBe(true);
    expect(await verifySignature(new TextEncoder().encode(CAFE).buffer, CAFE_SIGNATURE, SECRET)).toBe(true);
  });

  it("fails for the same JSON re-serialised (Meta escapes non-ASCII; JSON.stringify does not)", async () => {
    expect(await verifySignature(JSON.stringify(JSON.parse(CAFE)), CAFE_SIGNATURE, SECRET)).toBe(false);
  });

  it("accepts 360dialog's bare hex and either case of hex digits", async () => {
    expect(await verifySignature(EMPTY_ENTRY, EMPTY_SIGNATURE.slice(7), SECRET)).toBe(true);
    expect(await verifySignature(EMPTY_ENTRY, `sha256=${EMPTY_SIGNATURE.slice(7).toUpperCase()}`, SECRET)).toBe(true);
  });

  it("takes several secrets (rotation, or Meta's beside 360dialog's)", async () => {
    expect(await verifySignature(EMPTY_ENTRY, EMPTY_SIGNATURE, ["old-secret", SECRET])).toBe(true);
    expect(await verifySignature(EMPTY_ENTRY, EMPTY_SIGNATURE, ["old-secret", "other"])).toBe(false);
  });

  it.each([
    ["missing", undefined],
    ["null", null],
    ["empty", ""],
    ["the wrong prefix", `sha1=${EMPTY_SIGNATURE.slice(7)}`],
    ["odd length", `${EMPTY_SIGNATURE}0`],
    ["non-hex", `sha256=${"g".repeat(64)}`],
    ["too short", "sha256=abcd"],
  ])("returns false, never throws, for a %s header", async (_, header) => {
    expect(await verifySignature(EMPTY_ENTRY, header, SECRET)).toBe(false);
  });

  it("explains that a parsed object is not the raw body", async () => {
    await expect(verifySignature(JSON.parse(EMPTY_ENTRY), EMPTY_SIGNATURE, SECRET)).rejects.toThrow(TypeError);
    await expect(verifySignature(JSON.parse(EMPTY_ENTRY), EMPTY_SIGNATURE, SECRET)).rejects.toThrow(/raw request body.*already parsed/s);
  });

  it("refuses a missing secret as a programming error", async () => {
    await expect(verifySignature(EMPTY_ENTRY, EMPTY_SIGNATURE, "")).rejects.toThrow(/secret/);
    await expect(verifySignature(EMPTY_ENTRY, EMPTY_SIGNATURE, [])).rejects.toThrow(/secret/);
  });

  it("never throws on arbitrary header strings", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.stringMatching(/^(sha256=)?[0-9a-fA-F]{0,70}$/)), async (header) => {
        expect(typeof (await verifySignature(EMPTY_ENTRY, header, SECRET))).toBe("boolean");
      }),
      { numRuns: 300 },
    );
  });

  it("holds only for the exact bytes it was made for", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), fc.integer({ min: 1, max: 255 }), async (body, at, flip) => {
        const signature = await signPayload(body, SECRET);
        expect(await verifySignature(body, signature, SECRET)).toBe(true);
        const changed = body.slice();
        changed[at % body.length]! ^= flip;
        expect(await verifySignature(changed, signature, SECRET)).toBe(false);
        expect(await verifySignature(body.subarray(0, body.length - 1), signature, SECRET)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it("parses headers into 32 digest bytes", () => {
    expect(parseSignatureHeader(EMPTY_SIGNATURE)?.length).toBe(32);
    expect(parseSignatureHeader(` ${EMPTY_SIGNATURE} `)?.[0]).toBe(0x02);
  });

  it("reads exactly 64 hex digits of either case, as the regex definition does, for any header", () => {
    const byDefinition = (header: string): number[] | undefined => {
      const trimmed = header.trim();
      const hex = trimmed.startsWith("sha256=") ? trimmed.slice(7) : trimmed;
      if (!/^[0-9a-fA-F]{64}$/.test(hex)) return undefined;
      return Array.from({ length: 32 }, (_, index) => Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16));
    };
    const hexDigit = fc.constantFrom(..."0123456789abcdefABCDEF");
    const nearHex = fc.constantFrom(..."0123456789abcdefABCDEFgGxX:/@`[ -");
    const notHex = fc.constantFrom(..."gGxX:/@`[ -\u0660\uff10");
    // One wrong character at any place of a right digest: each place and each edge of the digit ranges.
    const oneWrong = fc
      .tuple(fc.array(hexDigit, { minLength: 64, maxLength: 64 }), fc.nat(63), notHex)
      .map(([digits, at, wrong]) => `sha256=${digits.map((digit, index) => (index === at ? wrong : digit)).join("")}`);
    const header = fc.oneof(
      fc.array(hexDigit, { minLength: 64, maxLength: 64 }).map((digits) => `sha256=${digits.join("")}`),
      oneWrong,
      fc.array(hexDigit, { minLength: 63, maxLength: 65 }).map((digits) => digits.join("")),
      fc.array(nearHex, { minLength: 64, maxLength: 64 }).map((digits) => `sha256=${digits.join("")}`),
      fc.string(),
    );
    fc.assert(
      fc.property(header, (value) => {
        const parsed = parseSignatureHeader(value);
        expect(parsed === undefined ? undefined : [...parsed]).toEqual(byDefinition(value));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("verifySubscription", () => {
  const query = "hub.mode=subscribe&hub.verify_token=T0k3n&hub.challenge=1158201444";

  it("returns the challenge for a matching token, from a URL, a query string, URLSearchParams or a parsed query", () => {
    const expected = { valid: true, challenge: "1158201444" };
    expect(verifySubscription(`https://example.com/webhook?${query}`, "T0k3n")).toEqual(expected);
    expect(verifySubscription(`?${query}`, "T0k3n")).toEqual(expected);
    expect(verifySubscription(new URL(`https://example.com/?${query}`), "T0k3n")).toEqual(expected);
    expect(verifySubscription(new URLSearchParams(query), "T0k3n")).toEqual(expected);
    expect(verifySubscription({ "hub.mode": "subscribe", "hub.verify_token": "T0k3n", "hub.challenge": "1158201444" }, "T0k3n")).toEqual(expected);
    expect(verifySubscription({ hub: { mode: "subscribe", verify_token: "T0k3n", challenge: "1158201444" } }, "T0k3n")).toEqual(expected); // qs-style nesting
  });

  it.each([
    ["a wrong token", query.replace("T0k3n", "nope"), /token/],
    ["a wrong mode", query.replace("subscribe", "unsubscribe"), /hub.mode/],
    ["no challenge", "hub.mode=subscribe&hub.verify_token=T0k3n", /challenge/],
    ["nothing", "", /hub.mode/],
  ])("rejects %s", (_, input, reason) => {
    const result = verifySubscription(input, "T0k3n");
    expect(result.valid).toBe(false);
    expect(result.valid ? "" : result.reason).toMatch(reason);
  });

  it("never accepts an empty configured token", () => {
    expect(verifySubscription("hub.mode=subscribe&hub.verify_token=&hub.challenge=1", "").valid).toBe(false);
  });
});
