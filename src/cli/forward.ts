/**
 * `serve --forward-to URL`: each accepted delivery, once verified and acknowledged, is sent on to
 * the developer's app as it came (its body byte for byte, its signature), or signed again with
 * the app's own secret (`--forward-secret`), and the app's answer is kept beside the delivery.
 *
 * @module
 */
import { signPayload } from "../index.js";

/** What the app answered to a forwarded delivery (or why it could not be reached). */
export interface ForwardResult {
  readonly to: string;
  /** The app's HTTP status; absent when it could not be reached. */
  readonly status?: number;
  /** The start of the app's answer (at most 300 characters). */
  readonly answer?: string;
  /** Milliseconds from sending to the app's answer. */
  readonly ms: number;
  /** Why the app could not be reached (refused, timed out). */
  readonly error?: string;
}

/** How to forward. */
export interface ForwardOptions {
  readonly to: string;
  /** Sign the body with this secret instead of passing the delivery's own signature on. */
  readonly secret?: string | undefined;
  /** Give up on the app after this many milliseconds. Default 10 s. */
  readonly timeoutMs?: number;
  /** The fetch to use (tests inject theirs). */
  readonly fetch?: typeof fetch;
}

const MAX_ANSWER = 300;

/**
 * Sends one delivery's body to the app, with its content type and its signature (the delivery's
 * own, or one made with `options.secret`). Never throws: an app that cannot be reached is a result.
 *
 * @param headers - the delivery's request headers (lowercase names).
 */
export async function forwardDelivery(
  body: Uint8Array,
  headers: Readonly<Record<string, string | undefined>>,
  options: ForwardOptions,
): Promise<ForwardResult> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const signature = options.secret === undefined ? headers["x-hub-signature-256"] : await signPayload(body, options.secret);
    const sent: Record<string, string> = {
      "content-type": headers["content-type"] ?? "application/json",
      "user-agent": "whatsapp-coexistence serve (forwarding)",
    };
    if (signature !== undefined) sent["x-hub-signature-256"] = signature;
    const response = await (options.fetch ?? fetch)(options.to, {
      method: "POST",
      headers: sent,
      body: body as Uint8Array<ArrayBuffer>,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    return { to: options.to, status: response.status, answer: text.length > MAX_ANSWER ? `${text.slice(0, MAX_ANSWER)}…` : text, ms: ms() };
  } catch (error) {
    const reason = (error as Error).name === "TimeoutError" ? "no answer in time" : ((error as { cause?: Error }).cause?.message ?? (error as Error).message);
    return { to: options.to, ms: ms(), error: reason };
  }
}
