// npm run mutation -- <part>: StrykerJS over one part of the library with that part's tests
// (mutation/stryker.<part>.json); `all` is every part with the in-process suites (hours on 2 cores).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

const parts = readdirSync(new URL("../mutation/", import.meta.url))
  .map((name) => /^stryker\.(\w+)\.json$/.exec(name)?.[1])
  .filter((part) => part !== undefined)
  .sort();
const part = process.argv[2];
if (part === undefined || !parts.includes(part)) {
  console.error(`Usage: npm run mutation -- <part>, one of: ${parts.join(", ")}`);
  process.exit(part === undefined ? 0 : 2);
}
const result = spawnSync("npx", ["stryker", "run", `mutation/stryker.${part}.json`], { stdio: "inherit" });
process.exit(result.status ?? 1);
