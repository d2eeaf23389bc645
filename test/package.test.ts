/**
 * The built package, as users get it: imported by name (Node's self-reference through `exports`)
 * from ESM and from CommonJS, in fresh processes. `npm test` builds before it runs this.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseWebhook } from "../src/index.js";
import { FIXTURES_DIR, fixtureText } from "./support/fixtures.js";
// @ts-expect-error: a plain script, without types
import { BUDGETS, bundleSize } from "../scripts/size.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FIXTURE = `${FIXTURES_DIR}meta/mixed-batch.json`;

function run(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
}

describe("the built package", () => {
  it("has been built (npm test runs the build first)", () => {
    expect(existsSync(`${ROOT}dist/index.js`) && existsSync(`${ROOT}dist/index.cjs`), "run `npm run build` first").toBe(true);
    expect(existsSync(`${ROOT}dist/index.d.ts`) && existsSync(`${ROOT}dist/index.d.cts`)).toBe(true);
  });

  it("imports from ESM and parses like the source", () => {
    const script = `import { parseWebhook, WebhookParseError } from "whatsapp-coexistence";
      import { readFileSync } from "node:fs";
      const events = parseWebhook(readFileSync(${JSON.stringify(FIXTURE)}));
      let error; try { parseWebhook("{}"); } catch (e) { error = e; }
      console.log(JSON.stringify({ events, isError: error instanceof WebhookParseError && error instanceof Error, name: error.name }));`;
    const out = JSON.parse(run(["--input-type=module", "-e", script]));
    expect(out.events).toEqual(parseWebhook(fixtureText("meta/mixed-batch.json")));
    expect(out).toMatchObject({ isError: true, name: "WebhookParseError" });
  });

  it("requires from CommonJS and parses like the source", () => {
    const script = `const { parseWebhook, safeParseWebhook } = require("whatsapp-coexistence");
      const { readFileSync } = require("node:fs");
      console.log(JSON.stringify({ events: parseWebhook(readFileSync(${JSON.stringify(FIXTURE)}, "utf8")), safe: safeParseWebhook("nope").success }));`;
    const out = JSON.parse(run(["-e", script]));
    expect(out.events).toEqual(parseWebhook(fixtureText("meta/mixed-batch.json")));
    expect(out.safe).toBe(false);
  });

  it("keeps PostgreSQL out of the main entry and serves it from the subpath, both ways", () => {
    const esm = run([
      "--input-type=module",
      "-e",
      `import * as main from "whatsapp-coexistence"; import * as pg from "whatsapp-coexistence/postgres"; console.log(JSON.stringify([Object.keys(main).includes("createPostgresStore"), typeof pg.createPostgresStore]))`,
    ]);
    expect(JSON.parse(esm)).toEqual([false, "function"]);
    const cjs = run(["-e", `console.log(typeof require("whatsapp-coexistence/postgres").createPostgresStore)`]);
    expect(cjs.trim()).toBe("function");
  });

  it("emits one ESM file per module, so an app's bundler keeps only what it imports", () => {
    for (const module of ["dist/index.js", "dist/receiving/verify-signature.js", "dist/book/apply-event.js", "dist/postgres/index.js"]) {
      expect(existsSync(`${ROOT}${module}`), module).toBe(true);
    }
  });

  it.each(BUDGETS as { name: string; code: string; budget: number }[])(
    "size gate: $name stays within its budget (esbuild, min+gz)",
    async ({ code, budget }) => {
      const { gzip } = (await bundleSize(code)) as { gzip: number };
      expect(gzip).toBeLessThanOrEqual(budget);
      expect(gzip).toBeGreaterThan(300); // a real bundle, not an empty one
    },
  );

  it("ships only the build and the docs", () => {
    const [pack] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: ROOT, encoding: "utf8" })) as {
      files: { path: string }[];
    }[];
    const paths = pack!.files.map((file) => file.path).sort();
    expect(paths).toContain("dist/index.js");
    expect(paths).toContain("dist/index.cjs");
    expect(paths).toContain("README.md");
    expect(paths.filter((path) => !/^(dist\/|postgres\/package\.json$|README\.md$|CHANGELOG\.md$|LICENSE$|package\.json$)/.test(path))).toEqual([]);
  });
});
