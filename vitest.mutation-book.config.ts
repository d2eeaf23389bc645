// The book's rule tests and, with fewer runs, its properties, for StrykerJS (stryker.book.json).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "test/book/rules.test.ts",
      "test/book/identity.test.ts",
      "test/book/persistent-map.test.ts",
      "test/book/timeline.test.ts",
      "test/book/timeline-records.test.ts",
      "test/book/properties.test.ts",
    ],
    env: { PROPERTY_RUNS: "20" },
    testTimeout: 60_000,
  },
});
