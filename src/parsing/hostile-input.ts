/**
 * Defences against hostile bodies: keys that could reach an object's prototype, and nesting deep
 * enough to exhaust a stack.
 *
 * @module
 */
import { joinPath } from "./path.js";
import type { ParseIssue } from "./webhook-parse-error.js";

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

/**
 * Whether an issue is about nesting depth (a structure too deep to walk safely), rather than a
 * forbidden key (which can be left out).
 *
 * @example
 * ```ts
 * isDepthIssue({ path: "entry[0]", message: "The body is nested deeper than 64 levels." }); // true
 * ```
 */
export function isDepthIssue(issue: ParseIssue): boolean {
  return issue.message.startsWith(TOO_DEEP);
}

/** The issue text for a forbidden key, shared so every part of the parser words it the same way. */
export function forbiddenKeyIssue(path: string, key: string): ParseIssue {
  return { path, message: `The key "${key}" is not allowed in a webhook body (it is used for prototype pollution).` };
}

/**
 * Walks a value without recursion and reports every forbidden key and any nesting deeper than
 * `maxDepth` (counted from the body's root, where `depth` is the value's own depth).
 *
 * @param skipKey - a key of the top object that is not walked (its caller checks it on its own).
 * @returns `true` when the value is clean.
 * @example
 * ```ts
 * const issues: ParseIssue[] = [];
 * checkHostileInput(JSON.parse('{"a":{"__proto__":{}}}'), "value", 3, 64, issues); // false
 * issues[0]?.path; // "value.a.__proto__"
 * ```
 */
export function checkHostileInput(
  value: unknown,
  path: string,
  depth: number,
  maxDepth: number,
  issues: ParseIssue[],
  skipKey?: string,
): boolean {
  const before = issues.length;
  // Paths are built only for an issue: each node remembers its parent and its key.
  const root: Node = { value, depth, parent: undefined, key: undefined };
  const stack: Node[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const current = node.value;
    if (current === null || typeof current !== "object") continue;
    if (node.depth > maxDepth) {
      issues.push({ path: pathOf(node, path), message: `${TOO_DEEP} ${maxDepth} levels.` });
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
      if (isForbiddenKey(key)) issues.push(forbiddenKeyIssue(joinPath(pathOf(node, path), key), key));
      else if (key === skipKey && node === root) continue;
      else {
        const child = (current as Record<string, unknown>)[key];
        if (child !== null && typeof child === "object") stack.push({ value: child, depth: node.depth + 1, parent: node, key });
      }
    }
  }
  return issues.length === before;
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
