/**
 * Schemas for the scalar values that recur in every payload.
 *
 * @module
 */
import * as v from "valibot";
import { isWellFormedId, MAX_ID_BYTES, MAX_SMALL_WHOLE_NUMBER, MAX_UNIX_SECONDS, normalizePhone, toUnixSeconds, toWholeNumber } from "../core/normalize.js";
import { describe } from "./object-shape.js";

/** A string, with a message that names what was received. */
export const text = /* @__PURE__ */ v.string((issue) => `Expected a string but received ${describe(issue.input)}.`);

/** An optional string where `""` means absent. */
export const optionalText = /* @__PURE__ */ v.optional(
  v.pipe(
    text,
    v.transform((value) => (value === "" ? undefined : value)),
  ),
);

const WELL_FORMED_ID = `Expected an id of at most ${MAX_ID_BYTES} bytes, without NUL characters or unpaired surrogates (it could not be stored).`;

/** A non-empty string: ids (`wamid....`, media ids), without NUL or unpaired surrogates. */
export const identifier = /* @__PURE__ */ v.pipe(
  v.string((issue) => `Expected a non-empty string id but received ${describe(issue.input)}.`),
  v.nonEmpty("Expected a non-empty string id but received an empty string."),
  v.check(isWellFormedId, WELL_FORMED_ID),
);

/** An optional id where `""` means absent (user ids, parent user ids, phone number ids). */
export const optionalId = /* @__PURE__ */ v.optional(
  v.pipe(
    text,
    v.check(isWellFormedId, WELL_FORMED_ID),
    v.transform((value) => (value === "" ? undefined : value)),
  ),
);

/** A boolean flag. */
export const flag = /* @__PURE__ */ v.boolean((issue) => `Expected true or false but received ${describe(issue.input)}.`);

/** A number (coordinates). */
export const decimal = /* @__PURE__ */ v.number((issue) => `Expected a number but received ${describe(issue.input)}.`);

/**
 * A phone number: digits, with a leading `+` and separators removed; `""` becomes `undefined`.
 */
export const phone = /* @__PURE__ */ v.pipe(
  v.string((issue) => `Expected a phone number string but received ${describe(issue.input)}.`),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const digits = normalizePhone(dataset.value);
    if (digits !== null) return digits;
    addIssue({ message: `Expected a phone number (digits, optionally "+" and separators) but received ${describe(dataset.value)}.` });
    return NEVER;
  }),
);

/** A unix timestamp in seconds, given as an integer or a string of digits (one above 1e11 is milliseconds, converted). */
export const unixSeconds = /* @__PURE__ */ v.pipe(
  v.unknown(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const seconds = toUnixSeconds(dataset.value);
    if (seconds !== undefined) return seconds;
    addIssue({
      message: `Expected a unix timestamp in seconds or milliseconds (an integer or a string of digits, at most ${MAX_UNIX_SECONDS} seconds) but received ${describe(dataset.value)}.`,
    });
    return NEVER;
  }),
);

/** A non-negative whole number, given as a number or a numeric string (`phase`, `progress`). */
const wholeNumber = /* @__PURE__ */ v.pipe(
  v.unknown(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const value = toWholeNumber(dataset.value);
    if (value !== undefined) return value;
    addIssue({ message: `Expected a whole number (or a string of digits) but received ${describe(dataset.value)}.` });
    return NEVER;
  }),
);

/** An error code: any integer. */
export const errorCode = /* @__PURE__ */ v.pipe(
  v.number((issue) => `Expected a numeric error code but received ${describe(issue.input)}.`),
  v.integer((issue) => `Expected an integer error code but received ${describe(issue.input)}.`),
);

/**
 * A phone number where a string that is not one means "absent" rather than an error: the business
 * display number, which providers' docs and some real bodies fill with a placeholder or an odd
 * format. A value that is not a string is still an issue.
 */
export const lenientPhone = /* @__PURE__ */ v.pipe(
  v.string((issue) => `Expected a phone number string but received ${describe(issue.input)}.`),
  v.transform((value) => normalizePhone(value) ?? undefined),
);

/** A number, given as a number or a numeric string (prices and quantities). */
export const numeric = /* @__PURE__ */ v.pipe(
  v.unknown(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const value = dataset.value;
    if (typeof value === "number" && Number.isFinite(value)) return value;
    if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
    addIssue({ message: `Expected a number but received ${describe(value)}.` });
    return NEVER;
  }),
);

/** A non-negative whole number that fits a 32-bit integer column (`phase`, `chunk_order`, `progress`). */
export const smallWholeNumber = /* @__PURE__ */ v.pipe(
  wholeNumber,
  v.maxValue(MAX_SMALL_WHOLE_NUMBER, (issue) => `Expected a whole number up to ${MAX_SMALL_WHOLE_NUMBER} but received ${describe(issue.input)}.`),
);
