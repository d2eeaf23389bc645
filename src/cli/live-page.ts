/**
 * The live page `serve` shows at `/`: plain HTML and a few lines of script that poll `/summary`.
 *
 * @module
 */

/** The page. */
export const LIVE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>whatsapp-coexistence · live</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem; color: #1f2328; background: #fff; }
  h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
  h2 { font-size: 1.1rem; margin: 2rem 0 .5rem; }
  h3 { font-size: .95rem; margin: 1rem 0 .25rem; color: #59636e; }
  table { border-collapse: collapse; min-width: 28rem; }
  td, th { text-align: left; padding: .2rem .8rem .2rem 0; border-bottom: 1px solid #eee; }
  .muted { color: #59636e; }
  progress { width: 12rem; vertical-align: middle; }
</style>
</head>
<body>
<h1>whatsapp-coexistence</h1>
<p class="muted">Live view of the local receiver. POST webhooks to <code>/webhook</code>. <span id="status">Loading…</span></p>
<main id="businesses"></main>
<script>
const text = (value) => String(value ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const when = (seconds) => { const date = new Date(Number(seconds) * 1000); return Number.isNaN(date.getTime()) ? String(seconds) + "s" : date.toISOString().replace("T", " ").slice(0, 16); };
const who = (party) => (party.phoneNumber ? "+" + party.phoneNumber : party.userId);
function render(summary) {
  const businesses = Object.entries(summary.businesses);
  document.getElementById("status").textContent = businesses.length === 0 ? "No events yet." : summary.events + " events received.";
  document.getElementById("businesses").innerHTML = businesses.map(([id, b]) => \`
    <section data-business="\${text(id)}">
      <h2>Business \${text(id)}</h2>
      <h3>History sync</h3>
      <p><progress max="100" value="\${b.historySync.progress}"></progress> <span class="sync">\${text(b.historySync.status)}, \${b.historySync.progress}%, \${b.historySync.chunks} chunks, \${b.historySync.messages} messages</span></p>
      <h3>Contacts (\${b.contacts.length})</h3>
      <table class="contacts"><tbody>\${b.contacts.map((c) => \`<tr><td>\${text(who(c))}</td><td>\${text(c.fullName ?? "")}</td><td class="muted">\${when(c.updatedAt)}</td></tr>\`).join("")}</tbody></table>
      <h3>Conversations (\${b.conversations.length})</h3>
      <table class="conversations"><tbody>\${b.conversations.map((c) => \`<tr><td>\${text(who(c.customer))}</td><td>\${c.messageCount} messages</td><td class="muted">last \${text(c.lastDirection)} \${when(c.lastMessageAt)}</td></tr>\`).join("")}</tbody></table>
    </section>\`).join("");
}
async function refresh() {
  try {
    const response = await fetch("/summary", { cache: "no-store" });
    render(await response.json());
  } catch (error) {
    document.getElementById("status").textContent = "Receiver unreachable.";
  }
}
refresh();
setInterval(refresh, 1000);
</script>
</body>
</html>
`;
