/**
 * The live inspector `serve` shows at `/`: one self-contained HTML page (no build step, no external
 * assets). It lists every delivery as it arrives and shows the book, pushed by server-sent events
 * from `/live`; details (a delivery's raw body and events, a business, a conversation's timeline)
 * are fetched from `/api/...` when needed. Every text from a payload goes into the page as a text
 * node, never as HTML, and the page's content security policy runs no script but its own.
 *
 * @module
 */
import { createHash } from "node:crypto";

const STYLE = `
  :root { color-scheme: light; --muted: #59636e; --line: #e5e7eb; --accent: #0a7d4f; --bad: #b42318; --warn: #9a6700; }
  * { box-sizing: border-box; }
  body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
  header { padding: .8rem 1.5rem; background: #fff; border-bottom: 1px solid var(--line); display: flex; gap: 1rem; align-items: baseline; }
  header h1 { font-size: 1.15rem; margin: 0; }
  main { display: grid; grid-template-columns: minmax(20rem, 1fr) minmax(22rem, 1.1fr) minmax(26rem, 1.3fr); gap: 1rem; padding: 1rem 1.5rem; align-items: start; }
  #delivery-list { max-height: calc(100vh - 12rem); overflow-y: auto; }
  #delivery { position: sticky; top: 1rem; }
  #timeline-entries { max-height: 65vh; overflow-y: auto; }
  .filters { display: flex; gap: .4rem; margin-bottom: .5rem; } .filters input { flex: 1; font: inherit; padding: .1rem .4rem; }
  section.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem; margin-bottom: 1rem; }
  h2 { font-size: 1rem; margin: 0 0 .6rem; }
  h3 { font-size: .9rem; margin: .9rem 0 .3rem; color: var(--muted); }
  .muted { color: var(--muted); }
  table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: .25rem .6rem .25rem 0; border-bottom: 1px solid var(--line); vertical-align: top; }
  ol, ul { margin: 0; padding: 0; list-style: none; }
  #delivery-list li > span:last-child { grid-column: 1 / -1; }
  #delivery-list li { display: grid; grid-template-columns: 6.4rem 3.2rem 1fr; gap: .4rem; padding: .3rem .4rem; border-bottom: 1px solid var(--line); cursor: pointer; }
  #delivery-list li:hover, #delivery-list li.selected { background: #eef6f1; }
  .code-ok { color: var(--accent); font-weight: 600; } .code-bad { color: var(--bad); font-weight: 600; } .code-warn { color: var(--warn); }
  .sig-invalid { color: var(--bad); } .sig-valid { color: var(--accent); } .sig-not-checked { color: var(--warn); }
  pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: .6rem; overflow: auto; max-height: 22rem; font-size: 12px; white-space: pre-wrap; word-break: break-word; }
  button { font: inherit; cursor: pointer; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: .1rem .6rem; }
  .badge { display: inline-block; font-size: 11px; border-radius: 999px; padding: 0 .5rem; background: #eef1f4; color: var(--muted); }
  .timeline li.entry { max-width: 80%; margin: .5rem 0; padding: .45rem .7rem; border-radius: 10px; background: #fff; border: 1px solid var(--line); }
  .timeline li.outbound { margin-left: auto; background: #e7f8ee; }
  .timeline li.revoked .content { font-style: italic; color: var(--muted); }
  .timeline .meta { font-size: 11px; color: var(--muted); display: flex; gap: .4rem; flex-wrap: wrap; }
  .timeline .status-failed { color: var(--bad); } .timeline .status-read, .timeline .status-played { color: #0969da; }
  .timeline .reactions { display: flex; gap: .3rem; margin-top: .2rem; }
  .timeline .reactions li { font-size: 12px; background: #fff; border: 1px solid var(--line); border-radius: 999px; padding: 0 .4rem; }
  progress { width: 10rem; vertical-align: middle; }
`;

