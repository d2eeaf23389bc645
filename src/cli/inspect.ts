/**
 * `inspect <file|->`: the events of one body.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { safeParseWebhook } from "../index.js";
import { readStdin } from "./read-input.js";
import { eventLine, painter } from "./terminal.js";
import { UsageError } from "./usage.js";

/** Runs `inspect`; resolves to the exit code. */
export async function inspect(positionals: readonly string[], json: boolean): Promise<number> {
  if (positionals.length !== 1) throw new UsageError("inspect takes exactly one file (or - for standard input).", "inspect");
  const [path] = positionals as [string];
  let body: string;
  try {
    body = path === "-" ? await readStdin() : readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`Cannot read ${path}: ${(error as Error).message}`, "inspect");
  }
  const result = safeParseWebhook(body);
  const paint = painter(process.stdout);
  for (const event of result.events) process.stdout.write(`${json ? JSON.stringify(event) : eventLine(event, paint)}\n`);
  if (result.success) return 0;
  const paintError = painter(process.stderr);
  for (const issue of result.issues) process.stderr.write(`${paintError("red", "✗")} ${issue.path === "" ? "(body)" : issue.path}: ${issue.message}\n`);
  return 1;
}
