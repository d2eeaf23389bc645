// ESLint (flat config): the recommended rules of ESLint and typescript-eslint, and TSDoc hygiene.
// Formatting is Prettier's (`npm run lint` checks both).
import js from "@eslint/js";
import jsdoc from "eslint-plugin-jsdoc";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "docs/api/", "coverage/", "reports/", ".stryker-tmp/", ".artifacts/", ".consumer-check/", "tools/", "node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: "readonly",
        process: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
        performance: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        fetch: "readonly",
        Response: "readonly",
        Request: "readonly",
        crypto: "readonly",
        structuredClone: "readonly",
        window: "readonly",
        document: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      eqeqeq: ["error", "always"],
      "no-console": "off",
    },
  },
  {
    files: ["src/**/*.ts"],
    plugins: { jsdoc },
    settings: { jsdoc: { mode: "typescript" } },
    rules: {
      // Every export of the package carries an @example: scripts/check-doc-examples.mjs checks the
      // public API (what the entry points export) from typedoc's output; no lint rule can know it.
      "jsdoc/check-alignment": "error",
      "jsdoc/check-tag-names": ["error", { definedTags: ["module", "internal", "remarks", "typeParam", "defaultValue"] }],
      "jsdoc/no-multi-asterisks": "error",
      "jsdoc/require-asterisk-prefix": "error",
      "jsdoc/empty-tags": "error",
      "no-restricted-syntax": ["error", { selector: "ExportDefaultDeclaration", message: "Named exports only." }],
    },
  },
);
