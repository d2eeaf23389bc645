/**
 * The layout of src/ is the architecture: folders form layers, each importing only the layers below
 * it, so the dependency graph of folders is acyclic and reads top-down. Checked with
 * dependency-cruiser over the TypeScript sources (type-only imports count too).
 */
import { cruise, type IModule } from "dependency-cruiser";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { readdirSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./support/cli.js";

/** Top to bottom. `(root)` is src/index.ts, the public entry. */
const LAYERS = ["cli", "(root)", "receiving", "lifecycle", "postgres", "book", "parsing", "fast", "schemas", "core", "events"] as const;

const folderOf = (path: string): string => {
  const [, folder, rest] = /^src\/([^/]+)(\/.*)?$/.exec(path) ?? [];
  return rest === undefined ? "(root)" : (folder as string);
};

describe("the layout of src/", () => {
  let modules: IModule[];

  beforeAll(async () => {
    process.chdir(ROOT);
    const tsConfig = extractTSConfig("tsconfig.lib.json");
    const result = await cruise(["src"], { tsPreCompilationDeps: true, doNotFollow: { path: "node_modules" } }, {}, { tsConfig });
    modules = (result.output as { modules: IModule[] }).modules.filter((module) => module.source.startsWith("src/"));
  }, 60_000);

  it("names every folder in the layer list", () => {
    const folders = readdirSync("src", { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.filter((folder) => !(LAYERS as readonly string[]).includes(folder))).toEqual([]);
    expect(modules.length).toBeGreaterThan(80);
  });

  it("imports only downwards: the folders' dependency graph is acyclic", () => {
    const upwards: string[] = [];
    for (const module of modules) {
      const from = LAYERS.indexOf(folderOf(module.source) as (typeof LAYERS)[number]);
      for (const dependency of module.dependencies) {
        if (!dependency.resolved.startsWith("src/")) continue;
        const to = LAYERS.indexOf(folderOf(dependency.resolved) as (typeof LAYERS)[number]);
        if (to < from) upwards.push(`${module.source} -> ${dependency.resolved}`);
      }
    }
    expect(upwards).toEqual([]);
  });

  it("has no cycles between modules either", () => {
    const cycles = modules.flatMap((module) =>
      module.dependencies.filter((dependency) => dependency.circular).map((dependency) => `${module.source} -> ${dependency.resolved}`),
    );
    expect(cycles).toEqual([]);
  });

  it("keeps the bottom layers plain: events/ holds only types, core/ needs nothing but events/", () => {
    const outside = (folder: string, allowed: readonly string[]) =>
      modules
        .filter((module) => folderOf(module.source) === folder)
        .flatMap((module) =>
          module.dependencies
            .filter((dependency) => dependency.resolved.startsWith("src/") && !allowed.includes(folderOf(dependency.resolved)))
            .map((dependency) => dependency.resolved),
        );
    expect(outside("events", ["events"])).toEqual([]);
    expect(outside("core", ["core", "events"])).toEqual([]);
    const runtimeInEvents = modules
      .filter((module) => folderOf(module.source) === "events")
      .flatMap((module) =>
        module.dependencies
          .filter((dependency) => !dependency.dependencyTypes.includes("type-only"))
          .map((dependency) => `${module.source} -> ${dependency.module}`),
      );
    expect(runtimeInEvents).toEqual([]);
  });
});
