// The fast in-process tests of src/receiving, for StrykerJS (stryker.receiving.json).
import { defineConfig } from "vitest/config";

export default defineConfig({ test: { include: ["test/receiving/signature.test.ts", "test/receiving/webhook-core.test.ts"], testTimeout: 60_000 } });
