/**
 * What anyone on the network can do to `serve`: nothing that stops it, reads nothing without the
 * token or this machine's Host, writes nothing unsigned from elsewhere, and cannot slow it with
 * idle pages. And a journal torn by a kill -9 never costs the deliveries acknowledged after it.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyEvents, createContactBook, listContacts, parseWebhook, serializeBook, signPayload } from "../../src/index.js";
import { BOOK_VERSION } from "../../src/book/serialize-book.js";
import { BookFile } from "../../src/cli/snapshot.js";
import { contactBody, fixtureText } from "../support/fixtures.js";
import { runCli, startServe } from "../support/cli.js";

const SECRET = "hardening-secret";
const work = mkdtempSync(join(tmpdir(), "serve-hardening-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** One raw HTTP/1.1 request, written by hand (so any request target can be sent); resolves to the status line. */
function rawRequest(url: string, target: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`));
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.on("end", () => resolve(answer.split("\r\n")[0] ?? ""));
    socket.on("error", reject);
  });
}

/** A GET with a Host header of our choosing (fetch cannot set one); resolves to the status and the set-cookie header. */
function getWithHost(url: string, path: string, host: string, cookie?: string): Promise<{ status: number; cookie: string | undefined }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host };
    if (cookie !== undefined) headers.cookie = cookie;
    const request = httpRequest({ hostname, port, path, method: "GET", headers }, (response) => {
      response.resume();
      const setCookie = response.headers["set-cookie"]?.[0];
      resolve({ status: response.statusCode ?? 0, cookie: setCookie?.split(";")[0] });
    });
    request.on("error", reject);
    request.end();
  });
}

const contact = contactBody;

async function postSigned(url: string, text: string): Promise<number> {
  return (await fetch(`${url}/webhook`, { method: "POST", body: text, headers: { "x-hub-signature-256": await signPayload(text, SECRET) } })).status;
}

describe("serve against the network", () => {
  it("answers 400 to request targets that are no URL, and keeps serving", async () => {
    for (const args of [["--secret", SECRET], []]) {
      const server = await startServe(args);
      try {
        for (const target of ["http://[/", "http://a:b@/x", "http://x:99999/"]) expect(await rawRequest(server.url, target)).toBe("HTTP/1.1 400 Bad Request");
        expect(await postSigned(server.url, contact("15550000001"))).toBe(200);
      } finally {
        await server.stop();
      }
    }
  });

  it("with --secret, reads need this machine's Host or the token printed at start (then kept as a cookie)", async () => {
    const server = await startServe(["--secret", SECRET]);
    try {
      const port = new URL(server.url).port;
      const token = /\/\?token=([0-9a-f]{32})/.exec(server.output())?.[1];
      expect(token).toBeDefined();
      const tunnel = `tunnel.example:${port}`;
      for (const path of ["/", "/book", "/summary", "/api/deliveries", "/api/deliveries/1", "/live"]) {
        expect((await getWithHost(server.url, path, tunnel)).status).toBe(403);
      }
      expect((await getWithHost(server.url, "/book", `localhost:${port}`)).status).toBe(200);
      const opened = await getWithHost(server.url, `/?token=${token}`, tunnel);
      expect(opened).toEqual({ status: 200, cookie: `wc_serve_token=${token}` });
      expect((await getWithHost(server.url, "/api/deliveries", tunnel, opened.cookie)).status).toBe(200);
      expect((await getWithHost(server.url, "/api/deliveries", tunnel, "wc_serve_token=0000")).status).toBe(403);
      // Webhooks still come in from anywhere: they are signed.
      expect(await postSigned(server.url, contact("15550000002"))).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it("refuses to listen unsigned on an address other machines reach, unless told so", async () => {
    const refused = runCli(["serve", "--port", "0", "--host", "0.0.0.0"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/Without --secret, serve listens only on this machine .* --allow-unsigned/);
    const allowed = await startServe(["--host", "0.0.0.0", "--allow-unsigned"]);
    await allowed.stop();
  });

  it("lets at most 32 pages follow it live", async () => {
    const server = await startServe(["--secret", SECRET]);
    const streams: AbortController[] = [];
    try {
      const open = async () => {
        const controller = new AbortController();
        streams.push(controller);
        return (await fetch(`${server.url}/live`, { signal: controller.signal })).status;
      };
      const statuses = await Promise.all(Array.from({ length: 32 }, open));
      expect(statuses.every((status) => status === 200)).toBe(true);
      expect(await open()).toBe(503);
      streams.shift()?.abort();
      await expect.poll(open, { timeout: 10_000 }).toBe(200);
    } finally {
      for (const controller of streams) controller.abort();
      await server.stop();
    }
  });
});

describe("serve's journal after a kill -9", () => {
  it("cuts a torn last line off, so the deliveries acknowledged after it survive the next start", async () => {
    const snapshot = join(work, "torn.json");
    const first = await startServe(["--secret", SECRET, "--snapshot", snapshot]);
    expect(await postSigned(first.url, contact("15550000010"))).toBe(200);
    await first.stop("SIGKILL");
    // What a kill -9 in the middle of a large append leaves: a line without its end.
    appendFileSync(`${snapshot}.journal`, '[{"type":"ContactAdded","source":"meta","phoneNumberId":"106540352242922","contact":{"phoneNu');
    const second = await startServe(["--secret", SECRET, "--snapshot", snapshot]);
    expect(await postSigned(second.url, contact("15550000011"))).toBe(200);
    expect(await postSigned(second.url, contact("15550000012"))).toBe(200);
    await second.stop("SIGKILL");
    expect(readFileSync(`${snapshot}.journal`, "utf8")).not.toContain('"phoneNu\n');
    const third = await startServe(["--secret", SECRET, "--snapshot", snapshot]);
    try {
      const book = (await (await fetch(`${third.url}/summary`)).json()) as { businesses: Record<string, { contacts: { phoneNumber: string }[] }> };
      expect(book.businesses["106540352242922"]?.contacts.map((each) => each.phoneNumber).sort()).toEqual(["15550000010", "15550000011", "15550000012"]);
    } finally {
      await third.stop();
    }
  });

  it("reads a snapshot an earlier serve wrote as one JSON document, and writes the streamed form from then on", () => {
    const path = join(work, "older.json");
    const book = applyEvents(createContactBook(), parseWebhook(fixtureText("meta/conversation-out-of-order.json")));
    writeFileSync(path, JSON.stringify(serializeBook(book)));
    const file = new BookFile(path);
    expect(serializeBook(file.load())).toEqual(serializeBook(book));
    file.compact(book);
    file.close();
    expect(readFileSync(path, "utf8").split("\n")[0]).toBe(`{"format":"whatsapp-coexistence/contact-book","version":${BOOK_VERSION},"form":"lines"}`);
    const again = new BookFile(path);
    expect(serializeBook(again.load())).toEqual(serializeBook(book));
    again.close();
  });

  it("keeps a whole last line whose newline was never written out of the book, and out of the journal", () => {
    const path = join(work, "newline.json");
    const file = new BookFile(path);
    file.load();
    file.close();
    writeFileSync(`${path}.journal`, "[]\n[]");
    const again = new BookFile(path);
    expect(listContacts(again.load(), "106540352242922")).toEqual([]);
    again.close();
    expect(readFileSync(`${path}.journal`, "utf8")).toBe("[]\n");
  });
});
