/**
 * `serve --forward-to`: each accepted delivery goes on to the app, byte for byte with its own
 * signature (or signed with --forward-secret), and the app's answer is kept beside the delivery.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forwardDelivery } from "../../src/cli/forward.js";
import { DeliveryLog } from "../../src/cli/deliveries.js";
import { signPayload, verifySignature } from "../../src/index.js";
import { fixtureText } from "../support/fixtures.js";
import { startServe } from "../support/cli.js";

interface Received {
  readonly body: string;
  readonly headers: IncomingMessage["headers"];
}

/** A stand-in for the developer's app: records what it receives, answers `status` with `answer`. */
function app(status = 200, answer = "ok"): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push({ body, headers: request.headers });
      response.writeHead(status, { "content-type": "text/plain" }).end(answer);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${address.port}/webhook`, received, server });
    }),
  );
}

const SECRET = "meta-secret";
const body = fixtureText("meta/state-sync-initial.json");
const bytes = new TextEncoder().encode(body);

describe("forwardDelivery", () => {
  let target: Awaited<ReturnType<typeof app>>;
  beforeAll(async () => (target = await app(202, "accepted by the app")));
  afterAll(() => target.server.close());

  it("sends the body byte for byte with its own signature, and keeps the app's status, answer and latency", async () => {
    const signature = await signPayload(body, SECRET);
    const result = await forwardDelivery(bytes, { "content-type": "application/json", "x-hub-signature-256": signature }, { to: target.url });
    expect(result).toMatchObject({ to: target.url, status: 202, answer: "accepted by the app" });
    expect(result.ms).toBeGreaterThanOrEqual(0);
    const got = target.received.at(-1)!;
    expect(got.body).toBe(body);
    expect(got.headers["x-hub-signature-256"]).toBe(signature);
    expect(await verifySignature(got.body, got.headers["x-hub-signature-256"] as string, SECRET)).toBe(true);
  });

  it("signs with --forward-secret instead: the app checks it with its own secret", async () => {
    await forwardDelivery(bytes, { "x-hub-signature-256": await signPayload(body, SECRET) }, { to: target.url, secret: "the-app-secret" });
    const got = target.received.at(-1)!;
    expect(await verifySignature(got.body, got.headers["x-hub-signature-256"] as string, "the-app-secret")).toBe(true);
    expect(await verifySignature(got.body, got.headers["x-hub-signature-256"] as string, SECRET)).toBe(false);
  });

  it("an app that cannot be reached, or answers too late, is a result, never a throw", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await forwardDelivery(bytes, {}, { to: `http://127.0.0.1:${port}/webhook` });
    expect(refused.status).toBeUndefined();
    expect(refused.error).toMatch(/ECONNREFUSED|refused|fetch failed/i);
    const never = createServer(() => undefined);
    await new Promise<void>((resolve) => never.listen(0, "127.0.0.1", resolve));
    const late = await forwardDelivery(bytes, {}, { to: `http://127.0.0.1:${(never.address() as { port: number }).port}/`, timeoutMs: 200 });
    never.closeAllConnections();
    never.close();
    expect(late).toMatchObject({ error: "no answer in time" });
  });

  it("keeps the app's answer beside the delivery in the log", () => {
    const log = new DeliveryLog(() => ({ events: [], issues: [] }));
    const summary = log.add("POST", { status: 200, headers: {}, body: "", events: [], issues: [] }, true, bytes);
    const updated = log.attachForward(summary.id, { to: "http://app", status: 500, answer: "boom", ms: 3 });
    expect(updated?.forward).toEqual({ to: "http://app", status: 500, answer: "boom", ms: 3 });
    expect(log.summaries()[0]?.forward?.status).toBe(500);
    expect(log.attachForward(999, { to: "http://app", ms: 1, error: "x" })).toBeUndefined();
  });
});

describe("serve --forward-to", () => {
  it("acknowledges Meta, forwards each accepted delivery to the app, and shows the app's answer", async () => {
    const target = await app(200, "thanks");
    const server = await startServe(["--secret", SECRET, "--forward-to", target.url]);
    try {
      expect(server.output()).toContain(`Forwarding each accepted delivery to ${target.url}`);
      const signature = await signPayload(body, SECRET);
      expect((await fetch(`${server.url}/webhook`, { method: "POST", body, headers: { "x-hub-signature-256": signature } })).status).toBe(200);
      // A forged delivery is refused and never reaches the app.
      expect((await fetch(`${server.url}/webhook`, { method: "POST", body, headers: { "x-hub-signature-256": "sha256=00" } })).status).toBe(401);
      await expect.poll(() => target.received.length, { timeout: 10_000 }).toBe(1);
      expect(target.received[0]).toMatchObject({ body });
      expect(target.received[0]?.headers["x-hub-signature-256"]).toBe(signature);
      await expect.poll(() => server.output(), { timeout: 10_000 }).toMatch(/→ http:\/\/127\.0\.0\.1:\d+\/webhook 200 in \d+ ms/);
      const deliveries = (await (await fetch(`${server.url}/api/deliveries`)).json()) as { status: number; forward?: { status: number; answer: string } }[];
      const accepted = deliveries.find((delivery) => delivery.status === 200);
      expect(accepted?.forward).toMatchObject({ status: 200, answer: "thanks" });
      expect(deliveries.find((delivery) => delivery.status === 401)?.forward).toBeUndefined();
    } finally {
      await server.stop();
      target.server.close();
    }
  });

  it("refuses a --forward-to that is no URL, and --forward-secret without it", async () => {
    await expect(startServe(["--forward-to", "localhost:3000"])).rejects.toThrow(/--forward-to takes your app's webhook URL/);
    await expect(startServe(["--forward-secret", "s"])).rejects.toThrow(/only with --forward-to/);
  });
});
