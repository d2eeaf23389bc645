// The book's rule tests, for StrykerJS (mutation/stryker.book.json). The property tests are left out: they
// cover every mutant, and at even 20 runs each they made a run take over an hour on 2 cores; the
// same laws on fixed examples (convergence-examples) stand in for them.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The repository, whatever the working directory (the test paths below are relative to it).
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    include: [
      "test/book/rules.test.ts",
      "test/book/identity.test.ts",
      "test/book/persistent-map.test.ts",
      "test/book/timeline.test.ts",
      "test/book/timeline-records.test.ts",
      "test/book/convergence-examples.test.ts",
      "test/book/joins-and-keys.test.ts",
      "test/book/precedence.test.ts",
      "test/book/rule-pins.test.ts",
      "test/book/connection.test.ts",
      "test/book/retention.test.ts",
      "test/book/erasure.test.ts",
      "test/book/unplaced.test.ts",
      "test/book/identity-soundness.test.ts",
      "test/book/service-window.test.ts",
      "test/real-traffic.test.ts",
      "test/fixtures.test.ts",
    ],
    testTimeout: 60_000,
  },
});
