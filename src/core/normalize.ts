/**
 * The normalisations every shape shares: phone numbers, unix timestamps, numeric strings, BSUID
 * country prefixes, ids. The valibot schemas and the fast path both call these, so they cannot
 * disagree. The fast path's value readers are here too: each reads one value as the schemas would,
 * writes it to the output under its key, and returns `false` for anything the schemas must judge.
 *
 * @module
 */
import type { OutWith } from "./object-keys.js";

const PHONE_SEPARATORS = /[\s().\-\u00a0]/g;
/** The most digits a whole-number string may have: 15 digits are always below 2^53, so exact. */
const MAX_INTEGER_DIGITS = 15;
const BSUID_COUNTRY = /^([A-Z]{2})\./;

/** What {@link normalizePhone} returns for a string that is not a phone number. */
const INVALID = null;

/**
 * Reduces a phone number to its digits: a leading `+` and separators (spaces, dashes, dots,
 * parentheses) go away, and `""` means absent.
 *
 * @returns the digits, `undefined` when the input is `""`, or `null` when it is not a phone number.
 * @example
 * ```ts
 * normalizePhone("+1 (555) 123-0000"); // "15551230000"
 * normalizePhone(""); // undefined
 * normalizePhone("call me"); // null
 * ```
 */
export function normalizePhone(value: string): string | undefined | null {
  if (value === "") return undefined;
  if (value.length > MAX_ID_BYTES) return INVALID;
  if (isDigits(value)) return value;
  let rest = value.charCodeAt(0) === 43 /* + */ ? value.slice(1) : value;
  rest = rest.replace(PHONE_SEPARATORS, "");
  return rest !== "" && isDigits(rest) ? rest : INVALID;
}

/**
 * Above this, a timestamp can only be in milliseconds: as seconds it would fall after the year
 * 5138, while as milliseconds it is any time since 3 March 1973. A partner provider sends its
 * statuses' timestamps so (`1710941393420`).
 *
 * @example
 * ```ts
 * toUnixSeconds(MILLISECONDS_ABOVE + 1); // 100000000
 * ```
 */
export const MILLISECONDS_ABOVE = 100_000_000_000;

/**
 * Reads a unix timestamp in seconds given as an integer or as a string of digits. A number above
 * {@link MILLISECONDS_ABOVE} can only be milliseconds: it is read so, and converted to whole seconds.
 *
 * @returns the number, or `undefined` when the value is not one (NaN, a fraction, a negative, a word, a
 *   time later than any date can hold).
 * @example
 * ```ts
 * toUnixSeconds("1739321024"); // 1739321024
 * toUnixSeconds(1739321024); // 1739321024
 * toUnixSeconds(1710941393420); // 1710941393 (milliseconds)
 * toUnixSeconds("yesterday"); // undefined
 * ```
 */
export function toUnixSeconds(value: unknown): number | undefined {
  const seconds = toWholeNumber(value);
  if (seconds === undefined) return undefined;
  if (seconds <= MILLISECONDS_ABOVE) return seconds;
  const fromMilliseconds = Math.floor(seconds / 1000);
  return fromMilliseconds <= MAX_UNIX_SECONDS ? fromMilliseconds : undefined;
}

/**
 * The latest time a JavaScript `Date` can hold, in unix seconds (year 275760): a later timestamp
 * is no time at all, and is refused.
 *
 * @example
 * ```ts
 * new Date(MAX_UNIX_SECONDS * 1000).toISOString(); // "+275760-09-13T00:00:00.000Z"
 * ```
 */
export const MAX_UNIX_SECONDS = 8_640_000_000_000;

/**
 * Reads a non-negative whole number given as a number or as a numeric string (360dialog sends
 * `phase` and `progress` as `"0"` and `"100"`).
 *
 * @example
 * ```ts
 * toWholeNumber("100"); // 100
 * toWholeNumber(2); // 2
 * toWholeNumber(1.5); // undefined
 * ```
 */
export function toWholeNumber(value: unknown): number | undefined {
  // `+ 0` reads -0 (valid JSON) as 0.
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value + 0 : undefined;
  if (typeof value === "string") return digitsValue(value);
  return undefined;
}

/**
 * The largest small whole number (a chunk's `phase`, `chunk_order`, `progress`): a 32-bit signed
 * integer, as PostgreSQL's `integer` holds it.
 *
 * @example
 * ```ts
 * toWholeNumber("2147483648")! > MAX_SMALL_WHOLE_NUMBER; // true: refused
 * ```
 */
export const MAX_SMALL_WHOLE_NUMBER = 2_147_483_647;

/** Whether a (non-empty) string is ASCII digits only: a char-code loop, cheaper than a regex. */
function isDigits(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 48 /* 0 */ || code > 57 /* 9 */) return false;
  }
  return true;
}

/** The value of 1 to 15 ASCII digits, read as they are scanned; `undefined` for anything else. */
function digitsValue(value: string): number | undefined {
  const length = value.length;
  if (length === 0 || length > MAX_INTEGER_DIGITS) return undefined;
  let number = 0;
  for (let index = 0; index < length; index++) {
    const digit = value.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return undefined;
    number = number * 10 + digit;
  }
  return number;
}