const SCRIPT = `
"use strict";
const $ = (selector) => document.querySelector(selector);
/** An element; strings become text nodes (never HTML). */
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "onclick") node.addEventListener("click", value);
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) if (child !== undefined && child !== null && child !== false) node.append(child instanceof Node ? child : String(child));
  return node;
}
const when = (seconds) => { const date = new Date(Number(seconds) * 1000); return Number.isNaN(date.getTime()) ? String(seconds) + "s" : date.toISOString().replace("T", " ").slice(0, 16) + " UTC"; };
const clock = (iso) => String(iso).slice(11, 19) + " UTC";
const who = (party) => (party.phoneNumber ? "+" + party.phoneNumber : party.userId);
const plural = (count, word) => count + " " + word + (count === 1 ? "" : "s");

const state = { deliveries: [], selected: undefined, businesses: new Map(), conversation: undefined };

async function getJson(url) {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error((await response.json()).error || response.statusText);
  return response.json();
}

function renderStatus(live) {
  const count = state.deliveries.length;
  const received = count === 0 ? "No deliveries yet." : count === 1 ? "1 delivery received." : count + " deliveries received.";
  $("#status").textContent = received + (live ? " Live." : " Reconnecting…");
}

/** Whether a delivery passes the filters: its verdict, and a text found in its fields, event types, answer or status. */
function shown(d) {
  const verdict = $("#delivery-verdict").value;
  if (verdict !== "" && d.signature !== verdict) return false;
  const text = $("#delivery-filter").value.trim().toLowerCase();
  if (text === "") return true;
  const haystack = [d.method, d.status, d.signature, d.answer, ...d.fields, ...(d.types || []), d.forward ? "forwarded " + (d.forward.status || d.forward.error) : ""].join(" ").toLowerCase();
  return text.split(/\\s+/).every((word) => haystack.includes(word));
}

/**
 * Keeps a delivery's newest summary, newest delivery first, whatever order serve's list, the delivery
 * and its forwarding result arrive in: a summary with the app's answer is never replaced by one without.
 */
function keepDelivery(d) {
  const list = state.deliveries;
  const at = list.findIndex((each) => each.id <= d.id);
  if (at >= 0 && list[at].id === d.id) {
    if (d.forward || !list[at].forward) list[at] = d;
    return;
  }
  list.splice(at < 0 ? list.length : at, 0, d);
  if (list.length > 500) list.pop();
}

/** Takes serve's list of deliveries (newest first), keeping what events told since it was asked for. */
function keepDeliveries(deliveries) {
  const known = state.deliveries;
  state.deliveries = deliveries.slice();
  const newest = deliveries.length > 0 ? deliveries[0].id : -1;
  for (const d of known) if (d.id > newest || deliveries.some((each) => each.id === d.id)) keepDelivery(d);
}

function renderDeliveries() {
  $("#delivery-list").replaceChildren(...state.deliveries.filter(shown).map((d) => el("li", {
      "data-delivery": d.id, class: d.id === state.selected ? "selected" : undefined, onclick: () => showDelivery(d.id), title: d.answer || undefined,
    },
    el("span", { class: "muted" }, clock(d.at)),
    el("span", { class: d.status === 200 ? "code-ok" : "code-bad" }, d.status),
    el("span", { class: "sig sig-" + d.signature.replace(" ", "-") }, d.signature),
    el("span", {}, d.method, " ", d.fields.join(", ") || "—", " · ", plural(d.events, "event"), d.issues > 0 ? el("span", { class: "code-bad" }, " · " + plural(d.issues, "issue")) : "", d.unplaced.length > 0 ? el("span", { class: "code-warn" }, " · not all placed") : "", forwardNote(d.forward)),
  )));
}

/** What the app answered to a forwarded delivery, in a few words. */
function forwardNote(forward) {
  if (!forward) return "";
  if (forward.status === undefined) return el("span", { class: "code-bad" }, " · → app: " + forward.error);
  return el("span", { class: forward.status < 300 ? "code-ok" : "code-bad" }, " · → app " + forward.status + " in " + forward.ms + " ms");
}

/** Sends a kept delivery again, to serve or to the app, and says what came back. */
async function replay(id, to) {
  const result = $("#delivery-action-result");
  try {
    const response = await fetch("/api/deliveries/" + id + "/replay?to=" + to, { method: "POST", headers: { "x-inspector": "1" } });
    const answer = await response.json();
    result.textContent = response.ok ? " → " + (answer.status === undefined ? answer.error : answer.status + " in " + answer.ms + " ms") : " " + answer.error;
  } catch (error) {
    result.textContent = " " + error.message;
  }
}

/** Puts the delivery as a curl command on the clipboard (and shows it, where the clipboard is refused). */
async function copyCurl(id) {
  const result = $("#delivery-action-result");
  const command = await (await fetch("/api/deliveries/" + id + "/curl")).text();
  try {
    await navigator.clipboard.writeText(command);
    result.textContent = " Copied.";
  } catch {
    result.textContent = "";
    result.append(el("pre", {}, command));
  }
}

function pretty(text) {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; }
}

async function showDelivery(id) {
  state.selected = id;
  renderDeliveries();
  const panel = $("#delivery");
  panel.hidden = false;
  try {
    const d = await getJson("/api/deliveries/" + id);
    $("#delivery-title").textContent = "Delivery #" + d.id + " · " + d.method + " " + d.status + " · signature " + d.signature + (d.signatureFailure ? " (" + d.signatureFailure + ")" : "");
    $("#delivery-answer").textContent = (d.answer ? "Answer: " + d.answer : "Answered " + d.status + ".") +
      (d.forward ? " Forwarded to " + d.forward.to + ": " + (d.forward.status === undefined ? d.forward.error : d.forward.status + " in " + d.forward.ms + " ms" + (d.forward.answer ? ", answer: " + d.forward.answer : "")) + "." : "");
    $("#delivery-issues").replaceChildren(
      ...(d.issueList || []).map((issue) => el("li", { class: "code-bad" }, (issue.path || "(body)") + ": " + issue.message)),
      ...d.unplaced.map((line) => el("li", { class: "code-warn", "data-unplaced": "" }, "Not placed in the book: " + line + ".")),
    );
    $("#delivery-headers").textContent = Object.entries(d.headers || {}).map(([name, value]) => name + ": " + value).join("\\n") || "(none kept)";
    $("#delivery-actions").replaceChildren(
      el("button", { "data-replay": "serve", onclick: () => replay(d.id, "serve") }, "Replay to serve"),
      el("button", { "data-replay": "app", onclick: () => replay(d.id, "app") }, "Replay to the app"),
      el("button", { "data-curl": "", onclick: () => copyCurl(d.id) }, "Copy as curl"),
      el("span", { id: "delivery-action-result", class: "muted" }),
    );
    $("#delivery-events").textContent = d.parsed === undefined ? "(no longer kept)" : JSON.stringify(d.parsed, null, 2);
    $("#delivery-body").textContent = d.body === undefined ? "(no longer kept)" : pretty(d.body);
  } catch (error) {
    $("#delivery-title").textContent = "Delivery #" + id + ": " + error.message;
  }
}

function renderBusinesses() {
  const views = [...state.businesses.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  $("#businesses").replaceChildren(...(views.length === 0 ? [el("p", { class: "muted" }, "The book is empty.")] : views.map((b) => el("section", { "data-business": b.id },
    el("h2", {}, "Business " + b.id),
    connectionLine(b.connection),
    el("h3", {}, "History sync"),
    el("p", {}, el("progress", { max: 100, value: b.historySync.progress }), " ",
      el("span", { class: "sync" }, b.historySync.status + ", " + b.historySync.progress + "%, " + plural(b.historySync.chunks, "chunk") + ", " + plural(b.historySync.messages, "message")),
      b.historySync.declined ? el("span", { class: "code-bad" }, " (" + b.historySync.declined.code + ": " + (b.historySync.declined.title || "declined") + ")") : ""),
    el("h3", {}, "Contacts (" + b.contacts.length + ")"),
    el("table", { class: "contacts" }, el("tbody", {}, b.contacts.map((c) => el("tr", {},
      el("td", {}, who(c)), el("td", {}, c.fullName || el("span", { class: "muted" }, "(no name)")), el("td", { class: "muted" }, when(c.updatedAt)))))),
    el("h3", {}, "Conversations (" + b.conversations.length + ")"),
    el("table", { class: "conversations" }, el("tbody", {}, b.conversations.map((c) => el("tr", { "data-customer": who(c.customer) },
      el("td", {}, who(c.customer)), el("td", {}, plural(c.messageCount, "message")), el("td", { class: "muted" }, "last " + c.lastDirection + " " + when(c.lastMessageAt)),
      el("td", {}, el("button", { class: "open-timeline", onclick: () => openConversation(b.id, c.customer.phoneNumber || c.customer.userId, who(c.customer)) }, "Timeline")))))),
  ))));
}

/** A business's connection to the provider, from its lifecycle events (nothing before any). */
function connectionLine(c) {
  if (!c || c.state === "unknown") return "";
  return el("p", { class: "connection" }, el("span", { class: c.state === "connected" ? "code-ok" : "code-bad" }, c.state === "connected" ? "Connected" : "Disconnected"),
    (c.since === undefined ? "" : " since " + when(c.since)) + " (" + c.why + ")");
}

function preview(m) {
  const media = m[m.type] || {};
  switch (m.type) {
    case "text": return m.text.body;
    case "image": case "video": case "audio": case "document": case "sticker": return "[" + m.type + "] " + (media.caption || media.filename || "");
    case "location": return "[location] " + [media.name, media.address].filter(Boolean).join(", ");
    case "contacts": return "[contacts] " + (m.contacts || []).map((c) => (c.name && c.name.formattedName) || (c.phones && c.phones[0] && c.phones[0].phone) || "").join(", ");
    case "media_placeholder": return "[media placeholder: the media follows in a later webhook]";
    case "interactive": { const reply = media.buttonReply || media.listReply || {}; return "[interactive] " + (reply.title || media.type || ""); }
    case "button": return "[button] " + (media.text || media.payload || "");
    case "template": return "[template] " + (media.name || "");
    case "unknown": return "[" + (m.originalType || "unknown") + "]";
    default: return "[" + m.type + "]";
  }
}

function entryItem(entry) {
  const content = entry.revoked ? "This message was deleted." : entry.message ? preview(entry.message) : "Sent through the API (the webhooks never show its content).";
  return el("li", { class: "entry " + entry.direction + (entry.revoked ? " revoked" : ""), "data-id": entry.id, "data-origin": entry.origin },
    el("div", { class: "meta" }, el("time", {}, when(entry.timestamp)), el("span", { class: "badge origin" }, entry.origin),
      entry.status ? el("span", { class: "status status-" + entry.status }, entry.status) : "",
      entry.editedAt !== undefined ? el("span", { class: "edited" }, "edited " + when(entry.editedAt)) : "",
      entry.revoked ? el("span", { class: "badge revoked-tag" }, "revoked") : ""),
    el("div", { class: "content" }, content),
    entry.errors ? el("ul", { class: "errors" }, entry.errors.map((error) => el("li", { class: "code-bad" }, error.code + ": " + (error.title || error.message || "")))) : "",
    entry.reactions.length > 0 ? el("ul", { class: "reactions" }, entry.reactions.map((r) => el("li", { title: r.from + " at " + when(r.timestamp) }, r.emoji + " " + r.from))) : "");
}

function renderConversation() {
  const c = state.conversation;
  $("#timeline").hidden = c === undefined;
  if (c === undefined) return;
  $("#timeline-title").textContent = "Conversation with " + c.label + " · business " + c.business;
  // The page lists oldest first, like a chat; listMessages pages newest first.
  const list = $("#timeline-entries");
  const fromBottom = list.scrollHeight - list.scrollTop;
  list.replaceChildren(...[...c.entries].reverse().map(entryItem));
  $("#older").hidden = !c.more;
  // Opened at the newest message; after older ones are added above, the same message stays in view.
  list.scrollTop = c.opened ? list.scrollHeight - fromBottom : list.scrollHeight;
  c.opened = true;
}

/** How many times the page asked for a timeline: only the answer to the last question is shown. */
let timelineAsks = 0;

async function loadConversation(business, key, label, count) {
  const asked = ++timelineAsks;
  const limit = Math.min(500, Math.max(50, count));
  const entries = await getJson("/api/messages?" + new URLSearchParams({ business, key, limit: String(limit) }));
  if (asked !== timelineAsks) return;
  const keep = state.conversation !== undefined && state.conversation.business === business && state.conversation.key === key;
  state.conversation = { business, key, label, entries, more: entries.length === limit, opened: keep };
  renderConversation();
}

function openConversation(business, key, label) {
  loadConversation(business, key, label, 50).then(() => $("#timeline").scrollIntoView({ block: "nearest" }));
}

async function older() {
  const c = state.conversation;
  const asked = timelineAsks;
  const page = await getJson("/api/messages?" + new URLSearchParams({ business: c.business, key: c.key, before: c.entries[c.entries.length - 1].id, limit: "50" }));
  // The timeline was reloaded meanwhile (a delivery, another conversation): this older page belongs to none shown.
  if (asked !== timelineAsks || state.conversation !== c) return;
  c.entries.push(...page);
  c.more = page.length === 50;
  renderConversation();
}

/** How many times the page asked for businesses, and when (by that count) each view it holds was asked for. */
let bookAsks = 0;
const viewAsked = new Map();

/** Whether the page holds a view of business id asked for after the question numbered asked. */
const heldNewer = (id, asked) => (viewAsked.get(id) ?? 0) > asked;

/** Keeps a business's view (asked for by question number asked) in views: answers may cross, and an older one never replaces a newer view. */
function takeView(views, view, asked) {
  if (heldNewer(view.id, asked)) return;
  viewAsked.set(view.id, asked);
  views.set(view.id, view);
}

async function reloadAll() {
  const asked = ++bookAsks;
  const [deliveries, businesses] = await Promise.all([getJson("/api/deliveries"), getJson("/api/businesses")]);
  keepDeliveries(deliveries);
  // A business refreshed after this list was asked for keeps its newer view.
  const next = new Map([...state.businesses].filter(([id]) => heldNewer(id, asked)));
  for (const view of businesses) takeView(next, view, asked);
  state.businesses = next;
  renderDeliveries();
  renderBusinesses();
  const c = state.conversation;
  if (c !== undefined) await loadConversation(c.business, c.key, c.label, c.entries.length);
}

async function refreshBusinesses(ids) {
  const asked = ++bookAsks;
  const query = new URLSearchParams(ids.map((id) => ["id", id]));
  for (const view of await getJson("/api/businesses?" + query)) takeView(state.businesses, view, asked);
  renderBusinesses();
  const c = state.conversation;
  if (c !== undefined && ids.includes(c.business)) await loadConversation(c.business, c.key, c.label, c.entries.length);
}

$("#older").addEventListener("click", () => void older());
$("#delivery-filter").addEventListener("input", () => renderDeliveries());
$("#delivery-verdict").addEventListener("change", () => renderDeliveries());
let live = false;
const source = new EventSource("/live");
source.addEventListener("open", () => { live = true; reloadAll().then(() => renderStatus(live)); });
source.addEventListener("error", () => { live = false; renderStatus(live); });
source.addEventListener("delivery", (event) => {
  keepDelivery(JSON.parse(event.data));
  renderDeliveries();
  renderStatus(live);
});
source.addEventListener("forward", (event) => {
  const updated = JSON.parse(event.data);
  keepDelivery(updated);
  renderDeliveries();
  if (state.selected === updated.id) void showDelivery(updated.id);
});
source.addEventListener("book", (event) => void refreshBusinesses(JSON.parse(event.data).businesses));
`;

