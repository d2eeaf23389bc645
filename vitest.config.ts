import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Generous: CI machines are busy, and a test must fail on a wrong answer, never on a slow moment.
    testTimeout: 30_000,
    globalSetup: ["test/setup/postgres.global.ts"],
    typecheck: {
      enabled: true,
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
  },
});
