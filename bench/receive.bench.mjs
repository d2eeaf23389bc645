// Loopback load: signed 2 KB webhooks fired by autocannon in a second process at a node:http
// server running createNodeHandler, against the same server answering 200 without verifying or
// parsing. Counts errors and events, so a lost event shows.
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { createNodeHandler, parseWebhook, signPayload } from "../dist/index.js";
import { line } from "./measure.mjs";

const SECRET = "bench-secret";
const REQUESTS = 20_000;
const CONNECTIONS = 32;
const AUTOCANNON = fileURLToPath(new URL("../node_modules/autocannon/autocannon.js", import.meta.url));

function twoKilobyteBody() {
  const items = [];
  for (let index = 0; items.length === 0 || JSON.stringify(items).length < 1700; index++) {
    items.push({
      type: "contact",
      contact: { full_name: `Customer Number ${index}`, first_name: "Customer", phone_number: String(16505550000 + index) },
      action: "add",
      metadata: { timestamp: String(1739321024 + index) },
    });
  }
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "smb_app_state_sync",
            value: { messaging_product: "whatsapp", metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" }, state_sync: items },
          },
        ],
      },
    ],
  });
}

function listen(handler) {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function load(port, body, signature) {
  const args = [
    AUTOCANNON,
    "-a",
    String(REQUESTS),
    "-c",
    String(CONNECTIONS),
    "-m",
    "POST",
    "-H",
    "content-type=application/json",
    "-H",
    `x-hub-signature-256=${signature}`,
    "-b",
    body,
    "-j",
    `http://127.0.0.1:${port}/webhook`,
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))));
  });
}

/**
 * Throughput as the server sees it, from the first request's arrival to the last response's end:
 * autocannon's own clock ticks in whole seconds, too coarse for runs of a second or two.
 */
async function measure(handler, body, signature) {
  let first = 0;
  let last = 0;
  const server = await listen((request, response) => {
    if (first === 0) first = performance.now();
    response.on("finish", () => (last = performance.now()));
    handler(request, response);
  });
  try {
    const result = await load(server.address().port, body, signature);
    const seconds = (last - first) / 1000;
    return {
      perSecond: result.requests.total / seconds,
      total: result.requests.total,
      errors: result.errors + result.timeouts + result.non2xx,
      twoHundreds: result["2xx"],
    };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

export async function runReceiveBench() {
  const body = twoKilobyteBody();
  const signature = await signPayload(body, SECRET);
  const perBody = parseWebhook(body).length;
  const baseline = (request, response) => {
    request.on("data", () => undefined);
    request.on("end", () => {
      response.statusCode = 200;
      response.end("OK");
    });
  };
  let events = 0;
  const library = createNodeHandler({ secret: SECRET, onEvents: ({ events: received }) => void (events += received.length) });

  await measure(baseline, body, signature); // warm up both servers' code paths
  const warm = await measure(library, body, signature);
  let best = { baseline: undefined, library: undefined, errors: warm.errors };
  let libraryRuns = warm.total;
  for (let round = 0; round < 2; round++) {
    const plain = await measure(baseline, body, signature);
    const full = await measure(library, body, signature);
    libraryRuns += full.total;
    if (best.baseline === undefined || plain.perSecond > best.baseline.perSecond) best.baseline = plain;
    if (best.library === undefined || full.perSecond > best.library.perSecond) best.library = full;
    best.errors += plain.errors + full.errors;
  }
  const ratio = best.library.perSecond / best.baseline.perSecond;
  const expectedEvents = libraryRuns * perBody;
  const errors = best.errors;
  return [
    line(
      `receive: ${REQUESTS.toLocaleString("en")} signed ${(body.length / 1024).toFixed(1)} KB POSTs, concurrency ${CONNECTIONS}`,
      `${Math.round(best.library.perSecond)}/s vs bare 200 ${Math.round(best.baseline.perSecond)}/s`,
      `${ratio.toFixed(2)}x`,
      ">= 0.6x",
      ratio >= 0.6,
    ),
    line("  errors (socket, timeout, non-2xx) over all runs", String(errors), "", "0", errors === 0),
    line("  events handed to onEvents over all runs", `${events} of ${expectedEvents}`, "", "all", events === expectedEvents),
  ];
}
