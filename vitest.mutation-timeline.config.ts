// The tests of the book's timeline core, for StrykerJS (stryker.timeline.json).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { include: ["test/book/timeline.test.ts", "test/book/ordered-set.test.ts", "test/book/timeline-records.test.ts"], testTimeout: 60_000 },
});
