/**
 * The error type every parsing function reports problems with.
 *
 * @module
 */

import type { ParseIssue } from "../core/parse-issue.js";

export type { ParseIssue } from "../core/parse-issue.js";

/**
 * Thrown by {@link parseWebhook} and {@link parseChange} when a body (or part of it) is not a valid webhook.
 * `issues` lists every problem found, each with the path to the bad place.
 *
 * @example
 * ```ts
 * try {
 *   parseWebhook("not json");
 * } catch (error) {
 *   if (error instanceof WebhookParseError) console.error(error.issues);
 * }
 * ```
 */
export class WebhookParseError extends Error {
  /** Every problem found, in body order. Never empty. */
  readonly issues: readonly ParseIssue[];

  /**
   * @param issues - the problems found; the message summarises them.
   * @param options - the standard `cause`.
   */
  constructor(issues: readonly ParseIssue[], options?: { cause?: unknown }) {
    super(summarise(issues), options);
    this.name = "WebhookParseError";
    this.issues = issues;
  }
}

function summarise(issues: readonly ParseIssue[]): string {
  const first = issues[0];
  if (first === undefined) return "Invalid webhook body.";
  const where = first.path === "" ? "" : ` at ${first.path}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? "s" : ""})` : "";
  return `Invalid webhook body${where}: ${first.message}${more}`;
}
