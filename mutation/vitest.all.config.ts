// The tests StrykerJS runs against each mutant (npm run mutation -- all): the in-process suites that
// exercise src/parsing, src/book and src/receiving. Left out: PostgreSQL, the browser, other
// runtimes and the CLI's processes (they test the same code through slower doors).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The repository, whatever the working directory (the test paths below are relative to it).
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    include: [
      "test/book/*.test.ts",
      "test/bad-input.test.ts",
      "test/fast-path.test.ts",
      "test/fixtures.test.ts",
      "test/normalization.test.ts",
      "test/properties.test.ts",
      "test/real-traffic.test.ts",
      "test/receiving/*.test.ts",
    ],
    testTimeout: 60_000,
  },
});
