/**
 * The error objects Meta attaches to messages, statuses and declined history.
 *
 * @module
 */
import * as v from "valibot";
import type { ApiError } from "../events/parts.js";
import { compact, flat, shape } from "./object-shape.js";
import { errorCode, optionalText } from "./scalars.js";

const errorData = /* @__PURE__ */ v.optional(flat({ details: optionalText }));

/**
 * Schema of one error object: `{ code, title?, message?, error_data?: { details }, href? }`. Some
 * SDKs' fixtures put `details` at the top level instead: it is read from there when `error_data`
 * has none (and kept under `extra` when both give one).
 */
export const apiErrorSchema = /* @__PURE__ */ shape(
  { code: errorCode, title: optionalText, message: optionalText, error_data: errorData, details: optionalText, href: optionalText },
  (raw): ApiError => {
    const nested = raw.error_data?.details;
    return compact({
      code: raw.code,
      title: raw.title,
      message: raw.message,
      details: nested ?? raw.details,
      href: raw.href,
      extra: nested !== undefined && raw.details !== undefined ? { details: raw.details } : undefined,
    });
  },
);
