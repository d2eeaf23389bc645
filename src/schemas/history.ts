/**
 * Schemas for the parts of `history` items: chunk metadata, thread headers, the per-message
 * `history_context`, and the errors of a declined sync.
 *
 * @module
 */
import * as v from "valibot";
import { countryOfUserId } from "../parsing/normalize.js";
import { apiErrorSchema } from "./api-error.js";
import { compact, describe, shape } from "./object-shape.js";
import { flag, optionalText, phone, text, wholeNumber } from "./scalars.js";

/** Schema of `history[].metadata`: `{ phase, chunk_order, progress }` (numbers or numeric strings). */
export const chunkMetadataSchema = v.pipe(
  v.looseObject({ phase: wholeNumber, chunk_order: wholeNumber, progress: wholeNumber }),
  v.transform((raw) => ({ phase: raw.phase, chunkOrder: raw.chunk_order, progress: raw.progress })),
);

/** Schema of a thread without its messages: `{ id, context?: { wa_id, user_id, username, country_code } }`. */
export const threadHeaderSchema = shape(
  {
    id: v.optional(phone),
    context: v.optional(
      v.looseObject({ wa_id: v.optional(phone), user_id: optionalText, username: optionalText, country_code: optionalText }),
    ),
    messages: v.custom<unknown[]>(
      (input) => Array.isArray(input),
      (issue) => `Expected the thread's messages as an array but received ${describe(issue.input)}.`,
    ),
  },
  (raw) => {
    const userId = raw.context?.user_id;
    return compact({
      id: raw.id ?? raw.context?.wa_id,
      userId,
      username: raw.context?.username,
      countryCode: raw.context?.country_code ?? countryOfUserId(userId),
    });
  },
  ["userId", "username", "countryCode"],
);

/**
 * The customer a history thread is with.
 *
 * @example
 * ```ts
 * const header: HistoryThreadHeader = { userId: "BR.2186878922080769", countryCode: "BR" };
 * ```
 */
export type HistoryThreadHeader = v.InferOutput<typeof threadHeaderSchema>;

/**
 * Lowercased delivery statuses of history messages; unknown values are kept, lowercased.
 *
 * @example
 * ```ts
 * const status: HistoryStatus = "delivered";
 * ```
 */
export type HistoryStatus = "sent" | "delivered" | "read" | "played" | "pending" | "error" | (string & {});

/** Schema of `history_context`: `{ status, from_me? }`, status lowercased. */
export const historyContextSchema = v.pipe(
  v.looseObject({ status: v.optional(text), from_me: v.optional(flag) }),
  v.transform((raw) =>
    compact({ status: raw.status === undefined ? undefined : (raw.status.toLowerCase() as HistoryStatus), fromMe: raw.from_me }),
  ),
);

/** Schema of a declined history item: `{ errors: [{ code, title, message, error_data: { details } }] }`. */
export const declinedItemSchema = v.looseObject({
  errors: v.pipe(
    v.array(apiErrorSchema, (issue) => `Expected errors as an array but received ${describe(issue.input)}.`),
    v.minLength(1, "Expected at least one error in a declined history item."),
  ),
});

/**
 * Who sent a history message: `outbound` when the array it came in says so (the media follow-up's
 * `message_echoes`), or when it has `from_me`, a `to`, or the business number as `from`. The fast
 * path and the schemas both call this, so they cannot disagree.
 *
 * @example
 * ```ts
 * historyDirection(undefined, { fromMe: false, to: undefined, from: "15550783881" }, "15550783881"); // "outbound"
 * ```
 */
export function historyDirection(
  given: "inbound" | "outbound" | undefined,
  message: { readonly fromMe: boolean; readonly to: unknown; readonly from: unknown },
  businessNumber: string | undefined,
): "inbound" | "outbound" {
  if (given !== undefined) return given;
  const outbound = message.fromMe || message.to !== undefined || (businessNumber !== undefined && message.from === businessNumber);
  return outbound ? "outbound" : "inbound";
}
