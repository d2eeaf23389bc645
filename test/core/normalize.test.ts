// The hand-written scanners of src/core/normalize.ts against the plain definitions they replace
// (a regex and Number()), for every string fast-check can think of.
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { isWellFormedId, normalizePhone, toUnixSeconds, toWholeNumber } from "../../src/core/normalize.js";

// eslint-disable-next-line no-control-regex -- NUL is one of the things an id must not hold
const ILL_FORMED = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const referenceWhole = (value: string) => (/^\d{1,15}$/.test(value) ? Number(value) : undefined);

/** Strings of any UTF-16 code units, weighted towards digits, surrogates and NUL. */
const codeUnits = fc.string({
  unit: fc.oneof(
    fc.constantFrom("0", "1", "9", "/", ":", "\u0000", "\ud83d", "\ude00", "+", " ", "-", "٣"),
    fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  ),
  maxLength: 20,
});

describe("toWholeNumber", () => {
  it("reads exactly the strings of 1 to 15 ASCII digits, as Number() would", () => {
    fc.assert(
      fc.property(codeUnits, (value) => {
        expect(toWholeNumber(value)).toBe(referenceWhole(value));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ["0", 0],
    ["007", 7],
    ["999999999999999", 999_999_999_999_999],
    ["1000000000000000", undefined],
    ["", undefined],
    ["1e3", undefined],
    [" 1", undefined],
    ["١٢", undefined],
  ])("%j", (value, expected) => {
    expect(toWholeNumber(value)).toBe(expected);
  });

  it("numbers: safe non-negative integers only, -0 as 0", () => {
    expect(Object.is(toWholeNumber(-0), 0)).toBe(true);
    expect([1.5, -1, Number.NaN, 2 ** 53, Infinity].map(toWholeNumber)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it("timestamps: seconds up to 1e11; above, milliseconds converted to whole seconds, up to the last time a Date holds", () => {
    expect(toUnixSeconds(100_000_000_000)).toBe(100_000_000_000);
    expect(toUnixSeconds(100_000_000_001)).toBe(100_000_000);
    // A partner provider's status timestamp, in milliseconds, and the same as a string.
    expect(toUnixSeconds(1_710_941_393_420)).toBe(1_710_941_393);
    expect(toUnixSeconds("1710941393420")).toBe(1_710_941_393);
    expect(toUnixSeconds(8_640_000_000_000_999)).toBe(8_640_000_000_000);
    expect(toUnixSeconds(8_640_000_000_001_000)).toBeUndefined();
    expect(toUnixSeconds("8640000000000000")).toBeUndefined(); // 16 digits: more than a string of digits may have
  });
});

describe("normalizePhone", () => {
  const reference = (value: string) => {
    if (value === "") return undefined;
    const rest = (value.startsWith("+") ? value.slice(1) : value).replace(/[\s().\-\u00a0]/g, "");
    return /^\d+$/.test(rest) ? rest : null;
  };

  it("agrees with the regex definition on any string", () => {
    fc.assert(
      fc.property(codeUnits, (value) => {
        expect(normalizePhone(value)).toBe(reference(value));
      }),
      { numRuns: 2000 },
    );
  });

  it("a lone + or separators alone are not a number", () => {
    expect(normalizePhone("+")).toBeNull();
    expect(normalizePhone(" - ")).toBeNull();
  });
});

describe("isWellFormedId", () => {
  it("refuses exactly NUL and lone surrogates", () => {
    fc.assert(
      fc.property(codeUnits, (value) => {
        expect(isWellFormedId(value)).toBe(!ILL_FORMED.test(value));
      }),
      { numRuns: 3000 },
    );
  });

  it("gives the same answers where String.prototype.isWellFormed does not exist", async () => {
    const prototype = String.prototype as { isWellFormed?: () => boolean };
    const original = prototype.isWellFormed;
    delete prototype.isWellFormed;
    try {
      vi.resetModules();
      const fallback = await import("../../src/core/normalize.js");
      expect(fallback.isWellFormedId).not.toBe(isWellFormedId);
      fc.assert(
        fc.property(codeUnits, (value) => {
          expect(fallback.isWellFormedId(value)).toBe(!ILL_FORMED.test(value));
        }),
        { numRuns: 1000 },
      );
    } finally {
      prototype.isWellFormed = original;
    }
  });
});
