// Fast in-process tests of the envelope and body reading, for StrykerJS (stryker.parsing.json).
import { defineConfig } from "vitest/config";

export default defineConfig({ test: { include: ["test/bad-input.test.ts", "test/fixtures.test.ts", "test/real-traffic.test.ts"], testTimeout: 60_000 } });
