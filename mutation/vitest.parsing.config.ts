// Fast in-process tests of src/parsing, for StrykerJS (mutation/stryker.parsing.json). The two bad-input
// tests that parse multi-megabyte bodies are left out: each would run for every mutant. The
// property tests are in: one of them is what tells a released message in a caller's JSON.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The repository, whatever the working directory (the test paths below are relative to it).
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    include: [
      "test/bad-input.test.ts",
      "test/fixtures.test.ts",
      "test/real-traffic.test.ts",
      "test/normalization.test.ts",
      "test/fast-path.test.ts",
      "test/parsing/*.test.ts",
      "test/properties.test.ts",
    ],
    testNamePattern: /^(?!.*(3\.5 MB body|allocates a small multiple)).*$/,
    testTimeout: 60_000,
  },
});