/**
 * The country of a business-scoped user id (BSUID), from its two-letter prefix.
 *
 * @example
 * ```ts
 * countryOfUserId("BR.2186878922080769"); // "BR"
 * countryOfUserId("US.ENT.1234"); // "US"
 * countryOfUserId("12345"); // undefined
 * ```
 */
export function countryOfUserId(userId: string | undefined): string | undefined {
  if (userId === undefined) return undefined;
  return BSUID_COUNTRY.exec(userId)?.[1];
}

/** A NUL, or a UTF-16 surrogate without its other half. */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const ILL_FORMED = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The longest id, in UTF-8 bytes. Real ids are far shorter (a BSUID is at most 135 characters, a
 * `wamid` about 60, a phone number 15 digits); an id of thousands of characters cannot be indexed
 * (PostgreSQL's btree refuses index rows over 2,704 bytes, and a key or a message's order column
 * holds several ids), so the parser refuses it with an issue rather than a store failing a batch.
 *
 * @example
 * ```ts
 * isWellFormedId("a".repeat(MAX_ID_BYTES + 1)); // false
 * ```
 */
export const MAX_ID_BYTES = 256;

/** Whether a string is at most {@link MAX_ID_BYTES} long in UTF-8 (a UTF-16 unit is at most 3 bytes). */
function fitsIdLength(value: string): boolean {
  if (value.length * 3 <= MAX_ID_BYTES) return true;
  if (value.length > MAX_ID_BYTES) return false;
  let bytes = 0;
  for (let index = 0; index < value.length; index++) {
    const unit = value.charCodeAt(index);
    // A surrogate pair is 4 bytes in all: 2 for each half.
    bytes += unit < 0x80 ? 1 : unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff) ? 2 : 3;
  }
  return bytes <= MAX_ID_BYTES;
}

/**
 * Whether a string can be an id: no NUL character, no unpaired surrogate, and at most
 * {@link MAX_ID_BYTES} bytes. Such ids cannot be stored (PostgreSQL refuses NUL; UTF-8 cannot hold
 * a lone surrogate, so two ids would become one; an index refuses a row too long), so the parser
 * refuses them wherever it reads an id.
 *
 * @example
 * ```ts
 * isWellFormedId("wamid.HBgL"); // true
 * isWellFormedId("wamid.\u0000"); // false
 * isWellFormedId("BR.\uD800"); // false
 * ```
 */
export function isWellFormedId(value: string): boolean {
  if (!fitsIdLength(value)) return false;
  // `isWellFormed` (ES2024, in every runtime this library supports but old ones) is about three
  // times faster than the regex, which stays as the fallback.
  return hasIsWellFormed ? (value as unknown as WellFormedString).isWellFormed() && !value.includes("\u0000") : !ILL_FORMED.test(value);
}

interface WellFormedString {
  isWellFormed(): boolean;
}
const hasIsWellFormed = typeof (String.prototype as Partial<WellFormedString>).isWellFormed === "function";

/** A phone number as digits: `undefined` when absent or `""`, `null` when it is not one. */
export function phoneOf(value: unknown): string | undefined | null {
  if (value === undefined) return undefined;
  return typeof value === "string" ? normalizePhone(value) : null;
}

/** A phone number as digits; `""` is absent. */
export function readPhone<K extends string>(value: unknown, key: K, out: OutWith<K>): boolean {
  const digits = phoneOf(value);
  if (digits === null) return false;
  if (digits !== undefined) out[key] = digits;
  return true;
}

/** An optional string where `""` means absent (names): the schemas' `optionalText`. */
export function readOptionalText<K extends string>(value: unknown, key: K, out: OutWith<K>): boolean {
  if (value === undefined || value === "") return true;
  if (typeof value !== "string") return false;
  out[key] = value;
  return true;
}

/** An optional string kept as given, `""` included (captions, hashes): `v.optional(text)` in the schemas. */
export function readOptionalString<K extends string>(value: unknown, key: K, out: OutWith<K>): boolean {
  if (value === undefined) return true;
  if (typeof value !== "string") return false;
  out[key] = value;
  return true;
}

/** An optional boolean. */
export function readOptionalFlag<K extends string>(value: unknown, key: K, out: OutWith<K>): boolean {
  if (value === undefined) return true;
  if (typeof value !== "boolean") return false;
  out[key] = value;
  return true;
}

/** An optional id where `""` means absent (user ids, phone number ids); declines an id that cannot be stored: the schemas' `optionalId`. */
export function readOptionalId<K extends string>(value: unknown, key: K, out: OutWith<K>): boolean {
  if (value === undefined || value === "") return true;
  if (typeof value !== "string" || !isWellFormedId(value)) return false;
  out[key] = value;
  return true;
}

/** A non-empty string that can be an id. */
export function isId(value: unknown): value is string {
  return typeof value === "string" && value !== "" && isWellFormedId(value);
}
