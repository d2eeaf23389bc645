/**
 * Starting the syncs: after a business onboards, the provider has 24 hours to ask Meta, once each,
 * for the address book (`smb_app_state_sync`) and the chat history (`history`), by
 * `POST /{phone-number-id}/smb_app_data`. Web `fetch` only, injectable.
 *
 * @module
 */

/**
 * What to ask for, and with what.
 *
 * @example
 * ```ts
 * const options: RequestSyncOptions = { phoneNumberId: "106540352242922", accessToken: process.env.BUSINESS_TOKEN!, syncType: "history" };
 * ```
 */
export interface RequestSyncOptions {
  /** The business number's id. */
  readonly phoneNumberId: string;
  /** The business's access token (from Embedded Signup's code exchange). */
  readonly accessToken: string;
  /** `smb_app_state_sync` (the address book) first, then `history`. */
  readonly syncType: "smb_app_state_sync" | "history";
  /** The Graph API version. Default `v23.0`. */
  readonly graphVersion?: string | undefined;
  /** A `fetch` of your own (tests, proxies). Default the global `fetch`. */
  readonly fetch?: typeof fetch | undefined;
  /** The Graph API's origin. Default `https://graph.facebook.com` (a local fake in tests). */
  readonly baseUrl?: string | undefined;
}

/**
 * What Meta answered: the id of the request (the webhooks follow).
 *
 * @example
 * ```ts
 * const { requestId } = await requestSync(options);
 * ```
 */
export interface SyncRequested {
  readonly requestId: string;
}

/**
 * Why a sync could not be requested, and what to do:
 * - `already-requested`: each sync can be requested once per onboarding; the webhooks are coming
 *   (or came). Nothing to do.
 * - `window-expired`: the 24 hours after onboarding have passed; the business must onboard again.
 * - `invalid-token`: the access token is wrong, expired or lacks permission (Graph code 190, or a
 *   401/403): exchange the signup code again.
 * - `not-coexistence`: the number is not a WhatsApp Business app number onboarded for coexistence.
 * - `graph-error`: any other answer (kept whole in `graphError`).
 * - `network`: Meta could not be reached.
 *
 * Meta documents the rules, not the error codes of each case: the reason is read from the code and
 * the message as they are seen in practice, and the Graph error is always kept.
 *
 * @example
 * ```ts
 * const reason: SyncFailure = "already-requested";
 * ```
 */
export type SyncFailure = "already-requested" | "window-expired" | "invalid-token" | "not-coexistence" | "graph-error" | "network";

/**
 * Graph's error object: `{ message, type, code, error_subcode, fbtrace_id, ... }`.
 *
 * @example
 * ```ts
 * const error: GraphError = { message: "Invalid OAuth access token.", type: "OAuthException", code: 190 };
 * ```
 */
export interface GraphError {
  readonly message?: string;
  readonly type?: string;
  readonly code?: number;
  readonly error_subcode?: number;
  readonly fbtrace_id?: string;
  readonly [key: string]: unknown;
}

const ADVICE: Readonly<Record<SyncFailure, string>> = {
  "already-requested": "it was requested already (once per onboarding): its webhooks are on their way, nothing to do",
  "window-expired": "the 24 hours after onboarding have passed: the business must onboard again to share it",
  "invalid-token": "the access token is invalid, expired or lacks whatsapp_business_management: exchange the signup code for a new one",
  "not-coexistence": "the number is not a WhatsApp Business app number onboarded for coexistence",
  "graph-error": "Meta refused the request",
  network: "Meta could not be reached: retry",
};

/**
 * A sync request Meta refused, or could not receive: `reason` says which, and what to do.
 *
 * @example
 * ```ts
 * try { await requestSync(options); } catch (error) { if (error instanceof SyncRequestError && error.reason === "already-requested") return; throw error; }
 * ```
 */
export class SyncRequestError extends Error {
  /**
   * @param reason - why, in one word.
   * @param status - the HTTP status (absent for `network`).
   * @param graphError - Graph's error object, as received.
   */
  constructor(
    readonly reason: SyncFailure,
    readonly syncType: RequestSyncOptions["syncType"],
    readonly status?: number,
    readonly graphError?: GraphError,
    options?: { cause?: unknown },
  ) {
    super(`requestSync(${syncType}): ${ADVICE[reason]}${graphError?.message === undefined ? "" : ` (Meta said: ${graphError.message})`}.`, options);
    this.name = "SyncRequestError";
  }
}

/** Reads the reason from Graph's answer. */
function failureOf(status: number, error: GraphError | undefined): SyncFailure {
  const message = (error?.message ?? "").toLowerCase();
  // Graph names many errors OAuthException (even code 100): the token is to blame for code 190, or a 401 or 403.
  if (error?.code === 190 || status === 401 || status === 403) return "invalid-token";
  if (message.includes("already")) return "already-requested";
  if (/24[- ]?hour|window|expired|re-?onboard/.test(message)) return "window-expired";
  if (message.includes("coexistence") || message.includes("business app")) return "not-coexistence";
  return "graph-error";
}

/**
 * Asks Meta to send a coexistence sync: `POST /{phone-number-id}/smb_app_data` with
 * `{ messaging_product: "whatsapp", sync_type }`. Request `smb_app_state_sync`, then `history`,
 * each once, within 24 hours of onboarding; the webhooks then arrive on their fields.
 *
 * @returns the request's id.
 * @throws {@link SyncRequestError} with the reason (`already-requested`, `window-expired`,
 *   `invalid-token`, `not-coexistence`, `graph-error`, `network`) and what to do.
 * @example
 * ```ts
 * import { requestSync } from "whatsapp-coexistence";
 *
 * for (const syncType of ["smb_app_state_sync", "history"] as const) {
 *   const { requestId } = await requestSync({ phoneNumberId: "106540352242922", accessToken: businessToken, syncType });
 *   console.log(syncType, requestId);
 * }
 * ```
 */
export async function requestSync(options: RequestSyncOptions): Promise<SyncRequested> {
  const { phoneNumberId, accessToken, syncType } = options;
  if (typeof phoneNumberId !== "string" || !/^\d+$/.test(phoneNumberId))
    throw new TypeError(`requestSync: phoneNumberId must be the business number's id (digits), not ${JSON.stringify(phoneNumberId)}.`);
  if (typeof accessToken !== "string" || accessToken === "") throw new TypeError("requestSync: accessToken is empty (an unset environment variable?).");
  if (syncType !== "smb_app_state_sync" && syncType !== "history")
    throw new TypeError(`requestSync: syncType must be "smb_app_state_sync" or "history", not ${JSON.stringify(syncType)}.`);
  const base = (options.baseUrl ?? "https://graph.facebook.com").replace(/\/+$/, "");
  const url = `${base}/${options.graphVersion ?? "v23.0"}/${phoneNumberId}/smb_app_data`;
  const send = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await send(url, {
      method: "POST",
      headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
      body: JSON.stringify({ messaging_product: "whatsapp", sync_type: syncType }),
    });
  } catch (error) {
    throw new SyncRequestError("network", syncType, undefined, undefined, { cause: error });
  }
  let answer: { request_id?: unknown; error?: GraphError } | undefined;
  try {
    answer = (await response.json()) as typeof answer;
  } catch {
    answer = undefined;
  }
  if (response.ok && typeof answer?.request_id === "string") return { requestId: answer.request_id };
  throw new SyncRequestError(response.ok ? "graph-error" : failureOf(response.status, answer?.error), syncType, response.status, answer?.error);
}
