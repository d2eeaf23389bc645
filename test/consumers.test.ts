/**
 * Strict consumers compile: every TypeScript example in the README and the docs, the examples
 * folder, and the published declaration files, checked against the *built* package (imported by
 * name, as users import it) under `strict` with `exactOptionalPropertyTypes`, on the TypeScript
 * this repository builds with and on the oldest one the README claims.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Inside the package, so `import "whatsapp-coexistence"` resolves through `exports` to `dist/`. */
const DIR = join(ROOT, ".consumer-check");

const COMPILERS = {
  current: join(ROOT, "node_modules/typescript/bin/tsc"),
  oldest: join(ROOT, "tools/typescript-oldest/node_modules/typescript/bin/tsc"),
};

/** The oldest TypeScript the README promises (kept equal to the `tools/typescript-oldest` workspace's). */
const OLDEST = "5.0";

const STRICT = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  target: "ES2022",
  module: "ESNext",
  moduleResolution: "Bundler",
  lib: ["ES2022", "DOM"],
  noEmit: true,
};

/** What the examples take as given: the raw body, somewhere to put events, a pool. */
const GLOBALS = `declare const rawBody: string;
declare const events: import("whatsapp-coexistence").CoexistenceEvent[];
declare const queue: { push(events: readonly import("whatsapp-coexistence").CoexistenceEvent[]): Promise<void> };
declare const pool: import("pg").Pool;
declare const Bun: { serve(options: { fetch(request: Request): Response | Promise<Response> }): unknown };
declare const Deno: { serve(handler: (request: Request) => Response | Promise<Response>): unknown };
`;

/** Every ```ts block of the README and the docs: a first line `// name.ts` names its file. */
function snippets(): { file: string; code: string }[] {
  const documents = [
    "README.md",
    ...readdirSync(join(ROOT, "docs"))
      .filter((name) => name.endsWith(".md"))
      .map((name) => `docs/${name}`),
  ];
  return documents.flatMap((document) =>
    [...readFileSync(join(ROOT, document), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((match, index) => {
      const code = match[1] as string;
      const named = /^\/\/ ([\w-]+)\.ts\n/.exec(code);
      const file = named === null ? `${document.replace(/[/.]/g, "-")}-${index}.ts` : `${named[1]}.ts`;
      return { file, code: `${code}\nexport {};\n` };
    }),
  );
}

function write(name: string, content: string): void {
  writeFileSync(join(DIR, name), content);
}

function compile(compiler: keyof typeof COMPILERS, project: string): string {
  try {
    execFileSync(process.execPath, [COMPILERS[compiler], "-p", join(DIR, project)], { cwd: DIR, encoding: "utf8" });
    return "";
  } catch (error) {
    return `${(error as { stdout?: string }).stdout ?? ""}${(error as { stderr?: string }).stderr ?? ""}` || String(error);
  }
}

beforeAll(() => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  write("globals.d.ts", GLOBALS);
  const files = snippets();
  for (const { file, code } of files) write(file, code);
  for (const example of ["express.ts", "hono.ts", "cloudflare-worker.ts"]) write(`example-${example}`, readFileSync(join(ROOT, "examples", example), "utf8"));
  write("example-nextjs-route.ts", readFileSync(join(ROOT, "examples/nextjs/app/api/whatsapp/route.ts"), "utf8"));
  // The examples as users run them: Node's types, other packages' declarations not checked.
  write(
    "tsconfig.examples.json",
    JSON.stringify({ compilerOptions: { ...STRICT, types: ["node"], skipLibCheck: true }, include: ["*.ts"], exclude: ["public-types.ts"] }),
  );
  // The declaration files themselves, checked in full (skipLibCheck off), with no other library around.
  write(
    "public-types.ts",
    `import type * as main from "whatsapp-coexistence";\nimport type * as postgres from "whatsapp-coexistence/postgres";\nexport type Everything = [typeof main, typeof postgres];\n`,
  );
  write("tsconfig.types.json", JSON.stringify({ compilerOptions: { ...STRICT, types: [], skipLibCheck: false }, files: ["public-types.ts"] }));
});

describe("strict consumers compile", () => {
  it("the README names the oldest TypeScript that is checked", () => {
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain(`TypeScript ${OLDEST}`);
    const installed = JSON.parse(readFileSync(join(ROOT, "tools/typescript-oldest/node_modules/typescript/package.json"), "utf8")) as { version: string };
    expect(installed.version.startsWith(`${OLDEST}.`)).toBe(true);
  });

  it("collects the docs' examples", () => {
    expect(snippets().length).toBeGreaterThanOrEqual(10);
  });

  for (const compiler of ["current", "oldest"] as const) {
    it(`the README, docs and examples/ compile under exactOptionalPropertyTypes (${compiler} TypeScript)`, () => {
      expect(compile(compiler, "tsconfig.examples.json")).toBe("");
    }, 120_000);

    it(`the published declaration files compile with skipLibCheck off (${compiler} TypeScript)`, () => {
      expect(compile(compiler, "tsconfig.types.json")).toBe("");
    }, 120_000);
  }
});
