/**
 * Sending a kept delivery again (the inspector's replay, as ngrok's): to `serve` itself or to the
 * app `serve` forwards to, byte for byte with the headers it came with; and the same as a `curl`
 * command to copy.
 *
 * @module
 */

/** The request headers a delivery keeps (what a replay needs, and what the inspector shows): never cookies or credentials. */
export const KEPT_HEADERS = ["content-type", "content-length", "user-agent", "x-hub-signature-256", "x-forwarded-for"] as const;

/** The kept headers of a request, lowercase names. */
export function keptHeaders(header: (name: string) => string | string[] | undefined): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = header(name);
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) kept[name] = first;
  }
  return kept;
}

/** A shell word: single-quoted, with any single quote closed, escaped and reopened. */
function shellWord(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * A `curl` command that sends a body again, byte for byte, with its headers (the signature among
 * them): the body is printed by the shell's `printf '%s'` from one single-quoted word, which adds
 * nothing (no trailing newline) and interprets nothing.
 *
 * @example
 * ```ts
 * curlCommand("http://127.0.0.1:3000/webhook", { "x-hub-signature-256": "sha256=..." }, body);
 * ```
 */
export function curlCommand(url: string, headers: Readonly<Record<string, string>>, body: string): string {
  const flags = Object.entries(headers)
    .filter(([name]) => name !== "content-length" && name !== "x-forwarded-for")
    .map(([name, value]) => ` \\\n  -H ${shellWord(`${name}: ${value}`)}`)
    .join("");
  return `printf '%s' ${shellWord(body)} | curl -sS -X POST ${shellWord(url)}${flags} \\\n  --data-binary @-\n`;
}
