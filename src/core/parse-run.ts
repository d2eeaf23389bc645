/**
 * The state of one parse: the events found so far, the issues, and the limits.
 *
 * @module
 */
import * as v from "valibot";
import type { CoexistenceEvent } from "../events/coexistence-event.js";
import { checkHostileInput, forbiddenKeyIssue, isForbiddenKey } from "./hostile-input.js";
import { joinPath } from "./path.js";
import type { IssueList } from "./parse-issue.js";

/** Accumulates what one parse finds. */
export interface ParseRun {
  readonly events: CoexistenceEvent[];
  readonly issues: IssueList;
  readonly maxDepth: number;
  /**
   * Whether the JSON being parsed was parsed from text by this run, so that nothing else refers to
   * it. The parser then lets go of each history message it has read (its array slot is cleared), so
   * that a garbage collection in the middle of a 3 MB body does not copy the part already read.
   * A JSON value the caller passed is never changed.
   */
  fresh: boolean;
  /** The business to name where a body names none (the parse options' `phoneNumberId` and `wabaId`). */
  readonly fallback: BusinessFallback | undefined;
}

/**
 * The business a body is about, for bodies that do not name it (partner forwards without
 * `metadata`): used only where the body names none, never over what it says.
 *
 * @example
 * ```ts
 * const fallback: BusinessFallback = { phoneNumberId: "106540352242922", wabaId: "102290129340398" };
 * ```
 */
export interface BusinessFallback {
  readonly phoneNumberId?: string | undefined;
  readonly wabaId?: string | undefined;
}

/**
 * Whether a value is a plain JSON object (not an array, not null).
 *
 * @example
 * ```ts
 * isObject({}); // true
 * isObject([]); // false
 * ```
 */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks an object's own keys (not its children) for forbidden names, reporting each.
 *
 * @returns `true` when none was found.
 */
export function checkOwnKeys(value: Record<string, unknown>, path: string, run: ParseRun): boolean {
  let clean = true;
  for (const key in value) {
    if (isForbiddenKey(key)) {
      run.issues.push(forbiddenKeyIssue(joinPath(path, key), key));
      clean = false;
    }
  }
  return clean;
}

/**
 * Validates one part of a body with a schema, after checking it for hostile keys and depth.
 * Problems become issues with full paths.
 *
 * @param skipKey - a key of `input` left out of the hostile-input walk (checked separately by the caller).
 * @returns the output, or `undefined` when the part is invalid.
 */
export function runSchema<TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
  path: string,
  depth: number,
  run: ParseRun,
  skipKey?: string,
): v.InferOutput<TSchema> | undefined {
  if (!checkHostileInput(input, path, depth, run.maxDepth, run.issues, skipKey)) return undefined;
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  reportIssues(path, result.issues, run);
  return undefined;
}

/** Reports a schema's issues, each with its full path from the body's root. */
export function reportIssues(path: string, issues: readonly v.BaseIssue<unknown>[], run: ParseRun): void {
  for (const issue of issues) run.issues.push({ path: issuePath(path, issue), message: issue.message });
}

function issuePath(path: string, issue: v.BaseIssue<unknown>): string {
  let out = path;
  for (const item of issue.path ?? []) {
    const key = item.key;
    if (typeof key === "number" || typeof key === "string") out = joinPath(out, key);
  }
  return out;
}
