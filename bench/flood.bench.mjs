// A forged flood: 1,000 concurrent 3 MB POSTs with a wrong signature, all at once, to each handler
// in a process of its own. Bodies are read before their signature can be judged, so without a bound
// they would all sit in memory (3 GB); the handlers hold at most `maxBytesInFlight` (64 MiB by
// default) and answer the rest 503 with Retry-After. Printed: the most body bytes held at once (the
// handlers' own count, sampled every turn of the server's event loop), the server's peak memory over
// its idle size, and the answers.
import { spawn } from "node:child_process";
import { request as httpRequest, Agent } from "node:http";
import { fileURLToPath } from "node:url";
import { DEFAULT_MAX_BYTES_IN_FLIGHT } from "../dist/index.js";
import { line } from "./measure.mjs";

const SERVER = fileURLToPath(new URL("./flood-server.mjs", import.meta.url));
const REQUESTS = 1_000;
const BODY = Buffer.alloc(3 * 1024 * 1024, "x");
const MB = 1024 * 1024;

function startServer(kind) {
  const child = spawn(process.execPath, [SERVER, kind], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout.once("data", (chunk) => resolve({ child, port: Number(String(chunk).trim()) }));
    child.once("error", reject);
  });
}

function post(port, agent) {
  return new Promise((resolve) => {
    const request = httpRequest(
      {
        port,
        host: "127.0.0.1",
        path: "/webhook",
        method: "POST",
        agent,
        headers: { "content-length": BODY.length, "x-hub-signature-256": `sha256=${"0".repeat(64)}` },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode));
      },
    );
    // A 503 answered before the body is read closes the connection: the rest of the write fails.
    request.on("error", () => resolve("closed"));
    request.end(BODY);
  });
}

async function flood(kind) {
  const { child, port } = await startServer(kind);
  const agent = new Agent({ maxSockets: REQUESTS, keepAlive: false });
  const statuses = await Promise.all(Array.from({ length: REQUESTS }, () => post(port, agent)));
  const stats = await new Promise((resolve) =>
    httpRequest({ port, host: "127.0.0.1", path: "/stats" }, (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve(JSON.parse(text)));
    }).end(),
  );
  child.kill("SIGTERM");
  agent.destroy();
  const counts = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return { stats, counts };
}

/** The flood lines, one per handler. */
export async function runFloodBench() {
  const lines = [
    `receive: ${REQUESTS.toLocaleString("en")} concurrent forged 3 MB POSTs, each handler in its own process (default maxBytesInFlight, ${DEFAULT_MAX_BYTES_IN_FLIGHT / MB} MiB)`,
  ];
  for (const [kind, name] of [
    ["node", "the library's Node handler"],
    ["hono", "handleWebhookRequest on @hono/node-server"],
  ]) {
    const { stats, counts } = await flood(kind);
    const answers = Object.entries(counts)
      .map(([status, count]) => `${status} ${count}`)
      .join(", ");
    lines.push(
      line(
        `  ${name}`,
        `held at most ${(stats.peakHeld / MB).toFixed(1)} MB, memory +${((stats.peakRss - stats.rssStart) / MB).toFixed(0)} MB`,
        answers,
        `<= ${DEFAULT_MAX_BYTES_IN_FLIGHT / MB} MiB held`,
        stats.peakHeld <= DEFAULT_MAX_BYTES_IN_FLIGHT,
      ),
    );
  }
  return lines;
}
