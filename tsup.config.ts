import { defineConfig } from "tsup";

const library = { target: "es2022", platform: "neutral", sourcemap: true } as const;
const entries = { index: "src/index.ts", postgres: "src/postgres/index.ts" };

export default defineConfig([
  {
    // ESM: one file per module (dist/index.js, dist/book/..., dist/postgres/index.js), so an app's
    // bundler keeps only the modules it uses (the package has no side effects).
    ...library,
    entry: ["src/**/*.ts", "!src/cli/**"],
    format: ["esm"],
    bundle: false,
  },
  {
    // CommonJS: one file per entry point, for require().
    ...library,
    entry: entries,
    format: ["cjs"],
    dts: true,
    treeshake: true,
  },
  {
    // The ESM entry points' types, bundled (dist/index.d.ts, dist/postgres.d.ts).
    ...library,
    entry: entries,
    format: ["esm"],
    dts: { only: true },
  },
  {
    // The command line: Node only, one ESM file that imports the library's build.
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    sourcemap: true,
    target: "node20",
    platform: "node",
    banner: { js: "#!/usr/bin/env node" },
    esbuildPlugins: [
      {
        name: "library-from-build",
        setup(build) {
          build.onResolve({ filter: /^\.\.\/index\.js$/ }, () => ({ path: "./index.js", external: true }));
        },
      },
    ],
  },
]);
