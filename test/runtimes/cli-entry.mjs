// Entry for Node, Bun and Deno: reads the fixtures file named on the command line, runs the
// checks against the built package, prints the results as JSON.
import { readFile } from "node:fs/promises";
import * as library from "../../dist/index.js";
import { runChecks } from "./checks.mjs";

const args = globalThis.Deno?.args ?? process.argv.slice(2);
const fixtures = JSON.parse(await readFile(args[0], "utf8"));
const runtime = globalThis.Deno ? "deno" : globalThis.Bun ? "bun" : "node";
console.log(JSON.stringify({ runtime, results: await runChecks(library, fixtures) }));
