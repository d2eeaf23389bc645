// Loopback load: signed 2 KB webhooks fired by autocannon at servers that each run in their own
// process (bench/receive-server.mjs): a bare 200, what a user writes by hand (node:http, createHmac,
// timingSafeEqual, JSON.parse), Express 5 with the library's Node handler on its route, the
// Node handler alone, and handleWebhookRequest behind @hono/node-server. Ratios are to the
// hand-written server, in the same run; errors and events delivered are counted.
import { execFile, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseWebhook, signPayload } from "../dist/index.js";
import { line, median } from "./measure.mjs";

const SECRET = "bench-secret";
const REQUESTS = 20_000;
const CONNECTIONS = 32;
const ROUNDS = 5;
const AUTOCANNON = fileURLToPath(new URL("../node_modules/autocannon/autocannon.js", import.meta.url));
const SERVER = fileURLToPath(new URL("./receive-server.mjs", import.meta.url));

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

function startServer(kind) {
  const child = spawn(process.execPath, [SERVER, kind], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`server ${kind} exited with ${code}`)));
    child.stdout.once("data", (chunk) => resolve({ child, port: Number(String(chunk).trim()) }));
  });
}

/** The server's events so far and the seconds of the last run (first POST in to last answer out). */
async function statsOf(port) {
  return (await fetch(`http://127.0.0.1:${port}/stats`)).json();
}

/**
 * A server under test: its best throughput (autocannon's count over the server's own clock), its
 * CPU time per request (the server process's own, all threads), errors and events.
 */
async function serverUnderTest(kind) {
  const { child, port } = await startServer(kind);
  const server = {
    kind,
    best: 0,
    errors: 0,
    sent: 0,
    delivered: 0,
    /** One load; returns its requests per second and CPU seconds per request. */
    async run(body, signature) {
      const result = await load(port, body, signature);
      const stats = await statsOf(port);
      const perSecond = result.requests.total / stats.seconds;
      const cpu = stats.cpuSeconds / result.requests.total;
      server.best = Math.max(server.best, perSecond);
      server.errors += result.errors + result.timeouts + result.non2xx;
      server.sent += result.requests.total;
      server.delivered = stats.events;
      return { perSecond, cpu };
    },
    stop() {
      child.removeAllListeners("exit");
      child.kill("SIGTERM");
    },
  };
  return server;
}

export async function runReceiveBench() {
  const body = twoKilobyteBody();
  const signature = await signPayload(body, SECRET);
  const perBody = parseWebhook(body).length;
  // The hand-written anchor runs right before each load of every other server, and each ratio is
  // the median over the rounds of the two loads of one round: this machine's speed drifts by a
  // third over a minute, so loads far apart in time would compare the machine, not the servers.
  // The CPU ratio is the hand-written server's CPU time per request over this one's, paired the same
  // way: like the throughput ratio, above 1 is cheaper than the hand-written server. It hardly moves
  // with the machine's load, where throughput does: autocannon shares the 2 cores with the server.
  const outcome = (server, ratio, cpu, cpuRatio) => ({
    perSecond: server.best,
    ratio,
    cpu,
    cpuRatio,
    errors: server.errors,
    expected: server.sent * perBody,
    delivered: server.kind === "bare" ? undefined : server.delivered,
  });
  const hand = await serverUnderTest("hand");
  const results = {};
  const handCpu = [];
  try {
    await hand.run(body, signature); // warm up
    for (const kind of ["bare", "express", "node", "hono"]) {
      const server = await serverUnderTest(kind);
      try {
        await server.run(body, signature); // warm up
        const rounds = [];
        for (let round = 0; round < ROUNDS; round++) {
          const anchor = await hand.run(body, signature);
          rounds.push({ anchor, own: await server.run(body, signature) });
        }
        results[kind] = outcome(
          server,
          median(rounds.map(({ anchor, own }) => own.perSecond / anchor.perSecond)),
          median(rounds.map(({ own }) => own.cpu)),
          median(rounds.map(({ anchor, own }) => anchor.cpu / own.cpu)),
        );
        handCpu.push(...rounds.map(({ anchor }) => anchor.cpu));
      } finally {
        server.stop();
      }
    }
  } finally {
    hand.stop();
  }
  results.hand = outcome(hand, 1, median(handCpu), 1);
  const names = {
    bare: "bare 200 (reads nothing)",
    hand: "hand-written: createHmac + JSON.parse",
    express: "Express 5 + Node handler (no body parser)",
    node: "the library's Node handler",
    hono: "handleWebhookRequest on @hono/node-server",
  };
  const goals = { node: 0.8, hono: 0.75 };
  const lines = [
    `receive: ${REQUESTS.toLocaleString("en")} signed ${(body.length / 1024).toFixed(1)} KB POSTs, concurrency ${CONNECTIONS}, each server in its own process, ${ROUNDS} rounds each right after the hand-written one (median ratio; best throughput shown; the server's CPU time per request, and its ratio, hand-written over this)`,
  ];
  for (const kind of ["bare", "hand", "express", "node", "hono"]) {
    const result = results[kind];
    const ratio = result.ratio;
    const goal = goals[kind];
    lines.push(
      line(
        `  ${names[kind]}`,
        `${Math.round(result.perSecond)}/s, CPU ${(result.cpu * 1e6).toFixed(0)} µs ${result.cpuRatio.toFixed(2)}x`,
        `${ratio.toFixed(2)}x`,
        goal === undefined ? undefined : `>= ${goal}x`,
        goal === undefined || ratio >= goal,
      ),
    );
  }
  const errors = Object.values(results).reduce((sum, result) => sum + result.errors, 0);
  const lost = Object.entries(results).filter(([, result]) => result.delivered !== undefined && result.delivered !== result.expected);
  lines.push(line("  errors (socket, timeout, non-2xx), all servers", String(errors), "", "0", errors === 0));
  lines.push(
    line(
      "  events delivered, all servers but bare",
      lost.length === 0 ? "every one" : lost.map(([kind, result]) => `${kind} ${result.delivered} of ${result.expected}`).join(", "),
      "",
      "all",
      lost.length === 0,
    ),
  );
  return lines;
}
