/**
 * `serve`: a local webhook receiver that prints each event, keeps a book (optionally in a
 * snapshot file), and shows it on a live page.
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import {
  applyEvents,
  createContactBook,
  createNodeHandler,
  getHistorySync,
  listBusinesses,
  listContacts,
  listConversations,
  serializeBook,
  type ContactBook,
} from "../index.js";
import { LIVE_PAGE } from "./live-page.js";
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
}

function summary(book: ContactBook, events: number) {
  // No prototype: a business whose phone_number_id is "__proto__" is a key like any other.
  const businesses: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const id of listBusinesses(book)) {
    businesses[id] = { contacts: listContacts(book, id), conversations: listConversations(book, id), historySync: getHistorySync(book, id) };
  }
  return { events, businesses };
}

function sendJson(response: ServerResponse, value: unknown): void {
  response.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  response.end(JSON.stringify(value));
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

/** Starts the receiver; resolves once it listens, with a function that stops it. */
export async function serve(options: ServeOptions): Promise<() => Promise<void>> {
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
  const webhook = createNodeHandler({
    ...(options.secrets.length > 0 ? { secret: options.secrets } : { allowUnsigned: true }),
    ...(options.verifyToken === undefined ? {} : { verifyToken: options.verifyToken }),
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    onEvents: ({ events, issues }) => {
      received += events.length;
      for (const event of events) process.stdout.write(`${eventLine(event, paint)}\n`);
      for (const issue of issues) process.stdout.write(`${paint("red", "✗")} ${terminalSafe(`${issue.path}: ${issue.message}`)}\n`);
      const next = applyEvents(book, events);
      // Durable before the webhook is acknowledged: a restart or a kill -9 loses nothing answered 200.
      if (next !== book) file?.append(events, next);
      book = next;
    },
  });
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const refusal = options.secrets.length === 0 ? unsignedRefusal(request) : undefined;
    if (refusal !== undefined) {
      response.writeHead(403, { "content-type": "text/plain; charset=utf-8" });
      response.end(refusal);
      process.stdout.write(`${paint("red", "✗ 403")} ${terminalSafe(`${request.method ?? "?"} ${path}: ${refusal}`)}\n`);
    } else if (path === "/webhook") {
      void webhook(request, response);
      if (request.method === "POST") response.on("finish", () => response.statusCode !== 200 && process.stdout.write(`${paint("red", `✗ ${response.statusCode}`)} POST /webhook refused\n`));
    } else if (request.method === "GET" && path === "/") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(LIVE_PAGE);
    } else if (request.method === "GET" && path === "/book") sendJson(response, serializeBook(book));
    else if (request.method === "GET" && path === "/summary") sendJson(response, summary(book, received));
    else {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      response.end("Not found. Webhooks go to /webhook; the live page is /.");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  process.stdout.write(
    `Listening on http://${options.host}:${port}/ (webhooks: /webhook, book: /book)` +
      `${options.secrets.length === 0 ? paint("yellow", " — no --secret: signatures are NOT checked") : ""}\n`,
  );
  return () => {
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
