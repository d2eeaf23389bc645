// npm run bench: every benchmark, each printed as ratios against a baseline measured in the same run.
import { runParseBench } from "./parse.bench.mjs";

console.log(`whatsapp-coexistence benchmarks (node ${process.version}, ${new Date().toISOString()})`);
for (const result of runParseBench()) console.log(result);
