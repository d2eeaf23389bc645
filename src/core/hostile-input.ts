/**
 * Defences against hostile bodies: keys that could reach an object's prototype, and nesting deep
 * enough to exhaust a stack.
 *
 * @module
 */
import { joinPath } from "./path.js";
import type { IssueSink, ParseIssue } from "./parse-issue.js";

/**
 * The default for {@link ParseOptions.maxDepth}: far deeper than any real webhook (about 20).
 *
 * @example
 * ```ts
 * parseWebhook(body, { maxDepth: DEFAULT_MAX_DEPTH });
 * ```
 */
export const DEFAULT_MAX_DEPTH = 64;

/**
 * Whether a key is one that prototype-pollution attacks use (`__proto__`, `constructor`, `prototype`).
 *
 * @example
 * ```ts
 * isForbiddenKey("__proto__"); // true
 * isForbiddenKey("body"); // false
 * ```
 */
export function isForbiddenKey(key: string): boolean {
  return key === "__proto__" || key === "constructor" || key === "prototype";
}

const TOO_DEEP = "The body is nested deeper than";

/** The issue text for a forbidden key, shared so every part of the parser words it the same way. */
export function forbiddenKeyIssue(path: string, key: string): ParseIssue {
  return { path, message: `The key "${key}" is not allowed in a webhook body (it is used for prototype pollution).` };
}

/** What {@link hostileVerdict} found: nothing, forbidden keys only, or nesting too deep to walk. */
export type HostileVerdict = "clean" | "forbidden-keys" | "too-deep";

/**
 * Walks a value without recursion and reports every forbidden key and any nesting deeper than
 * `maxDepth` (counted from the body's root, where `depth` is the value's own depth).
 *
 * @param skipKey - a key of the top object that is not walked (its caller checks it on its own).
 * @returns `"clean"`, `"forbidden-keys"` (each reported), or `"too-deep"` (reported; the value
 *   cannot be walked safely).
 * @example
 * ```ts
 * const issues: ParseIssue[] = [];
 * hostileVerdict(JSON.parse('{"a":{"__proto__":{}}}'), "value", 3, 64, issues); // "forbidden-keys"
 * issues[0]?.path; // "value.a.__proto__"
 * ```
 */
export function hostileVerdict(value: unknown, path: string, depth: number, maxDepth: number, issues: IssueSink, skipKey?: string): HostileVerdict {
  let verdict: HostileVerdict = "clean";
  // Paths are built only for an issue: each node remembers its parent and its key.
  const root: Node = { value, depth, parent: undefined, key: undefined };
  const stack: Node[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const current = node.value;
    if (current === null || typeof current !== "object") continue;
    if (node.depth > maxDepth) {
      issues.push({ path: pathOf(node, path), message: `${TOO_DEEP} ${maxDepth} levels.` });
      verdict = "too-deep";
      continue;
    }
    if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) {
        const child = current[index];
        if (child !== null && typeof child === "object") stack.push({ value: child, depth: node.depth + 1, parent: node, key: index });
      }
      continue;
    }
    for (const key in current) {
      if (isForbiddenKey(key)) {
        issues.push(forbiddenKeyIssue(joinPath(pathOf(node, path), key), key));
        if (verdict === "clean") verdict = "forbidden-keys";
      } else if (key === skipKey && node === root) continue;
      else {
        const child = (current as Record<string, unknown>)[key];
        if (child !== null && typeof child === "object") stack.push({ value: child, depth: node.depth + 1, parent: node, key });
      }
    }
  }
  return verdict;
}

/**
 * {@link hostileVerdict}, as a yes or no: whether the value is clean (every problem is reported).
 *
 * @example
 * ```ts
 * checkHostileInput({ a: 1 }, "value", 3, 64, []); // true
 * ```
 */
export function checkHostileInput(value: unknown, path: string, depth: number, maxDepth: number, issues: IssueSink, skipKey?: string): boolean {
  return hostileVerdict(value, path, depth, maxDepth, issues, skipKey) === "clean";
}

interface Node {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Node | undefined;
  readonly key: string | number | undefined;
}

function pathOf(node: Node, rootPath: string): string {
  const keys: (string | number)[] = [];
  for (let current: Node | undefined = node; current?.key !== undefined; current = current.parent) keys.push(current.key);
  let path = rootPath;
  for (let index = keys.length - 1; index >= 0; index--) path = joinPath(path, keys[index] as string | number);
  return path;
}
