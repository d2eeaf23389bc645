/**
 * The guide "From onboarding to a complete history" (docs/sync.md) run as a newcomer would run it:
 * every TypeScript snippet in order (compiled as written, importing the built package), and its
 * `sync` command, against a local fake of the Graph API and a real PostgreSQL.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signPayload } from "../src/index.js";
import { ROOT, runCliAsync } from "./support/cli.js";
import { fixtureText } from "./support/fixtures.js";
import { cluster } from "./support/postgres.js";

const GUIDE = readFileSync(join(ROOT, "docs/sync.md"), "utf8");
const DIR = join(ROOT, ".artifacts", "guide");
const SECRET = "guide-app-secret";
const TOKEN = "guide-business-token";

/** The guide's snippets, in order. */
const snippets = [...GUIDE.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string);
/** The guide's shell commands (`npx whatsapp-coexistence ...`), as written. */
const commands = [...GUIDE.matchAll(/`(WHATSAPP_COEXISTENCE_TOKEN=\.\.\. npx whatsapp-coexistence [^`]+)`/g)].map((match) => match[1] as string);

/** A snippet as an ES module importing the built package, its top-level constants exported for the test to read. */
function moduleOf(code: string): string {
  const names = [...code.matchAll(/^(?:const|let) (\w+)/gm)].map((match) => match[1] as string);
  const js = ts.transpileModule(`${code}\nexport { ${names.join(", ")} };\n`, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  }).outputText;
  return js
    .replaceAll(`from "whatsapp-coexistence/postgres"`, `from ${JSON.stringify(pathToFileURL(join(ROOT, "dist/postgres/index.js")).href)}`)
    .replaceAll(`from "whatsapp-coexistence"`, `from ${JSON.stringify(pathToFileURL(join(ROOT, "dist/index.js")).href)}`);
}

let count = 0;
async function run(code: string): Promise<Record<string, unknown>> {
  const file = join(DIR, `snippet-${count++}.mjs`);
  writeFileSync(file, moduleOf(code));
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

describe.skipIf(cluster === null)("the guide from onboarding to a complete history", () => {
  let graph: Server;
  let graphUrl: string;
  const asked: string[] = [];
  const realFetch = globalThis.fetch;

  beforeAll(async () => {
    rmSync(DIR, { recursive: true, force: true });
    mkdirSync(DIR, { recursive: true });
    // The fake Graph API: each sync once, as Meta answers it.
    graph = createServer((request, response) => {
      asked.push(`${request.method} ${request.url} ${request.headers.authorization}`);
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ messaging_product: "whatsapp", request_id: `req-${asked.length}` }));
    });
    await new Promise<void>((resolve) => graph.listen(0, "127.0.0.1", resolve));
    graphUrl = `http://127.0.0.1:${(graph.address() as AddressInfo).port}`;
    // The snippets call Meta by its own address: this process's fetch takes them to the fake.
    vi.stubGlobal("fetch", (input: string | URL | Request, init?: RequestInit) =>
      realFetch(String(input instanceof Request ? input.url : input).replace("https://graph.facebook.com", graphUrl), init),
    );
    const { host, port, user, database } = cluster as { host: string; port: number; user: string; database: string };
    vi.stubEnv("META_APP_SECRET", SECRET);
    vi.stubEnv("BUSINESS_TOKEN", TOKEN);
    vi.stubEnv("DATABASE_URL", `postgresql://${user}@/${database}?host=${encodeURIComponent(host)}&port=${port}`);
    (globalThis as { rawBody?: string }).rawBody = fixtureText("meta/history-chunk.json");
  });

  afterAll(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
    graph?.close();
  });

  it("has the snippets and the command a newcomer runs", () => {
    expect(snippets.length).toBe(5);
    expect(commands).toEqual(["WHATSAPP_COEXISTENCE_TOKEN=... npx whatsapp-coexistence sync --phone-number-id 106540352242922"]);
  });

  it("2. receives and folds: the handler answers Meta's signed deliveries 200, a forged one 401", async () => {
    const { POST } = (await run(snippets[0]!)) as { POST: (request: Request) => Promise<Response> };
    for (const fixture of ["meta/state-sync-initial.json", "meta/history-chunk.json"]) {
      const body = fixtureText(fixture);
      const request = new Request("http://localhost/webhook", { method: "POST", body, headers: { "x-hub-signature-256": await signPayload(body, SECRET) } });
      expect((await POST(request)).status).toBe(200);
    }
    const forged = new Request("http://localhost/webhook", { method: "POST", body: "{}", headers: { "x-hub-signature-256": `sha256=${"0".repeat(64)}` } });
    expect((await POST(forged)).status).toBe(401);
  });

  it("3. starts the syncs: the address book, then the history, with the business's token", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      await run(snippets[1]!);
      expect(log.mock.calls.map((call) => call.join(" "))).toEqual(["smb_app_state_sync requested: req-1", "history requested: req-2"]);
    } finally {
      log.mockRestore();
    }
    expect(asked).toEqual([`POST /v23.0/106540352242922/smb_app_data Bearer ${TOKEN}`, `POST /v23.0/106540352242922/smb_app_data Bearer ${TOKEN}`]);
  });

  it("3. or from a terminal: the command as written", async () => {
    const [command] = commands;
    const args = command!.replace("WHATSAPP_COEXISTENCE_TOKEN=... npx whatsapp-coexistence ", "").split(" ");
    const result = await runCliAsync(args, { WHATSAPP_COEXISTENCE_TOKEN: TOKEN, WHATSAPP_COEXISTENCE_GRAPH_URL: graphUrl });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/smb_app_state_sync.*req-3[\s\S]*history.*req-4/);
  });

  it("4 and 5. watch the history and query the inbox", async () => {
    const watched = await run(snippets[2]!);
    expect(watched.book).toBeDefined();
    const { page, timeline } = (await run(snippets[3]!)) as { page: { messageCount: number }[]; timeline: { id: string }[] };
    expect(page.length).toBeGreaterThan(0);
    expect(timeline.length).toBeGreaterThan(0);
  });

  it("6. the same with PostgreSQL", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      const { sync, conversations } = (await run(snippets[4]!)) as { sync: { status: string }; conversations: unknown[] };
      expect(sync.status).toBe("syncing");
      expect(conversations.length).toBeGreaterThan(0);
      expect(log.mock.calls[0]?.join(" ")).toMatch(/^syncing \d+ conversations$/);
    } finally {
      log.mockRestore();
    }
  });
});
