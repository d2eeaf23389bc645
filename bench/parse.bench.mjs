// Parsing cost as a ratio to JSON.parse of the same body, beside an equivalent zod 4 schema.
import { parseWebhook } from "../dist/index.js";
import { historyBody, stateSyncBody } from "./payloads.mjs";
import { compare, formatTime, line } from "./measure.mjs";
import { zodParse } from "./zod-baseline.mjs";

export function runParseBench() {
  const results = [];
  const cases = [
    { name: "history 12,000 messages / 200 threads", body: historyBody(), iterations: 3, rounds: 15, goal: 1.4 },
    { name: "state sync, one contact", body: stateSyncBody(), iterations: 20_000, rounds: 15, goal: 1.5 },
  ];
  for (const { name, body, iterations, rounds, goal } of cases) {
    const check = parseWebhook(body);
    const zodCheck = zodParse(body);
    if (check.length !== zodCheck.length) throw new Error(`zod baseline disagrees on ${name}`);
    const times = compare({ json: () => JSON.parse(body), library: () => parseWebhook(body), zod: () => zodParse(body) }, iterations, rounds);
    const size = body.length >= 1e6 ? `${(body.length / 1e6).toFixed(2)} MB` : `${body.length} B`;
    const ratio = times.ratio("library", "json");
    const zodRatio = times.ratio("zod", "json");
    results.push(
      line(
        `parse: ${name} (${size})`,
        `${formatTime(times.library)} vs JSON.parse ${formatTime(times.json)}`,
        `${ratio.toFixed(2)}x`,
        `<= ${goal}x`,
        ratio <= goal,
      ),
      line(`  zod 4 equivalent`, `${formatTime(times.zod)}`, `${zodRatio.toFixed(2)}x`, `library faster`, times.ratio("library", "zod") < 1),
    );
  }
  // Growth: the ratio to JSON.parse from a 30 KB body to a 3 MB one (the library's cost must grow as JSON.parse's does).
  const sizes = [
    { messages: 120, threads: 2, iterations: 300 },
    { messages: 1_200, threads: 20, iterations: 30 },
    { messages: 12_000, threads: 200, iterations: 3 },
  ].map(({ messages, threads, iterations }) => {
    const body = historyBody(messages, threads);
    const times = compare({ json: () => JSON.parse(body), library: () => parseWebhook(body) }, iterations, 15);
    return { bytes: body.length, ratio: times.ratio("library", "json") };
  });
  const sizeOf = (bytes) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} KB`);
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  const growth = last.ratio / first.ratio;
  results.push(
    line(
      `parse: growth of the ratio, ${sizeOf(first.bytes)} → ${sizeOf(last.bytes)}`,
      sizes.map(({ bytes, ratio }) => `${sizeOf(bytes)} ${ratio.toFixed(2)}x`).join(", "),
      `${growth.toFixed(2)}x`,
      "<= 1.25x",
      growth <= 1.25,
    ),
  );
  return results;
}
