/**
 * Schemas for the parts of `history` items: chunk metadata, thread headers, the per-message
 * `history_context`, the errors of a declined sync, and the rule that decides who sent a history
 * message.
 *
 * @module
 */
import * as v from "valibot";
import type { HistoryThread } from "../events/history-chunk.js";
import type { HistoryStatus } from "../events/message.js";
import type { Direction, Extra } from "../events/parts.js";
import { countryOfUserId } from "../core/normalize.js";
import { apiErrorSchema } from "./api-error.js";
import { compact, describe, flat, shape, looseRecord } from "./object-shape.js";
import { flag, optionalText, phone, text, smallWholeNumber, optionalId } from "./scalars.js";

/** A chunk's position in the sync; each part is absent when the payload does not give it. */
export interface ChunkMetadata {
  readonly phase?: number;
  readonly chunkOrder?: number;
  readonly progress?: number;
}

const chunkMetadataEntries = {
  phase: v.optional(smallWholeNumber),
  chunk_order: v.optional(smallWholeNumber),
  progress: v.optional(smallWholeNumber),
};

/** The keys of a chunk (`history[]` item) that its event models, and of its `metadata`. */
export const CHUNK_KEYS: ReadonlySet<string> = /* @__PURE__ */ new Set(["metadata", "threads"]);
export const CHUNK_METADATA_KEYS: ReadonlySet<string> = /* @__PURE__ */ new Set(Object.keys(chunkMetadataEntries));

/** Schema of `history[].metadata`: `{ phase, chunk_order, progress }` (numbers or numeric strings). */
export const chunkMetadataSchema = /* @__PURE__ */ v.pipe(
  looseRecord(chunkMetadataEntries),
  v.transform((raw): ChunkMetadata => compact({ phase: raw.phase, chunkOrder: raw.chunk_order, progress: raw.progress })),
);

/** A thread without its messages. */
export type HistoryThreadHeader = Omit<HistoryThread, "messages">;

/** Schema of a thread without its messages: `{ id?, context?: { wa_id, user_id, parent_user_id, username, country_code } }`. */
export const threadHeaderSchema = /* @__PURE__ */ shape(
  {
    id: v.optional(phone),
    context: v.optional(
      flat({
        wa_id: v.optional(phone),
        user_id: optionalId,
        parent_user_id: optionalId,
        username: optionalText,
        country_code: optionalText,
      }),
    ),
    messages: v.custom<unknown[]>(
      (input) => Array.isArray(input),
      (issue) => `Expected the thread's messages as an array but received ${describe(issue.input)}.`,
    ),
  },
  (raw): HistoryThreadHeader => {
    const userId = raw.context?.user_id;
    return compact({
      id: raw.id ?? raw.context?.wa_id,
      userId,
      parentUserId: raw.context?.parent_user_id,
      username: raw.context?.username,
      countryCode: raw.context?.country_code ?? countryOfUserId(userId),
    });
  },
);

/** A history message's `history_context`, read. */
export interface HistoryContext {
  readonly status?: HistoryStatus;
  readonly fromMe?: boolean;
  /** Its keys this library does not model, as received (the message keeps them under `extra.history_context`). */
  readonly extra?: Extra;
}

/** Schema of `history_context`: `{ status, from_me? }`, status lowercased. */
export const historyContextSchema = /* @__PURE__ */ shape({ status: v.optional(text), from_me: v.optional(flag) }, (raw): HistoryContext =>
  compact({ status: raw.status === undefined ? undefined : raw.status.toLowerCase(), fromMe: raw.from_me }),
);

/** Schema of a declined history item: `{ errors: [{ code, title, message, error_data: { details } }] }`. */
export const declinedItemSchema = /* @__PURE__ */ looseRecord({
  errors: v.pipe(
    v.array(apiErrorSchema, (issue) => `Expected errors as an array but received ${describe(issue.input)}.`),
    v.minLength(1, "Expected at least one error in a declined history item."),
  ),
});

/**
 * What the direction rule compares a history message with: the business (its display number as
 * digits and its phone number id) and the thread's customer.
 */
export interface HistoryParties {
  readonly businessNumber?: string;
  readonly phoneNumberId?: string;
  readonly customerPhone?: string;
  readonly customerUserId?: string;
}

/** The parts of a history message the direction rule reads (the message itself will do). */
export interface DirectionClues {
  readonly from?: string | undefined;
  readonly fromUserId?: string | undefined;
  readonly to?: string | undefined;
}

function isBusiness(number: string | undefined, parties: HistoryParties): boolean {
  return number !== undefined && (number === parties.businessNumber || number === parties.phoneNumberId);
}

/**
 * Who sent a history message. The array it came in decides when it says (a media follow-up's
 * `messages` are inbound, its `message_echoes` outbound); otherwise the first rule that applies:
 * `from` is the business (display number or phone number id) → outbound; `from` or `fromUserId` is
 * the thread's customer → inbound; `to` is the business → inbound; any other `to` → outbound;
 * `from_me` → outbound; else inbound. `to` alone is no signal: customers' history messages carry
 * `to` = the business. The fast path and the schemas both call this, so they cannot disagree.
 *
 * @example
 * ```ts
 * historyDirection(undefined, { from: "15550783881" }, { businessNumber: "15550783881" }, false); // "outbound"
 * historyDirection(undefined, { from: "16505551234", to: "15550783881" }, { businessNumber: "15550783881" }, false); // "inbound"
 * ```
 */
export function historyDirection(given: Direction | undefined, message: DirectionClues, parties: HistoryParties, fromMe: boolean): Direction {
  if (given !== undefined) return given;
  if (isBusiness(message.from, parties)) return "outbound";
  const { customerPhone, customerUserId } = parties;
  if (message.from !== undefined && message.from === customerPhone) return "inbound";
  if (message.fromUserId !== undefined && message.fromUserId === customerUserId) return "inbound";
  if (isBusiness(message.to, parties)) return "inbound";
  if (message.to !== undefined) return "outbound";
  return fromMe ? "outbound" : "inbound";
}
