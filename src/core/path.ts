/**
 * Paths to places in a body, written like JavaScript accessors (`entry[0].changes[1].value`).
 *
 * @module
 */

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Appends an object key or array index to a path.
 *
 * @example
 * ```ts
 * joinPath("entry[0]", "changes"); // "entry[0].changes"
 * joinPath("entry", 0); // "entry[0]"
 * ```
 */
export function joinPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  if (IDENTIFIER.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}
