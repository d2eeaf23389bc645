/**
 * Reading bodies from files, folders and standard input.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { UsageError } from "./usage.js";

/** One webhook body and where it came from (`file` or `file:line`). */
export interface SourcedBody {
  readonly source: string;
  readonly body: string;
}

/** Reads all of standard input. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function filesIn(path: string): string[] {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats === undefined) throw new UsageError(`No such file or folder: ${path}`, "replay");
  if (stats.isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return filesIn(child);
      return [".json", ".ndjson"].includes(extname(entry.name)) ? [child] : [];
    });
}

/** Every body in the given files and folders: a `.json` file is one body, an `.ndjson` line is one. */
export function* bodiesIn(paths: readonly string[]): Generator<SourcedBody> {
  for (const file of paths.flatMap(filesIn)) {
    const text = readFileSync(file, "utf8");
    if (extname(file) !== ".ndjson") {
      yield { source: file, body: text };
      continue;
    }
    const lines = text.split("\n");
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index] as string;
      if (line.trim() !== "") yield { source: `${file}:${index + 1}`, body: line };
    }
  }
}
