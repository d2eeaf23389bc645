// npm run demo: the library at work on the bundled fixtures. Each body is parsed and every event
// printed on one line; the invalid bodies show their issues, with paths, beside the good events.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { safeParseWebhook } from "../dist/index.js";

const root = fileURLToPath(new URL("../fixtures/", import.meta.url));
const files = (dir) =>
  readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith(".json") ? [join(dir, entry.name)] : []))
    .sort();

function preview(message) {
  switch (message.type) {
    case "text":
      return JSON.stringify(message.text.body.length > 40 ? `${message.text.body.slice(0, 40)}…` : message.text.body);
    case "reaction":
      return message.reaction.removed ? "reaction removed" : `reacted ${message.reaction.emoji}`;
    case "edit":
      return `edit of ${message.edit.originalMessageId.slice(0, 14)}… → ${message.edit.message.type}`;
    case "unknown":
      return `unknown type "${message.originalType}" (raw kept)`;
    default:
      return `[${message.type}]`;
  }
}

function describe(event) {
  const who = (contact) => contact?.fullName ?? contact?.profileName ?? contact?.phoneNumber ?? contact?.userId ?? "?";
  switch (event.type) {
    case "ContactAdded":
      return `${who(event.contact)} (${event.contact.phoneNumber ?? event.contact.userId})`;
    case "ContactRemoved":
      return `${event.contact.phoneNumber ?? event.contact.userId}`;
    case "MessageEchoed":
      return `business → ${event.message.to ?? event.message.toUserId}: ${preview(event.message)}`;
    case "MessageReceived":
      return `${event.contact ? who(event.contact) : event.message.from} → business: ${preview(event.message)}`;
    case "HistoryChunk": {
      const messages = event.threads.reduce((sum, thread) => sum + thread.messages.length, 0);
      return `phase ${event.phase}, chunk ${event.chunkOrder}, ${event.progress}%: ${event.threads.length} threads, ${messages} messages`;
    }
    case "HistoryDeclined":
      return `code ${event.code}: ${event.title}`;
    case "HistoryMedia":
      return `${event.messages.length} media (${event.messages.map((m) => `${m.type}/${m.direction}`).join(", ")})`;
    case "UnhandledChange":
      return `field "${event.field}" kept raw`;
  }
}

let events = 0;
let issues = 0;
for (const file of files(root).filter((path) => !path.includes("/bare/"))) {
  const result = safeParseWebhook(readFileSync(file));
  console.log(`\n${relative(root, file)}`);
  for (const event of result.events) {
    events++;
    console.log(`  ${event.type.padEnd(16)} ${event.source.padEnd(9)} ${(event.phoneNumberId ?? "-").padEnd(16)} ${describe(event)}`);
  }
  if (!result.success) {
    for (const issue of result.issues) {
      issues++;
      console.log(`  ✗ ${issue.path || "(body)"}: ${issue.message}`);
    }
  }
}
console.log(`\n${events} events and ${issues} issues from the bundled fixtures.`);
