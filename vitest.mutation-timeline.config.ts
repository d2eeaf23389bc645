// The tests of the book's timeline core, for StrykerJS (stryker.timeline.json).
import { defineConfig } from "vitest/config";

export default defineConfig({ test: { include: ["test/book/timeline.test.ts"], testTimeout: 60_000 } });
