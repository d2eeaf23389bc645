/**
 * `serve`: a local webhook receiver that prints each event, keeps a book (optionally in a
 * snapshot file), and shows it on a live page.
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import {
  createContactBook,
  describeUnplaced,
  foldEvents,
  getConnection,
  getHistorySync,
  listBusinesses,
  listContacts,
  listConversations,
  listMessages,
  processWebhook,
  safeParseWebhook,
  serializeBook,
  serializeBookLines,
  type CoexistenceEvent,
  type BusinessFallback,
  type Connection,
  type ContactBook,
  type WebhookHandlerOptions,
} from "../index.js";
import { everyPage } from "../book/pages.js";
import { connectionWhy } from "./book-report.js";
import { nodeIncoming, send } from "../receiving/node-handler.js";
import { DeliveryLog } from "./deliveries.js";
import { DeliveryJournal } from "./delivery-journal.js";
import { forwardDelivery, type ForwardOptions } from "./forward.js";
import { curlCommand, keptHeaders } from "./resend.js";
import { LIVE_PAGE, LIVE_PAGE_POLICY } from "./live-page.js";
import { LiveUpdates } from "./live-updates.js";
import { BookFile } from "./snapshot.js";
import { eventLine, painter, terminalSafe } from "./terminal.js";
import { UsageError } from "./usage.js";

/** What `serve` was asked for. */
export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly secrets: readonly string[];
  readonly verifyToken?: string;
  readonly snapshot?: string;
  readonly maxBytes?: number;
  /** The business of bodies that name none (`--phone-number-id`, `--waba-id`). */
  readonly business?: BusinessFallback;
  /** Listen without a secret on an address other machines reach (`--allow-unsigned`). */
  readonly allowUnsigned?: boolean;
  /** Send each accepted delivery on to the app (`--forward-to`, `--forward-secret`). */
  readonly forward?: ForwardOptions;
}

/** One business as the live page shows it. */
function businessView(book: ContactBook, id: string) {
  return {
    id,
    contacts: everyPage((after) => listContacts(book, id, { after, limit: 500 })),
    conversations: everyPage((before) => listConversations(book, id, { before, limit: 500 })),
    historySync: getHistorySync(book, id),
    connection: connectionView(getConnection(book, id)),
  };
}

/** A connection with its reason in words, as the report says it. */
function connectionView(connection: Connection) {
  return { ...connection, why: connectionWhy(connection) };
}

function summary(book: ContactBook, events: number) {
  // No prototype: a business whose phone_number_id is "__proto__" is a key like any other.
  const businesses: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const id of listBusinesses(book)) businesses[id] = businessView(book, id);
  return { events, businesses };
}

/**
 * The book: one JSON document, or (`?form=lines`, and for a book too large for one text) the
 * streamed form, one record a line.
 */
