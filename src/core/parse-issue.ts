/**
 * The shape of every problem the parser reports.
 *
 * @module
 */

/**
 * One problem found in a webhook body.
 *
 * @example
 * ```ts
 * const issue: ParseIssue = {
 *   path: "entry[0].changes[1].value.state_sync[2].action",
 *   message: 'Expected "add" or "remove" but received "edit".',
 * };
 * ```
 */
export interface ParseIssue {
  /** Where the problem is, written like a JavaScript accessor: `entry[0].changes[1].value`. `""` is the whole body. */
  readonly path: string;
  /** What is wrong, in words a person understands. */
  readonly message: string;
}

/**
 * Where problems are reported: anything with a `push` (a plain array in tests, an `IssueList`
 * in a parse).
 *
 * @example
 * ```ts
 * const sink: IssueSink = [];
 * ```
 */
export interface IssueSink {
  push(issue: ParseIssue): unknown;
}
