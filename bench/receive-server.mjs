// One webhook server for the receive benchmark, in its own process: `node receive-server.mjs <kind>`
// prints its port, then serves POST /webhook; GET /stats answers how many events it took.
// Kinds: bare (200 without reading), hand (what a user writes by hand: read the body, createHmac,
// timingSafeEqual, JSON.parse), express (Express 5 and the library's Node handler on its route, no body parser),
// node (the library's Node handler on node:http), hono (handleWebhookRequest behind @hono/node-server).
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { createNodeHandler, handleWebhookRequest } from "../dist/index.js";

const SECRET = "bench-secret";
const kind = process.argv[2];
let events = 0;
// The server's own clock, first POST arrived to last answer sent (autocannon's ticks in whole seconds).
let first = 0;
let last = 0;
// The process's CPU time (all its threads, the collector's included) since the last GET /stats: the
// server's own cost of a load, which the other processes on this 2-core machine do not change.
let cpuSince = process.cpuUsage();
const count = ({ events: received }) => void (events += received.length);

/** The stats of the window since the last call as JSON (and a new window starts). */
function takeStats() {
  const cpu = process.cpuUsage(cpuSince);
  const answer = JSON.stringify({ events, seconds: (last - first) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  first = 0;
  last = 0;
  cpuSince = process.cpuUsage();
  return answer;
}

/** Answers GET /stats (and starts a new timing window); `false` for any other request. */
function stats(request, response) {
  if (request.method === "GET" && request.url === "/stats") {
    response.end(takeStats());
    return true;
  }
  return false;
}

function timed(server) {
  server.prependListener("request", (request, response) => {
    if (request.method !== "POST") return;
    if (first === 0) first = performance.now();
    response.on("finish", () => (last = performance.now()));
  });
  return server;
}

function handWritten(request, response) {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(chunks);
    const header = String(request.headers["x-hub-signature-256"] ?? "");
    const expected = createHmac("sha256", SECRET).update(body).digest();
    const given = Buffer.from(header.slice(7), "hex");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      response.statusCode = 401;
      response.end();
      return;
    }
    const parsed = JSON.parse(body.toString("utf8"));
    for (const entry of parsed.entry) for (const change of entry.changes) events += change.value.state_sync?.length ?? 0;
    response.end("OK");
  });
}

async function start() {
  if (kind === "hono") {
    const { serve } = await import("@hono/node-server");
    const server = serve({
      fetch: async (request) => {
        if (request.method === "GET" && new URL(request.url).pathname === "/stats") {
          return new Response(takeStats());
        }
        const { response, events: received } = await handleWebhookRequest(request, { secret: SECRET });
        events += received.length;
        return response;
      },
      port: 0,
      hostname: "127.0.0.1",
    });
    await new Promise((resolve) => server.once("listening", resolve));
    return timed(server);
  }
  if (kind === "express") {
    const { default: express } = await import("express");
    const app = express();
    app.get("/stats", (request, response) => stats(request, response));
    app.post("/webhook", createNodeHandler({ secret: SECRET, onEvents: count })); // the documented setup: no body parser in front
    const server = timed(createServer(app));
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    return server;
  }
  const library = createNodeHandler({ secret: SECRET, onEvents: count });
  const handlers = {
    bare: (request, response) => {
      response.statusCode = 200;
      response.end("OK");
      request.resume();
    },
    hand: handWritten,
    node: (request, response) => void library(request, response),
  };
  const handler = handlers[kind];
  if (handler === undefined) throw new Error(`unknown server kind ${kind}`);
  const server = timed(createServer((request, response) => stats(request, response) || handler(request, response)));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

const server = await start();
process.stdout.write(`${server.address().port}\n`);
process.on("SIGTERM", () => process.exit(0));
