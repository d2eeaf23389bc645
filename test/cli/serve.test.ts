import { mkdtempSync, rmSync, statSync } from "node:fs";
import { everyPage } from "../../src/book/pages.js";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyEvents, createContactBook, deserializeBook, listContacts, parseWebhook, serializeBook, signPayload } from "../../src/index.js";
import { contactBody, fixtureText, metaBody, validBodies } from "../support/fixtures.js";
import { startServe } from "../support/cli.js";
import { BookFile } from "../../src/cli/snapshot.js";

/** A history chunk of 500 messages, distinct per `index`: 40 of them make a 20,000-message book. */
function historyBodyOf(index: number): string {
  const messages = Array.from({ length: 500 }, (_, at) => ({
    from: "16505551234",
    id: `wamid.${index}.${at}`,
    timestamp: String(1739000000 + at),
    type: "text",
    text: { body: "an old message" },
  }));
  const value = {
    metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
    history: [{ metadata: { phase: 1, chunk_order: index, progress: 50 }, threads: [{ id: "16505551234", messages }] }],
  };
  return metaBody([{ field: "history", value }], "1");
}

const SECRET = "serve-secret";
const work = mkdtempSync(join(tmpdir(), "serve-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function postSigned(url: string, text: string): Promise<Response> {
  return fetch(`${url}/webhook`, { method: "POST", body: text, headers: { "x-hub-signature-256": await signPayload(text, SECRET) } });
}

describe("serve over real HTTP", () => {
  it("verifies, prints each event, and serves the book, the summary and the page", async () => {
    const server = await startServe(["--secret", SECRET, "--verify-token", "vt"]);
    try {
      const bodies = ["meta/state-sync-initial.json", "meta/echo-text.json", "meta/history-chunk.json"].map(fixtureText);
      for (const body of bodies) expect((await postSigned(server.url, body)).status).toBe(200);
      expect((await fetch(`${server.url}/webhook`, { method: "POST", body: bodies[0] })).status).toBe(401);
      const handshake = await fetch(`${server.url}/webhook?hub.mode=subscribe&hub.verify_token=vt&hub.challenge=99`);
      expect(await handshake.text()).toBe("99");
      const expected = serializeBook(
        applyEvents(
          createContactBook(),
          bodies.flatMap((body) => parseWebhook(body)),
        ),
      );
      expect(await (await fetch(`${server.url}/book`)).json()).toEqual(expected);
      const summary = (await (await fetch(`${server.url}/summary`)).json()) as { events: number; businesses: Record<string, { contacts: unknown[] }> };
      expect(summary.events).toBe(5);
      expect(summary.businesses["106540352242922"]?.contacts).toHaveLength(3);
      const page = await fetch(`${server.url}/`);
      expect(page.headers.get("content-type")).toMatch(/text\/html/);
      expect(await page.text()).toContain("<title>whatsapp-coexistence");
      expect(page.headers.get("content-security-policy")).toMatch(
        /^default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; connect-src 'self'/,
      );
      expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
      // The inspector's API: deliveries (newest first, the handshake too), one in full, a page of a timeline.
      const deliveries = (await (await fetch(`${server.url}/api/deliveries`)).json()) as { id: number; method: string; status: number; signature: string }[];
      expect(deliveries.map(({ method, status, signature }) => `${method} ${status} ${signature}`)).toEqual([
        "GET 200 not read",
        "POST 401 invalid",
        "POST 200 valid",
        "POST 200 valid",
        "POST 200 valid",
      ]);
      const detail = (await (await fetch(`${server.url}/api/deliveries/${deliveries[2]!.id}`)).json()) as { body: string; parsed: { type: string }[] };
      expect(detail.body).toBe(bodies[2]);
      expect(detail.parsed.map((event) => event.type)).toEqual(["HistoryChunk"]);
      expect((await fetch(`${server.url}/api/deliveries/12345`)).status).toBe(404);
      const page1 = (await (await fetch(`${server.url}/api/messages?business=106540352242922&key=%2B16505551234&limit=2`)).json()) as { id: string }[];
      expect(page1).toHaveLength(2);
      const page2 = (await (
        await fetch(`${server.url}/api/messages?business=106540352242922&key=16505551234&limit=2&before=${encodeURIComponent(page1[1]!.id)}`)
      ).json()) as { id: string }[];
      expect(page2[0]!.id).not.toBe(page1[1]!.id);
      for (const query of ["business=106540352242922", "business=1&key=2&limit=0", "business=1&key=2&limit=501"]) {
        expect((await fetch(`${server.url}/api/messages?${query}`)).status).toBe(400);
      }
      const only = (await (await fetch(`${server.url}/api/businesses?id=106540352242922&id=none`)).json()) as { id: string }[];
      expect(only.map((business) => business.id)).toEqual(["106540352242922"]);
      expect(server.output()).toContain("ContactAdded           106540352242922  +16505551234 Ana Lima");
      expect(server.output()).toMatch(/✗ 401 POST \/webhook refused/);
    } finally {
      await server.stop();
    }
  });

  it("keeps every contact across a restart with --snapshot", async () => {
    const snapshot = join(work, "restart.json");
    const first = await startServe(["--secret", SECRET, "--snapshot", snapshot]);
    const bodies = validBodies()
      .map((fixture) => fixture.text)
      .filter((text) => !text.includes('"event"'));
    try {
      for (const body of bodies) expect((await postSigned(first.url, body)).status).toBe(200);
    } finally {
      await first.stop("SIGKILL");
    }
    const expected = serializeBook(
      applyEvents(
        createContactBook(),
        bodies.flatMap((body) => parseWebhook(body)),
      ),
    );
    expect(serializeBook(new BookFile(snapshot).load())).toEqual(expected); // snapshot + journal
    const second = await startServe(["--secret", SECRET, "--snapshot", snapshot]);
    try {
      expect(await (await fetch(`${second.url}/book`)).json()).toEqual(expected);
      expect(listContacts(deserializeBook(expected), "106540352242922").length).toBeGreaterThanOrEqual(2);
    } finally {
      await second.stop();
    }
  });

  it("never leaves a corrupt snapshot when killed mid-write, and keeps every acknowledged contact", async () => {
    const snapshot = join(work, "crash.json");
    let next = 0;
    const acknowledged: string[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const server = await startServe(["--secret", SECRET, "--snapshot", snapshot]);
      let stop = false;
      const posting = Promise.all(
        Array.from({ length: 8 }, async () => {
          while (!stop) {
            const phone = String(15550000000 + next++);
            const response = await postSigned(server.url, contactBody(phone)).catch(() => undefined);
            if (response === undefined) stop = true;
            else if (response.status === 200) acknowledged.push(phone);
          }
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 150 + attempt * 120));
      await server.stop("SIGKILL"); // every acknowledged POST was journaled first, so this lands mid-append often
      stop = true;
      await posting;
      const file = new BookFile(snapshot);
      const book = file.load(); // never torn: a torn last journal line was never acknowledged
      file.close();
      const saved = new Set(everyPage((after) => listContacts(book, "106540352242922", { after, limit: 500 })).map((contact) => contact.phoneNumber));
      expect(acknowledged.filter((phone) => !saved.has(phone))).toEqual([]);
    }
    expect(acknowledged.length).toBeGreaterThan(50);
  }, 60_000);

  it("a POST costs the same with a large book as with an empty one (a journal, not a rewrite of the book)", () => {
    const big = applyEvents(createContactBook(), Array.from({ length: 40 }, (_, index) => parseWebhook(historyBodyOf(index))).flat());
    const event = parseWebhook(fixtureText("meta/echo-text.json"));
    // What each POST writes, counted in bytes rather than timed (fsync latency is noise): the
    // snapshot stays as it is and the journal grows by the batch alone, whatever the book's size.
    const writtenBy = (book: ReturnType<typeof createContactBook>, name: string) => {
      const path = join(work, name);
      const file = new BookFile(path);
      file.load();
      file.compact(book);
      const snapshot = statSync(path);
      for (let index = 0; index < 20; index++) file.append(event, book);
      file.close();
      const after = statSync(path);
      expect([after.size, after.mtimeMs, after.ino]).toEqual([snapshot.size, snapshot.mtimeMs, snapshot.ino]);
      return { snapshot: snapshot.size, journal: statSync(`${path}.journal`).size };
    };
    const small = writtenBy(createContactBook(), "small.json");
    const large = writtenBy(big, "large.json");
    expect(large.snapshot).toBeGreaterThan(100 * small.snapshot); // the book really is large
    expect(large.journal).toBe(small.journal); // was a full rewrite and sort of the book per POST
    expect(large.journal).toBeLessThan(20 * 2 * fixtureText("meta/echo-text.json").length);
  });

  it("refuses a snapshot that is not a book", async () => {
    const bad = join(work, "bad.json");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(bad, "{torn");
    await expect(startServe(["--snapshot", bad])).rejects.toThrow(/Cannot load the snapshot/);
  });
});

/** A POST with a Host header of our choosing (fetch does not let one be set), resolving to the status. */
function postWithHost(url: string, host: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname, port, path: "/webhook", method: "POST", headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", reject);
    request.end(fixtureText("meta/state-sync-initial.json"));
  });
}

