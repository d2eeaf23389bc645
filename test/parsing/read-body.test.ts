// maxBytes counts the UTF-8 bytes of the body exactly, whatever form the body comes in: these
// tests sit on the limit, one byte either side, including bodies long enough to be counted in
// several chunks and a surrogate pair split across a chunk's edge.
import { describe, expect, it } from "vitest";
import { readBody } from "../../src/parsing/read-body.js";

const utf8 = (text: string) => new TextEncoder().encode(text).byteLength;

/** A JSON string literal of `count` copies of `char`, as a whole body. */
const jsonString = (char: string, count: number) => `"${char.repeat(count)}"`;

function expectWithinLimitExactly(body: string): void {
  const bytes = utf8(body);
  expect(readBody(body, bytes)).toEqual({ ok: true, json: JSON.parse(body), fresh: true });
  expect(readBody(body, bytes - 1)).toEqual({
    ok: false,
    issue: { path: "", message: `The body is ${bytes} bytes or more, over the limit of ${bytes - 1} bytes (options.maxBytes).` },
  });
}

describe("maxBytes on text", () => {
  it("ASCII: exactly the limit is read, one byte over is refused", () => {
    expectWithinLimitExactly(jsonString("a", 100));
  });

  it("two-byte characters: the text is shorter than the limit, its bytes are not", () => {
    const body = jsonString("é", 100);
    expect(body.length).toBeLessThan(utf8(body) - 1);
    expectWithinLimitExactly(body);
  });

  it("a body counted in several chunks, each larger than a small scratch buffer would hold", () => {
    expectWithinLimitExactly(jsonString("€", 70_000));
    expectWithinLimitExactly(jsonString("é", 140_000));
  });

  it("a surrogate pair across a chunk's edge counts as its four bytes", () => {
    // The opening quote and 65,534 two-byte characters put the emoji's high half at index 65,535,
    // the last code unit of the first 65,536-unit chunk.
    const body = `"${"é".repeat(65_534)}😀${"é".repeat(10)}"`;
    expect(body.charCodeAt(65_535)).toBe(0xd83d);
    expect(utf8(body)).toBe(1 + 65_534 * 2 + 4 + 10 * 2 + 1);
    expectWithinLimitExactly(body);
  });

  it("so does a pair at either end of the high-surrogate range (U+10000 and U+10FFFF)", () => {
    for (const [char, high] of [
      ["\u{10000}", 0xd800],
      ["\u{10FFFF}", 0xdbff],
    ] as const) {
      const body = `"${"é".repeat(65_534)}${char}"`;
      expect(body.charCodeAt(65_535)).toBe(high);
      expectWithinLimitExactly(body);
    }
  });

  it("a lone high surrogate at the very end is counted, and the body is then refused as JSON", () => {
    const result = readBody('"\ud800', 5);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.issue.message).toMatch(/^The body is not valid JSON/);
    expect(readBody('"\ud800', 3)).toMatchObject({
      ok: false,
      issue: { message: "The body is 4 bytes or more, over the limit of 3 bytes (options.maxBytes)." },
    });
  });

  it("a byte-order mark is skipped", () => {
    expect(readBody('\ufeff{"a":1}', 100)).toEqual({ ok: true, json: { a: 1 }, fresh: true });
  });
});

describe("maxBytes on bytes", () => {
  const body = new TextEncoder().encode(jsonString("é", 50));

  it.each([
    ["a Uint8Array", body],
    ["an ArrayBuffer", body.slice().buffer],
    ["a DataView", new DataView(body.slice().buffer)],
  ])("%s: exactly the limit is read, one byte over is refused", (_, bytes) => {
    expect(readBody(bytes, body.byteLength)).toEqual({ ok: true, json: "é".repeat(50), fresh: true });
    expect(readBody(bytes, body.byteLength - 1)).toMatchObject({
      ok: false,
      issue: { message: `The body is ${body.byteLength} bytes or more, over the limit of ${body.byteLength - 1} bytes (options.maxBytes).` },
    });
  });

  it("a view counts only its own bytes, not the buffer around it", () => {
    const padded = new Uint8Array(body.byteLength + 20).fill(0x20);
    padded.set(body, 10);
    const view = padded.subarray(10, 10 + body.byteLength);
    expect(readBody(view, body.byteLength)).toEqual({ ok: true, json: "é".repeat(50), fresh: true });
    expect(readBody(new DataView(padded.buffer, 10, body.byteLength), body.byteLength)).toEqual({ ok: true, json: "é".repeat(50), fresh: true });
  });

  it("invalid UTF-8 is refused, not replaced", () => {
    expect(readBody(new Uint8Array([0x22, 0xc3, 0x22]), 10)).toEqual({ ok: false, issue: { path: "", message: "The body is not valid UTF-8 text." } });
  });
});

describe("other bodies", () => {
  it("already-parsed JSON is passed through as it is", () => {
    const json = { object: "whatsapp_business_account" };
    const result = readBody(json, 1);
    expect(result.ok && result.json).toBe(json);
  });

  it.each([
    ["empty text", "", "The body is empty; expected a JSON webhook payload."],
    ["white space", " \n\t ", "The body is empty; expected a JSON webhook payload."],
    ["undefined", undefined, "No body was given (received undefined). Pass the raw request body."],
  ])("%s is refused with its reason", (_, input, message) => {
    expect(readBody(input, 100)).toEqual({ ok: false, issue: { path: "", message } });
  });

  it("bad JSON names the parser's reason and asks whether it was truncated", () => {
    const result = readBody('{"a":', 100);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.issue.message).toMatch(/^The body is not valid JSON \(.+\)\. Is it truncated\?$/);
  });
});

describe("a fresh tree", () => {
  it("is one the parser made from text or bytes; JSON the caller passes is not fresh", () => {
    expect(readBody('{"a":1}', 100)).toMatchObject({ ok: true, fresh: true });
    expect(readBody(new TextEncoder().encode('{"a":1}'), 100)).toMatchObject({ ok: true, fresh: true });
    const parsed = { a: 1 };
    expect(readBody(parsed, 100)).toEqual({ ok: true, json: parsed, fresh: false });
  });
});
