/**
 * The entry points: `parseWebhook`, `safeParseWebhook`, `parseChange`, `safeParseChange`.
 *
 * @module
 */
import type { CoexistenceEvent } from "../events/coexistence-event.js";
import type { EventSource } from "../events/event-base.js";
import { parseChangeValue, type ChangeContext } from "./changes/index.js";
import { parseEnvelope } from "./envelope.js";
import { describe } from "../schemas/object-shape.js";
import { DEFAULT_MAX_DEPTH } from "../core/hostile-input.js";
import { checkOwnKeys, isObject, type ParseRun } from "../core/parse-run.js";
import { IssueList } from "../core/parse-issue.js";
import { DEFAULT_MAX_BYTES, readBody, type WebhookBody } from "./read-body.js";
import { WebhookParseError, type ParseIssue } from "./webhook-parse-error.js";

/**
 * Limits for parsing untrusted bodies.
 *
 * @example
 * ```ts
 * parseWebhook(body, { maxBytes: 1024 * 1024 });
 * ```
 */
export interface ParseOptions {
  /** Bodies larger than this many bytes are refused before JSON parsing. Default 4 MiB. */
  readonly maxBytes?: number | undefined;
  /** Objects and arrays nested deeper than this are refused. Default 64 (real webhooks nest about 20 deep). */
  readonly maxDepth?: number | undefined;
  /**
   * The business number's id for changes whose body names none (partner forwards without
   * `metadata`): without it, such events carry no `phoneNumberId` and no book can place them.
   * Never overrides the `metadata.phone_number_id` a body gives.
   */
  readonly phoneNumberId?: string | undefined;
  /** The WABA id for bodies that name none (no `entry[].id`, no 360dialog `data.id`); never overrides one a body gives. */
  readonly wabaId?: string | undefined;
}

/**
 * The result of {@link safeParseWebhook}: on failure, `events` still holds every event from the
 * parts of the body that were valid.
 *
 * @example
 * ```ts
 * const result: SafeParseResult = safeParseWebhook(body);
 * if (!result.success) console.warn(result.issues);
 * ```
 */
export type SafeParseResult =
  | { readonly success: true; readonly events: CoexistenceEvent[] }
  | { readonly success: false; readonly events: CoexistenceEvent[]; readonly issues: ParseIssue[] };

function newRun(options: ParseOptions | undefined): ParseRun {
  const phoneNumberId = options?.phoneNumberId || undefined;
  const wabaId = options?.wabaId || undefined;
  const fallback = phoneNumberId === undefined && wabaId === undefined ? undefined : { phoneNumberId, wabaId };
  return { events: [], issues: new IssueList(), maxDepth: options?.maxDepth ?? DEFAULT_MAX_DEPTH, fresh: false, fallback };
}

/** Reads and parses a whole body into a run's events and issues. */
function parseBody(body: WebhookBody, options: ParseOptions | undefined): ParseRun {
  const run = newRun(options);
  try {
    const read = readBody(body, options?.maxBytes ?? DEFAULT_MAX_BYTES);
    if (!read.ok) run.issues.push(read.issue);
    else if (!isObject(read.json)) {
      run.issues.push({
        path: "",
        message: `Expected a webhook object (Meta's { object, entry } or 360dialog's { event, data }) but received ${describe(read.json)}.`,
      });
    } else {
      run.fresh = read.fresh;
      checkOwnKeys(read.json, "", run);
      parseEnvelope(read.json, run);
    }
  } catch (error) {
    // The parser is written not to throw; this keeps the promise even for a bug or an exotic input
    // (a getter that throws on an object passed as already-parsed JSON).
    run.issues.push({ path: "", message: `The body could not be parsed: ${error instanceof Error ? error.message : String(error)}` });
  }
  return run;
}

function finish(run: ParseRun): SafeParseResult {
  return run.issues.any ? { success: false, events: run.events, issues: run.issues.toList() } : { success: true, events: run.events };
}

/**
 * Parses a webhook body in Meta's or 360dialog's envelope into typed events, never throwing.
 * One bad change or item never hides the good ones: they are all in `events`, beside the issues.
 *
 * @param body - the raw body (string, `Uint8Array`/`Buffer`, `ArrayBuffer`) or already-parsed JSON.
 * @example
 * ```ts
 * const result = safeParseWebhook(rawBody);
 * for (const event of result.events) handle(event);
 * if (!result.success) for (const issue of result.issues) console.warn(issue.path, issue.message);
 * ```
 */
