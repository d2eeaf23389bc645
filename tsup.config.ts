import { defineConfig } from "tsup";

export default defineConfig([
  {
    // The library: only Web APIs, for every runtime.
    entry: { index: "src/index.ts", postgres: "src/postgres/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "es2022",
    platform: "neutral",
    treeshake: true,
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
