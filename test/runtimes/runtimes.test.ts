/**
 * The parser, the signature checks and the fetch handler on Bun, Deno and Cloudflare's workerd
 * (through Miniflare), each installed from npm; their results must equal Node's. Also the
 * Cloudflare Worker example answers a signed POST inside Miniflare. Needs the build (`npm test`
 * builds first).
 */
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as library from "../../src/index.js";
import { validBodies } from "../support/fixtures.js";
import { runChecks } from "./checks.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "node_modules", ".bin");
const ENTRY = fileURLToPath(new URL("./cli-entry.mjs", import.meta.url));
const fixtures = validBodies();
let work: string;
let input: string;
let expected: unknown;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "runtimes-"));
  input = join(work, "fixtures.json");
  writeFileSync(input, JSON.stringify(fixtures));
  expected = JSON.parse(JSON.stringify(await runChecks(library, fixtures)));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function runCli(command: string, args: string[]): { runtime: string; results: unknown } {
  const output = execFileSync(join(BIN, command), args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", DENO_DIR: join(work, "deno"), BUN_INSTALL_CACHE_DIR: join(work, "bun") },
    timeout: 60_000,
  });
  return JSON.parse(output.trim().split("\n").at(-1) as string);
}

async function bundle(entry: string, name: string): Promise<string> {
  const outfile = join(work, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    outfile,
    alias: { "whatsapp-coexistence": join(ROOT, "dist", "index.js") },
    logLevel: "silent",
  });
  return outfile;
}

describe("other runtimes give Node's results", () => {
  it("the checks are meaningful", () => {
    expect(expected).toMatchObject({
      handler: { accepted: [200, expect.any(Number)], forged: 401, handshake: [200, "42"], large: 413 },
      vectors: { cafe: true, malformed: false },
    });
  });

  it("Bun", () => {
    const out = runCli("bun", ["run", ENTRY, input]);
    expect(out.runtime).toBe("bun");
    expect(out.results).toEqual(expected);
  });

  it("Deno", () => {
    const out = runCli("deno", ["run", "--quiet", "--no-prompt", "--allow-read", "--allow-env", ENTRY, input]);
    expect(out.runtime).toBe("deno");
    expect(out.results).toEqual(expected);
  });

  it("workerd (Miniflare)", async () => {
    const script = await bundle(fileURLToPath(new URL("./worker-entry.mjs", import.meta.url)), "worker-checks");
    const miniflare = new Miniflare({ modules: true, scriptPath: script, modulesRoot: work, compatibilityDate: "2025-01-01" });
    try {
      const response = await miniflare.dispatchFetch("http://localhost/", { method: "POST", body: JSON.stringify(fixtures) });
      const out = (await response.json()) as { runtime: string; results: unknown };
      expect(out.runtime).toBe("workerd");
      expect(out.results).toEqual(expected);
    } finally {
      await miniflare.dispose();
    }
  });
});

describe("the Cloudflare Worker example inside Miniflare", () => {
  it("answers a signed POST with the parsed events, and refuses a forged one", async () => {
    const script = await bundle(join(ROOT, "examples", "cloudflare-worker.ts"), "worker-example");
    const secret = "worker-secret";
    const miniflare = new Miniflare({
      modules: true,
      scriptPath: script,
      modulesRoot: work,
      compatibilityDate: "2025-01-01",
      bindings: { APP_SECRET: secret, VERIFY_TOKEN: "vt" },
    });
    try {
      // Real HTTP to workerd's own listener on loopback (undici's dispatch cannot replay a streamed body after a 401).
      const endpoint = new URL("/webhook", await miniflare.ready);
      const text = fixtures.find((fixture) => fixture.name === "meta/mixed-batch.json")!.text;
      const signature = await library.signPayload(text, secret);
      const response = await fetch(endpoint, { method: "POST", body: text, headers: { "x-hub-signature-256": signature } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ received: library.parseWebhook(text).map((event) => event.type) });
      const forged = await fetch(endpoint, { method: "POST", body: text, headers: { "x-hub-signature-256": await library.signPayload(text, "other") } });
      expect(forged.status).toBe(401);
      const handshake = await fetch(`${endpoint}?hub.mode=subscribe&hub.verify_token=vt&hub.challenge=7`);
      expect(await handshake.text()).toBe("7");
    } finally {
      await miniflare.dispose();
    }
  });
});