const BODY = `
<header><h1>whatsapp-coexistence inspector</h1><span class="muted">POST webhooks to <code>/webhook</code>.</span><span id="status" class="muted">Connecting…</span></header>
<main>
  <div>
    <section class="panel" id="deliveries"><h2>Deliveries</h2>
      <div class="filters"><input id="delivery-filter" type="search" placeholder="Filter: field, event, status" title="Keeps the deliveries whose field, event type, status, answer or forwarding result contain every word" aria-label="Filter deliveries">
        <select id="delivery-verdict" aria-label="Signature verdict"><option value="">any signature</option><option>valid</option><option>invalid</option><option>not checked</option><option>not read</option></select></div>
      <ol id="delivery-list"></ol></section>
  </div>
  <div>
    <section class="panel" id="delivery" hidden>
      <h2 id="delivery-title"></h2>
      <p id="delivery-answer" class="muted"></p>
      <ul id="delivery-issues"></ul>
      <p id="delivery-actions"></p>
      <h3>Request headers</h3><pre id="delivery-headers"></pre>
      <h3>Events</h3><pre id="delivery-events"></pre>
      <h3>Raw body</h3><pre id="delivery-body"></pre>
    </section>
  </div>
  <div>
    <section class="panel" id="book"><div id="businesses"></div></section>
    <section class="panel" id="timeline" hidden>
      <h2 id="timeline-title"></h2>
      <button id="older" hidden>Older messages</button>
      <ol id="timeline-entries" class="timeline"></ol>
    </section>
  </div>
</main>`;

/** The page. */
export const LIVE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>whatsapp-coexistence · inspector</title>
<style>${STYLE}</style>
</head>
<body>${BODY}
<script>${SCRIPT}</script>
</body>
</html>
`;

const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

/**
 * The page's content security policy: its own inline script and style (by hash) and requests to
 * this server, nothing else. A payload that slipped past escaping could neither run nor load anything.
 */
export const LIVE_PAGE_POLICY = `default-src 'none'; script-src ${hash(SCRIPT)}; style-src ${hash(STYLE)}; connect-src 'self'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
