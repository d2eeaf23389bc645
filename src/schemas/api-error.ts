/**
 * The error objects Meta attaches to messages, statuses and declined history.
 *
 * @module
 */
import * as v from "valibot";
import type { ApiError } from "../events/parts.js";
import { compact, shape, looseRecord } from "./object-shape.js";
import { errorCode, optionalText } from "./scalars.js";

const errorData = /* @__PURE__ */ v.optional(looseRecord({ details: optionalText }));

/** Schema of one error object: `{ code, title?, message?, error_data?: { details }, href? }`. */
export const apiErrorSchema = /* @__PURE__ */ shape(
  { code: errorCode, title: optionalText, message: optionalText, error_data: errorData, href: optionalText },
  (raw): ApiError => compact({ code: raw.code, title: raw.title, message: raw.message, details: raw.error_data?.details, href: raw.href }),
);
