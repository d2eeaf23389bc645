/**
 * The shape of every problem the parser reports, and the list a parse keeps them in.
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

/**
 * How many issues one parse lists; the rest are counted, and a last issue says how many more
 * there were (a hostile body of a million bad items must not cost a million issue objects).
 *
 * @example
 * ```ts
 * safeParseWebhook(hostileBody).issues.length <= MAX_ISSUES + 1; // true
 * ```
 */
export const MAX_ISSUES = 100;

/**
 * The issues of one parse: the first {@link MAX_ISSUES}, and a count of the rest. A plain class (not
 * an `Array` subclass, whose construction is slow), made once per parse.
 */
export class IssueList implements IssueSink {
  /** Made at the first issue: most parses have none. */
  private kept: ParseIssue[] | undefined;
  /** Issues beyond the first {@link MAX_ISSUES}, counted but not kept. */
  dropped = 0;

  /** Keeps an issue while there is room; counts it otherwise. */
  push(issue: ParseIssue): number {
    const kept = (this.kept ??= []);
    if (kept.length < MAX_ISSUES) kept.push(issue);
    else this.dropped++;
    return kept.length;
  }

  /** Whether any issue was found (kept or counted). */
  get any(): boolean {
    return this.kept !== undefined;
  }

  /** The issues as a plain array, with a last one saying how many more there were. */
  toList(): ParseIssue[] {
    const list = this.kept?.slice() ?? [];
    if (this.dropped > 0) list.push({ path: "", message: `…and ${this.dropped} more issues (only the first ${MAX_ISSUES} are listed).` });
    return list;
  }
}
