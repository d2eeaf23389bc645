/**
 * The error objects Meta attaches to messages (`unsupported`) and to declined history.
 *
 * @module
 */
import * as v from "valibot";
import { compact, shape } from "./object-shape.js";
import { errorCode, optionalText } from "./scalars.js";

const errorData = v.optional(v.looseObject({ details: optionalText }));

/** Schema of one error object: `{ code, title, message?, error_data?: { details } }`. */
export const apiErrorSchema = shape(
  { code: errorCode, title: optionalText, message: optionalText, error_data: errorData },
  (raw) => compact({ code: raw.code, title: raw.title, message: raw.message, details: raw.error_data?.details }),
  ["details"],
);

/**
 * An error Meta reports, for example `{ code: 131051, title: "Message type unknown" }` on an
 * unsupported message or `{ code: 2593109, ... }` when history sharing is turned off.
 *
 * @example
 * ```ts
 * const error: ApiError = { code: 131051, title: "Message type unknown" };
 * ```
 */
export type ApiError = v.InferOutput<typeof apiErrorSchema>;
