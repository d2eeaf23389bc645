// The tests of the book's timeline core, for StrykerJS (mutation/stryker.timeline.json).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The repository, whatever the working directory (the test paths below are relative to it).
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: { include: ["test/book/timeline.test.ts", "test/book/ordered-set.test.ts", "test/book/timeline-records.test.ts"], testTimeout: 60_000 },
});
