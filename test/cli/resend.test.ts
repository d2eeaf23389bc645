/**
 * Replaying a kept delivery: to serve itself or to the app, byte for byte with its signature, and
 * as a curl command that sends exactly the same bytes.
 */
import { execFileSync } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { describe, expect, it } from "vitest";
import { curlCommand, keptHeaders } from "../../src/cli/resend.js";
import { signPayload, verifySignature } from "../../src/index.js";
import { fixtureText } from "../support/fixtures.js";
import { startServe } from "../support/cli.js";

const SECRET = "resend-secret";

/** A stand-in app that records each body and signature it receives. */
function app(): Promise<{ url: string; received: { body: string; signature: string | undefined }[]; server: Server }> {
  const received: { body: string; signature: string | undefined }[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push({ body, signature: request.headers["x-hub-signature-256"] as string | undefined });
      response.end("ok");
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, received, server })),
  );
}

describe("keptHeaders and curlCommand", () => {
  it("keep what a replay needs and never a cookie or a credential", () => {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      cookie: "a=b",
      authorization: "Bearer x",
      "x-hub-signature-256": "sha256=ab",
    };
    expect(keptHeaders((name) => headers[name])).toEqual({ "content-type": "application/json", "x-hub-signature-256": "sha256=ab" });
  });

  it("make a command whose body is byte for byte the delivery's, quotes and all", () => {
    const body = `{"name":"O'Brien \\"quoted\\" $HOME \`id\` %s","x":"line\\nbreak"}\n\n`;
    const command = curlCommand("http://127.0.0.1:1/webhook", { "x-hub-signature-256": "sha256=ab" }, body);
    expect(command).toContain(`-H 'x-hub-signature-256: sha256=ab'`);
    // The shell's printf gives back exactly the body (no newline added or removed, nothing expanded).
    const printed = execFileSync("sh", ["-c", command.slice(0, command.indexOf(" | curl"))], { encoding: "utf8" });
    expect(printed).toBe(body);
  });
});

describe("serve's replay", () => {
  it("sends a kept delivery again to serve and to the app, and gives it as curl; only from the inspector", async () => {
    const target = await app();
    const server = await startServe(["--secret", SECRET, "--forward-to", target.url]);
    try {
      const body = fixtureText("meta/echo-text.json");
      const signature = await signPayload(body, SECRET);
      expect((await fetch(`${server.url}/webhook`, { method: "POST", body, headers: { "x-hub-signature-256": signature } })).status).toBe(200);
      await expect.poll(() => target.received.length, { timeout: 10_000 }).toBe(1);

      const detail = (await (await fetch(`${server.url}/api/deliveries/1`)).json()) as { headers: Record<string, string> };
      expect(detail.headers["x-hub-signature-256"]).toBe(signature);

      // Without the inspector's header (a page of another site could not send it), no replay.
      expect((await fetch(`${server.url}/api/deliveries/1/replay`, { method: "POST" })).status).toBe(403);
      const inspector = { method: "POST", headers: { "x-inspector": "1" } };
      const toServe = (await (await fetch(`${server.url}/api/deliveries/1/replay?to=serve`, inspector)).json()) as { status: number };
      expect(toServe.status).toBe(200);
      const summaries = (await (await fetch(`${server.url}/api/deliveries`)).json()) as { id: number; status: number; signature: string }[];
      expect(summaries.map((summary) => [summary.id, summary.status, summary.signature])).toEqual([
        [2, 200, "valid"],
        [1, 200, "valid"],
      ]);
      const toApp = (await (await fetch(`${server.url}/api/deliveries/1/replay?to=app`, inspector)).json()) as { status: number };
      expect(toApp.status).toBe(200);
      // The app got the delivery three times (forwarded, the replay to serve forwarded, the replay to it), each with its signature.
      await expect.poll(() => target.received.length, { timeout: 10_000 }).toBe(3);
      for (const received of target.received) expect(await verifySignature(received.body, received.signature ?? "", SECRET)).toBe(true);

      const curl = await (await fetch(`${server.url}/api/deliveries/1/curl?to=app`)).text();
      expect(curl).toContain(`curl -sS -X POST '${target.url}'`);
      expect(curl).toContain(`-H 'x-hub-signature-256: ${signature}'`);
      expect((await fetch(`${server.url}/api/deliveries/99/curl`)).status).toBe(404);
    } finally {
      await server.stop();
      target.server.close();
    }
  });

  it("says there is no app without --forward-to", async () => {
    const server = await startServe(["--secret", SECRET]);
    try {
      const body = fixtureText("meta/echo-text.json");
      await fetch(`${server.url}/webhook`, { method: "POST", body, headers: { "x-hub-signature-256": await signPayload(body, SECRET) } });
      const response = await fetch(`${server.url}/api/deliveries/1/replay?to=app`, { method: "POST", headers: { "x-inspector": "1" } });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/without --forward-to/);
    } finally {
      await server.stop();
    }
  });
});
