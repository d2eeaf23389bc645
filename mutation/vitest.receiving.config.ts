// The fast in-process tests of src/receiving, for StrykerJS (mutation/stryker.receiving.json).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The repository, whatever the working directory (the test paths below are relative to it).
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: { include: ["test/receiving/signature.test.ts", "test/receiving/webhook-core.test.ts", "test/receiving/rule-pins.test.ts"], testTimeout: 60_000 },
});
