// The npm registry these machines reach lacks some platform-specific optional packages (for example
// @deno/darwin-arm64), so `npm install` leaves them out of package-lock.json and `npm ci` then
// refuses the lockfile. This adds a stub entry (version, os, cpu; optional) for each missing one:
// npm skips them on other platforms, and fetches them normally where the registry has them.
// Run after `npm install`: `npm run lockfile:stubs`.
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const packages = lock.packages;
const OS = [
  ["darwin", "darwin"],
  ["linux", "linux"],
  ["win32", "win32"],
  ["windows", "win32"],
  ["freebsd", "freebsd"],
  ["android", "android"],
];
const CPU = [
  ["aarch64", "arm64"],
  ["arm64", "arm64"],
  ["x64", "x64"],
  ["x86_64", "x64"],
  ["-64", "x64"],
];

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${location}/node_modules/${name}`;
    const top = `node_modules/${name}`;
    if (packages[nested] !== undefined || packages[top] !== undefined) continue;
    const os = OS.find(([token]) => name.includes(token))?.[1];
    const cpu = CPU.find(([token]) => name.includes(token))?.[1];
    if (os === undefined || cpu === undefined) throw new Error(`cannot tell the platform of ${name}; add its lockfile entry by hand`);
    const stub = { version, cpu: [cpu], optional: true, os: [os] };
    if (entry.dev) stub.dev = true;
    if (name.includes("glibc")) stub.libc = ["glibc"];
    if (name.includes("musl")) stub.libc = ["musl"];
    packages[top] = stub;
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lockfile: ${added} platform stub${added === 1 ? "" : "s"} added`);
