// A server for the flood benchmark, in its own process: `node flood-server.mjs <node|hono>` prints
// its port, then serves POST /webhook with the library's handler (default maxBytesInFlight) and
// GET /stats: the most body bytes the handlers held at once, and the process's peak memory.
import { createServer } from "node:http";
import { setImmediate } from "node:timers";
import { bytesInFlight, createNodeHandler, handleWebhookRequest } from "../dist/index.js";

const SECRET = "flood-secret";
const kind = process.argv[2];
let peakHeld = 0;
let peakRss = 0;
const rssStart = process.memoryUsage.rss();
// Sampled as often as the event loop turns: the bound is enforced on every chunk, this only watches it.
const sample = () => {
  peakHeld = Math.max(peakHeld, bytesInFlight());
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  setImmediate(sample);
};
sample();

function stats(request, response) {
  if (request.method !== "GET" || request.url !== "/stats") return false;
  response.end(JSON.stringify({ peakHeld, peakRss, rssStart }));
  return true;
}

async function start() {
  if (kind === "hono") {
    const { serve } = await import("@hono/node-server");
    const server = serve({
      fetch: async (request) => {
        if (new URL(request.url).pathname === "/stats") return new Response(JSON.stringify({ peakHeld, peakRss, rssStart }));
        return (await handleWebhookRequest(request, { secret: SECRET })).response;
      },
      port: 0,
      hostname: "127.0.0.1",
    });
    await new Promise((resolve) => server.once("listening", resolve));
    return server;
  }
  const handler = createNodeHandler({ secret: SECRET });
  const server = createServer((request, response) => stats(request, response) || void handler(request, response));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

const server = await start();
process.stdout.write(`${server.address().port}\n`);
process.on("SIGTERM", () => process.exit(0));