describe("serve without a secret accepts only this machine", () => {
  const body = fixtureText("meta/state-sync-initial.json");
  const post = (url: string, headers: Record<string, string> = {}) => fetch(`${url}/webhook`, { method: "POST", body, headers });

  it("refuses another Host (DNS rebinding) and browsers' cross-origin writes; accepts loopback", async () => {
    const server = await startServe([]);
    try {
      const port = new URL(server.url).port;
      expect((await post(server.url)).status).toBe(200);
      expect(await postWithHost(server.url, `evil.example:${port}`)).toBe(403); // fetch cannot set Host
      expect(await postWithHost(server.url, `localhost:${port}`)).toBe(200);
      expect((await post(server.url, { origin: "https://evil.example" })).status).toBe(403);
      expect((await post(server.url, { "sec-fetch-site": "cross-site" })).status).toBe(403);
      expect((await post(server.url, { origin: `http://127.0.0.1:${port}` })).status).toBe(200);
      expect(server.output()).toContain("✗ 403");
    } finally {
      await server.stop();
    }
  });

  it("takes the secret from WHATSAPP_COEXISTENCE_SECRET, so it stays out of ps", async () => {
    const server = await startServe([], { WHATSAPP_COEXISTENCE_SECRET: SECRET });
    try {
      expect((await post(server.url)).status).toBe(401);
      expect((await postSigned(server.url, body)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
