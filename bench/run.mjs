// npm run bench: every benchmark, each printed as ratios against a baseline measured in the same run.
import { runBookBench, runIdentityBench, runTimelineMemoryBench } from "./book.bench.mjs";
import { runParseBench } from "./parse.bench.mjs";
import { runPostgresBench } from "./postgres.bench.mjs";
import { runReceiveBench } from "./receive.bench.mjs";
import { runFloodBench } from "./flood.bench.mjs";
import { runScaleBench } from "./scale.bench.mjs";

const only = process.argv[2];
console.log(`whatsapp-coexistence benchmarks (node ${process.version}, ${new Date().toISOString()})`);
if (only === undefined || only === "parse") for (const result of runParseBench()) console.log(result);
if (only === undefined || only === "book") for (const result of runBookBench()) console.log(result);
if (only === undefined || only === "book" || only === "memory") for (const result of runTimelineMemoryBench()) console.log(result);
if (only === undefined || only === "book" || only === "identity") for (const result of runIdentityBench()) console.log(result);
if (only === undefined || only === "receive") for (const result of await runReceiveBench()) console.log(result);
if (only === undefined || only === "receive" || only === "flood") for (const result of await runFloodBench()) console.log(result);
if (only === undefined || only === "postgres") for (const result of await runPostgresBench()) console.log(result);
if (only === undefined || only === "scale") for (const result of await runScaleBench()) console.log(result);
