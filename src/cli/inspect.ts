/**
 * `inspect <file|-> [file ...]`: the events of one body, or of several, one after the other.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { safeParseWebhook, type BusinessFallback } from "../index.js";
import { readStdin } from "./read-input.js";
import { eventLine, jsonForTerminal, painter, terminalSafe } from "./terminal.js";
import { UsageError } from "./usage.js";

/** Runs `inspect`; resolves to the exit code (1 when any body had an issue). */
export async function inspect(positionals: readonly string[], json: boolean, business: BusinessFallback = {}): Promise<number> {
  if (positionals.length === 0) throw new UsageError("inspect takes a file (or - for standard input).", "inspect");
  if (positionals.includes("-") && positionals.length > 1) throw new UsageError("inspect reads standard input (-) on its own.", "inspect");
  let code = 0;
  for (const path of positionals) {
    let body: string;
    try {
      body = path === "-" ? await readStdin() : readFileSync(path, "utf8");
    } catch (error) {
      throw new UsageError(`Cannot read ${path}: ${(error as Error).message}`, "inspect");
    }
    if (!printBody(body, json, positionals.length > 1 ? `${path}: ` : "", business)) code = 1;
  }
  return code;
}

/** Prints one body's events, then its issues; `false` when it had any. */
function printBody(body: string, json: boolean, issuePrefix: string, business: BusinessFallback): boolean {
  const result = safeParseWebhook(body, business);
  const paint = painter(process.stdout);
  for (const event of result.events) process.stdout.write(`${json ? jsonForTerminal(event) : eventLine(event, paint)}\n`);
  if (result.success) return true;
  const paintError = painter(process.stderr);
  for (const issue of result.issues) {
    process.stderr.write(`${paintError("red", "✗")} ${terminalSafe(`${issuePrefix}${issue.path === "" ? "(body)" : issue.path}: ${issue.message}`)}\n`);
  }
  return false;
}
