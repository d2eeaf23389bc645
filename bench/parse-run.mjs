// One run of the parsing benchmark, in a process of its own (`node bench/parse-run.mjs`): prints as
// JSON, for each case, the best time per call of JSON.parse, the library and zod, and the median
// over the rounds of each round's ratio. bench/parse.bench.mjs starts several of these runs.
import { parseWebhook } from "../dist/index.js";
import { historyBody } from "./payloads.mjs";
import { compare } from "./measure.mjs";
import { GROWTH_SIZES, PARSE_CASES, ROUNDS } from "./parse.bench.mjs";
import { zodParse } from "./zod-baseline.mjs";

/**
 * The floor for the history case: JSON.parse, then one object per message with the library's
 * fields and no checks at all (no types, ids, digits, extras, depth or hostile keys). No parser
 * that returns typed messages can do less; the library's distance from it is what checking costs.
 */
function handWrittenWalk(body) {
  const json = JSON.parse(body);
  const threads = [];
  for (const entry of json.entry) {
    for (const change of entry.changes) {
      for (const item of change.value.history) {
        for (const thread of item.threads) {
          const messages = [];
          for (const message of thread.messages) {
            const { id, from, type } = message;
            const timestamp = Number(message.timestamp);
            const direction = from === thread.id ? "inbound" : "outbound";
            const status = message.history_context.status.toLowerCase();
            if (type === "text") {
              messages.push({ id, from, timestamp, type, text: { body: message.text.body }, direction, status });
            } else {
              const out = { id, from, timestamp, type, direction, status };
              if (message[type] !== undefined) out[type] = { ...message[type] };
              messages.push(out);
            }
          }
          threads.push({ id: thread.id, messages });
        }
      }
    }
  }
  return threads;
}

/**
 * Checks the zod baseline against the library on a body. A function of its own, so that neither
 * result stays alive while the case is timed: a parse result kept alive through the rounds made V8
 * pretenure the library's allocation sites, and the library alone then measured 1.45-1.55x instead
 * of 1.3x (JSON.parse and the floor have no such sites; see `measureKeptAlive`).
 */
function checkZodAgrees(name, body) {
  if (parseWebhook(body).length !== zodParse(body).length) throw new Error(`zod baseline disagrees on ${name}`);
}

function measureCase({ name, body: makeBody, iterations, history }) {
  const body = makeBody();
  checkZodAgrees(name, body);
  const fns = { json: () => JSON.parse(body), library: () => parseWebhook(body), zod: () => zodParse(body) };
  if (history) fns.floor = () => handWrittenWalk(body);
  const times = compare(fns, iterations, ROUNDS);
  return {
    floor: history ? times.ratio("floor", "json") : undefined,
    bytes: body.length,
    json: times.json,
    library: times.library,
    zod: times.zod,
    ratio: times.ratio("library", "json"),
    zodRatio: times.ratio("zod", "json"),
    libraryOverZod: times.ratio("library", "zod"),
  };
}

function measureGrowth({ messages, threads, iterations }) {
  const body = historyBody(messages, threads);
  const times = compare({ json: () => JSON.parse(body), library: () => parseWebhook(body) }, iterations, ROUNDS);
  return { bytes: body.length, ratio: times.ratio("library", "json") };
}

/**
 * The history case with an earlier parse's result kept alive from the first parse on, as a server
 * that folds its events into a book keeps their messages. V8 then sees the objects of the library's
 * object literals survive and may allocate them in the old generation from then on (allocation-site
 * pretenuring), which is slower here. A process of its own (`parse-run.mjs kept-alive`): the decision
 * is taken early and never undone, so measured after the other cases it would not show.
 */
function measureKeptAlive() {
  const body = historyBody();
  const kept = parseWebhook(body);
  const times = compare({ json: () => JSON.parse(body), library: () => parseWebhook(body) }, 3, ROUNDS);
  if (kept.length !== 1) throw new Error("the kept result is not the history chunk");
  return times.ratio("library", "json");
}

const result =
  process.argv[2] === "kept-alive" ? { keptAlive: measureKeptAlive() } : { cases: PARSE_CASES.map(measureCase), growth: GROWTH_SIZES.map(measureGrowth) };
process.stdout.write(`${JSON.stringify(result)}\n`);
