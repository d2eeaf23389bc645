/**
 * `replay --conversation <key>`: one person's timeline, in words or as data.
 *
 * @module
 */
import { getIdentity, listBusinesses, listMessages, type ContactBook, type Identity, type TimelineEntry } from "../index.js";
import { time } from "./book-report.js";
import { messagePreview, terminalSafe, type painter } from "./terminal.js";

/** One business's timeline with the person. */
export interface ConversationTimeline {
  readonly phoneNumberId: string;
  readonly identity: Identity;
  /** Newest first, as `listMessages` gives them. */
  readonly messages: TimelineEntry[];
}

/** Every entry of the person's conversation, page by page. */
function allEntries(book: ContactBook, phoneNumberId: string, key: string): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (;;) {
    const page = listMessages(book, phoneNumberId, key, { before: entries.at(-1)?.id, limit: 1000 });
    if (page.length === 0) return entries;
    entries.push(...page);
  }
}

/** The person's timeline in each business that holds a conversation with them. */
export function conversationTimelines(book: ContactBook, key: string): ConversationTimeline[] {
  const timelines: ConversationTimeline[] = [];
  for (const phoneNumberId of listBusinesses(book)) {
    const messages = allEntries(book, phoneNumberId, key);
    if (messages.length > 0) timelines.push({ phoneNumberId, identity: getIdentity(book, phoneNumberId, key) as Identity, messages });
  }
  return timelines;
}

function entryLine(entry: TimelineEntry, paint: ReturnType<typeof painter>): string {
  const arrow = entry.direction === "outbound" ? "→" : "←";
  const content = entry.revoked
    ? paint("dim", "(deleted)")
    : entry.message === undefined
      ? paint("dim", "(sent through the API: the webhooks never show its content)")
      : terminalSafe(entry.message.type === "media_placeholder" ? "[media placeholder: the media follows later]" : messagePreview(entry.message));
  const notes: string[] = [];
  if (entry.editedAt !== undefined) notes.push(paint("dim", `edited ${time(entry.editedAt)}`));
  if (entry.status !== undefined) notes.push(paint(entry.status === "failed" ? "red" : "cyan", entry.status));
  for (const error of entry.errors ?? []) notes.push(paint("red", terminalSafe(`${error.code}: ${error.title ?? error.message ?? ""}`)));
  for (const reaction of entry.reactions) notes.push(terminalSafe(`${reaction.emoji} ${reaction.from}`));
  return `  ${paint("dim", time(entry.timestamp))}  ${arrow} ${entry.origin.padEnd(8)}  ${content}${notes.length === 0 ? "" : `  ${notes.join("  ")}`}`;
}

/** The timelines in words, oldest message first (as a chat reads). */
export function timelineReport(timelines: readonly ConversationTimeline[], key: string, paint: ReturnType<typeof painter>): string {
  if (timelines.length === 0) return `No conversation with ${terminalSafe(key)} in these bodies.\n`;
  const lines: string[] = [];
  for (const { phoneNumberId, identity, messages } of timelines) {
    const ids = [...identity.phoneNumbers.map((phone) => `+${phone}`), ...identity.userIds, ...identity.parentUserIds].join(", ");
    const count = `${messages.length} message${messages.length === 1 ? "" : "s"}`;
    lines.push(paint("bold", terminalSafe(`Conversation with ${ids} · business ${phoneNumberId} · ${count}, oldest first`)));
    for (const entry of [...messages].reverse()) lines.push(entryLine(entry, paint));
  }
  return `${lines.join("\n")}\n`;
}
