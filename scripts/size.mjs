// The size gate: what an app bundles (esbuild, minified, gzipped) when it imports only part of the
// package's ESM build. Run after the build; npm test runs it through test/package.test.ts.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * What an app imports, and the most it may cost (bytes, min+gz): today's size and a little room,
 * so growth is a decision. (Measured when set: 0.9, 5.4, 13.0 and 26.2 kB; raised for issue 15's fast
 * paths, which read fields by name and count keys: 1.1, 5.6, 13.7 and 27.3 kB; and again for the
 * history text literal (about 5% of a 3 MB chunk with the other parse changes) and the thread header
 * fast path (a gain within the benchmark's noise): 14.0 and 27.8 kB; and for the Node handler that
 * runs a request without promises (0.83 to 0.88 of the hand-written server's CPU per request):
 * 28.1 kB; and for the third round of real traffic (issue 24: extras that never overwrite each
 * other and flattened objects' unknown keys, milliseconds, the business a body omits, group
 * traffic, ErrorsReported, a missing type inferred, the business's own numbers, the profile rule
 * and what a fold could not place): 6.0, 15.1 and 29.7 kB; and for production receiving (issue 25:
 * onError and eventsTimeout, bytes in flight, 401 reasons, the streamed book form, bounded ids):
 * 15.2 and 31.5 kB; and for the inbox's pages (issue 26: the book keeps its conversation list
 * ordered as it folds, so a page of it costs O(log n + limit)): 6.1 and 32.0 kB; and for
 * requestSync and its typed errors (issue 27): 32.8 kB; and for the lifecycle events typed from
 * account_update (issue 27): 15.6 and 33.5 kB; and for the contact list kept as the book folds and
 * one order key per precedence rule (issue 26), and the registry of webhook fields (issue 29): 6.4,
 * 15.8 and 34.4 kB; and for the one seam every item goes through, with its five readers (issue 29):
 * 15.9 and 34.6 kB; applyEvent 6.5 kB with the persistent map's outcome passed down its walk; and for
 * the connection the book folds from lifecycle events, with each business's WABA (issue 27): 7.1 and
 * 35.6 kB; and for retention, with removal from the persistent map and each message's earliest
 * piece (issue 27): 8.1 and 37.0 kB; and for erasure, a horizon per person kept as the book folds
 * (issue 27): 8.9 and 38.0 kB.)
 */
export const BUDGETS = [
  { name: "verifySignature only", code: 'import { verifySignature } from "whatsapp-coexistence"; export default verifySignature;', budget: 2_000 },
  { name: "applyEvent only", code: 'import { applyEvent } from "whatsapp-coexistence"; export default applyEvent;', budget: 9_100 },
  { name: "parseWebhook only", code: 'import { parseWebhook } from "whatsapp-coexistence"; export default parseWebhook;', budget: 16_100 },
  { name: "everything", code: 'import * as all from "whatsapp-coexistence"; export default all;', budget: 38_200 },
];

/** The min+gz size of a bundle of `code`, resolving the package to this repository's build. */
export async function bundleSize(code) {
  const result = await build({
    stdin: { contents: code, resolveDir: ROOT, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    write: false,
    logLevel: "silent",
    alias: { "whatsapp-coexistence": `${ROOT}dist/index.js` },
  });
  const bytes = result.outputFiles[0].contents;
  return { raw: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let failed = false;
  for (const { name, code, budget } of BUDGETS) {
    const { raw, gzip } = await bundleSize(code);
    const ok = gzip <= budget;
    failed ||= !ok;
    console.log(
      `${name.padEnd(22)} ${(gzip / 1000).toFixed(1).padStart(5)} kB min+gz (${(raw / 1000).toFixed(1)} kB min)  budget ${(budget / 1000).toFixed(1)} kB  ${ok ? "ok" : "OVER"}`,
    );
  }
  process.exitCode = failed ? 1 : 0;
}