export function safeParseWebhook(body: WebhookBody, options?: ParseOptions): SafeParseResult {
  return finish(parseBody(body, options));
}

/**
 * Parses a webhook body in Meta's or 360dialog's envelope into typed events.
 *
 * @param body - the raw body (string, `Uint8Array`/`Buffer`, `ArrayBuffer`) or already-parsed JSON.
 * @throws {@link WebhookParseError} listing every issue, when any part of the body is invalid.
 * @example
 * ```ts
 * import { parseWebhook } from "whatsapp-coexistence";
 *
 * for (const event of parseWebhook(rawBody)) {
 *   if (event.type === "ContactAdded") console.log(event.contact.fullName);
 * }
 * ```
 */
export function parseWebhook(body: WebhookBody, options?: ParseOptions): CoexistenceEvent[] {
  const run = parseBody(body, options);
  if (run.issues.any) throw new WebhookParseError(run.issues.toList());
  return run.events;
}

/**
 * One change on its own, as `{ field, value }`, for frameworks that already unwrapped the envelope
 * (Meta's docs show some examples as a bare `value`).
 *
 * @example
 * ```ts
 * const change: WebhookChange = { field: "history", value: { messaging_product: "whatsapp", history: [] } };
 * ```
 */
export interface WebhookChange {
  readonly field: string;
  readonly value: unknown;
}

/**
 * What the envelope would have said about a change parsed on its own.
 *
 * @example
 * ```ts
 * parseChange(change, { wabaId: "102290129340398" });
 * ```
 */
export interface ChangeSource {
  /** The WABA id; events carry no `wabaId` when it is not given. */
  readonly wabaId?: string | undefined;
  /** Default `"meta"`. */
  readonly source?: EventSource | undefined;
  /** 360dialog's delivery id. */
  readonly deliveryId?: string | undefined;
}

/**
 * Parses one change (`{ field, value }`) on its own, never throwing.
 *
 * @example
 * ```ts
 * const { events } = safeParseChange({ field: "smb_app_state_sync", value }, { wabaId: "1029" });
 * ```
 */
export function safeParseChange(change: WebhookChange, source?: ChangeSource, options?: ParseOptions): SafeParseResult {
  const run = newRun(options);
  try {
    if (!isObject(change)) run.issues.push({ path: "", message: "Expected a change object { field, value }." });
    else if (
      change.field === undefined &&
      (change.object !== undefined || Array.isArray(change.entry) || change.event !== undefined || change.data !== undefined)
    ) {
      run.issues.push({
        path: "",
        message: "This is a whole webhook body (Meta's { object, entry } or 360dialog's { event, data }), not one change: use parseWebhook(body).",
      });
    } else if (typeof change.field !== "string" || change.field === "") {
      run.issues.push({ path: "field", message: "Expected the change's field name as a non-empty string." });
    } else if (checkOwnKeys(change, "", run)) {
      const context: ChangeContext = {
        run,
        source: source?.source ?? "meta",
        field: change.field,
        path: "value",
        depth: 1,
        envelopeKeys: [],
        wabaId: source?.wabaId === "" ? undefined : source?.wabaId,
        deliveryId: source?.deliveryId,
      };
      parseChangeValue(change.value, context);
    }
  } catch (error) {
    run.issues.push({ path: "", message: `The change could not be parsed: ${error instanceof Error ? error.message : String(error)}` });
  }
  return finish(run);
}

/**
 * Parses one change (`{ field, value }`) on its own.
 *
 * @throws {@link WebhookParseError} when any part of it is invalid.
 * @example
 * ```ts
 * import { parseChange } from "whatsapp-coexistence";
 *
 * // Meta's docs show the declined-history example as a bare value:
 * const [declined] = parseChange({ field: "history", value: bareValue }, { wabaId: "102290129340398" });
 * ```
 */
export function parseChange(change: WebhookChange, source?: ChangeSource, options?: ParseOptions): CoexistenceEvent[] {
  const result = safeParseChange(change, source, options);
  if (!result.success) throw new WebhookParseError(result.issues);
  return result.events;
}