function sendBook(response: ServerResponse, book: ContactBook, lines: boolean): void {
  if (!lines) {
    let text: string | undefined;
    try {
      text = JSON.stringify(serializeBook(book));
    } catch {
      // Past the longest string JavaScript holds: the streamed form below.
    }
    if (text !== undefined) {
      response.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
      response.end(text);
      return;
    }
  }
  response.writeHead(200, { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" });
  for (const line of serializeBookLines(book)) response.write(`${line}\n`);
  response.end();
}

function sendJson(response: ServerResponse, value: unknown, status = 200): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  response.end(JSON.stringify(value));
}

/** The businesses whose state differs between two books (each a persistent value: unchanged ones are the same object). */
function changedBusinesses(before: ContactBook, after: ContactBook, events: readonly CoexistenceEvent[]): string[] {
  if (before === after) return [];
  // A lifecycle event names a WABA: every business may have a new connection.
  if (before.accounts !== after.accounts) return listBusinesses(after);
  const ids = new Set<string>();
  for (const event of events) if (event.phoneNumberId !== undefined) ids.add(event.phoneNumberId);
  return [...ids].sort();
}

/** The largest page the live page may ask for. */
const MAX_PAGE = 500;

/** The API the live page reads (all `GET`, all JSON); `undefined` when the path is not one of it. */
function apiAnswer(path: string, query: URLSearchParams, book: ContactBook, deliveries: DeliveryLog): [number, unknown] | undefined {
  if (path === "/api/deliveries") return [200, deliveries.summaries()];
  const delivery = /^\/api\/deliveries\/(\d{1,9})$/.exec(path);
  if (delivery !== null) {
    const detail = deliveries.detail(Number(delivery[1]));
    return detail === undefined ? [404, { error: "That delivery is not kept any more." }] : [200, detail];
  }
  if (path === "/api/businesses") {
    // ?id=...&id=... for the businesses an update named; every business otherwise.
    const only = query.getAll("id");
    const ids = only.length === 0 ? listBusinesses(book) : listBusinesses(book).filter((id) => only.includes(id));
    return [200, ids.map((id) => businessView(book, id))];
  }
  if (path === "/api/messages") {
    const business = query.get("business");
    const key = query.get("key");
    const limit = Number(query.get("limit") ?? 50);
    if (business === null || key === null) return [400, { error: "business and key are required." }];
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) return [400, { error: `limit is a whole number from 1 to ${MAX_PAGE}.` }];
    return [200, listMessages(book, business, key, { before: query.get("before") ?? undefined, limit })];
  }
  return undefined;
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?$/i;

/**
 * Without `--secret` anything could write to the book, so only this machine may: the `Host` must
 * be a loopback name (a DNS-rebinding page cannot reach in), and a browser's cross-origin request
 * (an `Origin` other than the server's own, or `Sec-Fetch-Site: cross-site`) is refused.
 *
 * @returns why the request is refused, or `undefined` to accept it.
 */
function unsignedRefusal(request: IncomingMessage): string | undefined {
  const host = request.headers.host ?? "";
  if (!LOOPBACK_HOST.test(host)) return "Without --secret, serve accepts only requests to a loopback host (localhost, 127.0.0.1, [::1]).";
  const origin = request.headers.origin;
  const site = request.headers["sec-fetch-site"];
  if ((origin !== undefined && origin !== `http://${host}`) || site === "cross-site" || site === "same-site") {
    return "Without --secret, serve refuses requests from web pages of other origins.";
  }
  return undefined;
}

/** Whether a listening address is this machine's alone. */
export function isLoopbackAddress(host: string): boolean {
  return host === "::1" || LOOPBACK_HOST.test(host);
}

/** The name of the cookie that carries the read token, once the page was opened with it. */
const TOKEN_COOKIE = "wc_serve_token";

/**
 * Whether a read (the page, the book, the deliveries' bodies) may be answered: to a loopback `Host`
 * (this machine), or with the token printed at start (`?token=`, or the cookie the page then
 * keeps), as notebook servers do. A tunnel or a DNS-rebinding page reaches serve with another
 * `Host`, and has no token.
 */
function mayRead(request: IncomingMessage, url: URL, token: string): boolean {
  if (url.searchParams.get("token") === token) return true;
  const cookies = request.headers.cookie ?? "";
  if (cookies.split(";").some((cookie) => cookie.trim() === `${TOKEN_COOKIE}=${token}`)) return true;
  return LOOPBACK_HOST.test(request.headers.host ?? "");
}

/** Starts the receiver; resolves once it listens, with a function that stops it. */
export async function serve(options: ServeOptions): Promise<() => Promise<void>> {
  if (options.secrets.length === 0 && !isLoopbackAddress(options.host) && options.allowUnsigned !== true) {
    throw new UsageError(
      `Without --secret, serve listens only on this machine (127.0.0.1, ::1, localhost): on ${options.host} anyone who reaches it could write to the book. ` +
        "Give --secret (or WHATSAPP_COEXISTENCE_SECRET), or add --allow-unsigned to accept that.",
      "serve",
    );
  }
  const token = Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
  let book = createContactBook();
  const file = options.snapshot === undefined ? undefined : new BookFile(options.snapshot);
  if (file !== undefined) {
    try {
      book = file.load();
    } catch (error) {
      throw new UsageError(`Cannot load the snapshot ${options.snapshot as string}: ${(error as Error).message}`, "serve");
    }
  }
  let received = 0;
  const paint = painter(process.stdout);
  const parseOptions = { maxBytes: options.maxBytes, phoneNumberId: options.business?.phoneNumberId, wabaId: options.business?.wabaId };
  const deliveries = new DeliveryLog((raw) => {
    const result = safeParseWebhook(raw, parseOptions);
    return { events: result.events, issues: result.success ? [] : result.issues };
  });
  // With a snapshot, the deliveries survive a restart too (within the kept-bodies budget).
  const restored = options.snapshot === undefined ? 0 : new DeliveryJournal(`${options.snapshot}.deliveries`, deliveries).load();
  const live = new LiveUpdates();
  const signed = options.secrets.length > 0;
  const handlerOptions: WebhookHandlerOptions = {
    ...(signed ? { secret: options.secrets } : { allowUnsigned: true }),
    ...(options.verifyToken === undefined ? {} : { verifyToken: options.verifyToken }),
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    phoneNumberId: options.business?.phoneNumberId,
    wabaId: options.business?.wabaId,
  };

  /** One request to /webhook: answered as the library's handler answers, printed, folded and logged. */
  async function receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const incoming = nodeIncoming(request);
    let raw: Uint8Array | undefined;
    const outcome = await processWebhook({ ...incoming, readBody: async (maxBytes) => (raw = await incoming.readBody(maxBytes)) }, handlerOptions);
    const method = incoming.method.toUpperCase();
    let changed: string[] = [];
    let unplaced: string[] = [];
    if (outcome.status === 200 && method === "POST") {
      received += outcome.events.length;
      for (const event of outcome.events) process.stdout.write(`${eventLine(event, paint)}\n`);
      for (const issue of outcome.issues) process.stdout.write(`${paint("red", "✗")} ${terminalSafe(`${issue.path}: ${issue.message}`)}\n`);
      const folded = foldEvents(book, outcome.events);
      const next = folded.book;
      unplaced = describeUnplaced(folded.unplaced);
      for (const line of unplaced) process.stdout.write(`${paint("yellow", "!")} ${line}.\n`);
      // Durable before the webhook is acknowledged: a restart or a kill -9 loses nothing answered 200.
      if (next !== book) file?.append(outcome.events, next);
      changed = changedBusinesses(book, next, outcome.events);
      book = next;
    } else if (method === "POST") {
      process.stdout.write(`${paint("red", `✗ ${outcome.status}`)} POST /webhook refused\n`);
    }
    // After a 413 the rest of the body is never read: close the connection once the answer is out.
    send(response, outcome.status, outcome.headers, outcome.body, outcome.status === 413 ? () => request.destroy() : undefined);
    const headers = keptHeaders((name) => request.headers[name]);
    const summary = deliveries.add(method, outcome, signed, raw, unplaced, headers);
    live.send("delivery", summary);
    // Once acknowledged (Meta waits for no one), an accepted delivery goes on to the app.
    if (options.forward !== undefined && outcome.status === 200 && method === "POST" && raw !== undefined) {
      void forwardDelivery(raw, headers, options.forward).then((result) => {
        const verdict =
          result.status === undefined
            ? paint("red", `✗ ${result.error ?? "unreachable"}`)
            : paint(result.status < 300 ? "green" : "red", String(result.status));
        process.stdout.write(`  → ${terminalSafe(result.to)} ${verdict} in ${result.ms} ms\n`);
        const updated = deliveries.attachForward(summary.id, result);
        if (updated !== undefined) live.send("forward", updated);
      });
    }
    if (changed.length > 0) live.send("book", { businesses: changed });
  }

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    try {
      route(request, response);
    } catch (error) {
      // No request may stop the receiver: whatever went wrong is this request's answer alone.
      if (!response.headersSent)
        send(response, 500, { "content-type": "text/plain; charset=utf-8" }, error instanceof Error ? error.message : "Internal error.");
      else response.destroy();
    }
  });

  function route(request: IncomingMessage, response: ServerResponse): void {
    let url: URL;
    try {
      url = new URL(request.url ?? "/", "http://localhost");
    } catch {
      response.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
      response.end("Bad request: the request target is not a URL.");
      return;
    }
    const path = url.pathname;
    const refusal = signed ? undefined : unsignedRefusal(request);
    if (refusal !== undefined) {
      response.writeHead(403, { "content-type": "text/plain; charset=utf-8" });
      response.end(refusal);
      process.stdout.write(`${paint("red", "✗ 403")} ${terminalSafe(`${request.method ?? "?"} ${path}: ${refusal}`)}\n`);
      return;
    }
    if (path === "/webhook") {
      receive(request, response).catch((error: unknown) => {
        if (!response.headersSent)
          send(response, 500, { "content-type": "text/plain; charset=utf-8" }, error instanceof Error ? error.message : "Internal error.");
      });
      return;
    }
    if (!mayRead(request, url, token)) {
      response.writeHead(403, { "content-type": "text/plain; charset=utf-8" });
      response.end("Reads need this machine's Host (localhost) or the token serve printed at start: open the URL with ?token=.");
      process.stdout.write(`${paint("red", "✗ 403")} ${terminalSafe(`${request.method ?? "?"} ${path}: a read without the token from another host`)}\n`);
      return;
    }
    const resend = /^\/api\/deliveries\/(\d{1,9})\/(replay|curl)$/.exec(path);
    if (resend !== null) {
      resendDelivery(request, response, Number(resend[1]), resend[2] as "replay" | "curl", url.searchParams.get("to") === "app" ? "app" : "serve");
      return;
    }
    const answer = request.method === "GET" ? apiAnswer(path, url.searchParams, book, deliveries) : undefined;
    if (answer !== undefined) sendJson(response, answer[1], answer[0]);
    else if (request.method === "GET" && path === "/") {
      const headers: Record<string, string> = {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": LIVE_PAGE_POLICY,
        "x-content-type-options": "nosniff",
      };
      // Opened with the token: the page's own requests carry it as a cookie from now on.
      if (url.searchParams.get("token") === token) headers["set-cookie"] = `${TOKEN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`;
      response.writeHead(200, headers);
      response.end(LIVE_PAGE);
    } else if (request.method === "GET" && path === "/live") live.open(response);
    else if (request.method === "GET" && path === "/book") sendBook(response, book, url.searchParams.get("form") === "lines");
    else if (request.method === "GET" && path === "/summary") sendJson(response, summary(book, received));
    else {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      response.end("Not found. Webhooks go to /webhook; the live page is /.");
    }
  }
  /**
   * A kept delivery sent again (`POST .../replay?to=serve|app`, from the inspector: it must carry
   * `x-inspector: 1`, which no other site's page can send without a preflight `serve` never
   * answers), or the same as a `curl` command (`GET .../curl`).
   */
  function resendDelivery(request: IncomingMessage, response: ServerResponse, id: number, action: "replay" | "curl", to: "serve" | "app"): void {
    const kept = deliveries.resendable(id);
    if (kept === undefined) return sendJson(response, { error: "That delivery's body is not kept any more." }, 404);
    if (to === "app" && options.forward === undefined)
      return sendJson(response, { error: "serve was started without --forward-to: there is no app to send to." }, 400);
    const url = to === "app" ? (options.forward as ForwardOptions).to : ownWebhook;
    if (action === "curl") {
      if (request.method !== "GET") return sendJson(response, { error: "GET it." }, 405);
      response.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      response.end(curlCommand(url, kept.headers, new TextDecoder().decode(kept.raw)));
      return;
    }
    if (request.method !== "POST" || request.headers["x-inspector"] !== "1") return sendJson(response, { error: "Replays come from the inspector." }, 403);
    // To the app as forwarding sends (with --forward-secret, signed again); to serve, byte for byte as it came.
    const forward = to === "app" ? (options.forward as ForwardOptions) : { to: url };
    void forwardDelivery(kept.raw, kept.headers, forward).then((result) => {
      process.stdout.write(`  ↻ delivery #${id} replayed to ${terminalSafe(result.to)}: ${result.status ?? result.error ?? "?"} in ${result.ms} ms\n`);
      sendJson(response, result, 200);
    });
  }

  let ownWebhook = "";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  // Where a replay to serve goes: this process, by loopback (an address that listens on all interfaces answers there too).
  const ownHost = options.host === "0.0.0.0" || options.host === "::" ? "127.0.0.1" : options.host.includes(":") ? `[${options.host}]` : options.host;
  ownWebhook = `http://${ownHost}:${port}/webhook`;
  process.stdout.write(
    `Listening on http://${options.host}:${port}/ (webhooks: /webhook, book: /book)` +
      `${options.secrets.length === 0 ? paint("yellow", " — no --secret: signatures are NOT checked") : ""}\n` +
      `The inspector from another host (a tunnel): /?token=${token}\n` +
      (restored === 0 ? "" : `${restored} ${restored === 1 ? "delivery" : "deliveries"} kept from before the restart\n`) +
      (options.forward === undefined
        ? ""
        : `Forwarding each accepted delivery to ${options.forward.to}${options.forward.secret === undefined ? " (with its own signature)" : " (signed with --forward-secret)"}\n`),
  );
  return () => {
    live.close();
    server.closeAllConnections();
    return new Promise((resolve) =>
      server.close(() => {
        if (file !== undefined) {
          file.compact(book);
          file.close();
        }
        resolve();
      }),
    );
  };
}
