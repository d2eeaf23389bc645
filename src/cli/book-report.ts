/**
 * A contact book in words, per business.
 *
 * @module
 */
import { everyPage } from "../book/pages.js";
import { getConnection, getHistorySync, listBusinesses, listContacts, listConversations, type Connection, type ContactBook } from "../index.js";
import { terminalSafe, type painter } from "./terminal.js";

/** A unix time as `YYYY-MM-DD hh:mm UTC`. */
export function time(seconds: number): string {
  // Any number at all: a time no date can hold is shown as it is, never thrown.
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds}s` : `${date.toISOString().replace("T", " ").slice(0, 16)} UTC`;
}

/** The book's contacts, conversations and history sync, per business. */
export function bookReport(book: ContactBook, paint: ReturnType<typeof painter>): string {
  const lines: string[] = [];
  const businesses = listBusinesses(book);
  if (businesses.length === 0) return "The book is empty.\n";
  for (const phoneNumberId of businesses) {
    const contacts = everyPage((after) => listContacts(book, phoneNumberId, { after, limit: 500 }));
    const conversations = everyPage((before) => listConversations(book, phoneNumberId, { before, limit: 500 }));
    const sync = getHistorySync(book, phoneNumberId);
    lines.push(paint("bold", terminalSafe(`Business ${phoneNumberId}`)));
    lines.push(`  Contacts (${contacts.length})`);
    for (const contact of contacts) {
      const who = contact.phoneNumber === undefined ? contact.userId : `+${contact.phoneNumber}`;
      const name = contact.fullName === undefined ? paint("dim", "(no name)") : terminalSafe(contact.fullName);
      lines.push(`    ${terminalSafe(who ?? "?")}  ${name}  ${paint("dim", `updated ${time(contact.updatedAt)}`)}`);
    }
    lines.push(`  Conversations (${conversations.length})`);
    for (const conversation of conversations) {
      const who = "phoneNumber" in conversation.customer ? `+${conversation.customer.phoneNumber}` : conversation.customer.userId;
      lines.push(
        `    ${terminalSafe(who)}  ${conversation.messageCount} message${conversation.messageCount === 1 ? "" : "s"}, last ${conversation.lastDirection} ${time(conversation.lastMessageAt)}`,
      );
    }
    const declined = sync.declined === undefined ? "" : terminalSafe(` (${sync.declined.code}: ${sync.declined.title ?? "declined"})`);
    lines.push(
      `  History sync: ${sync.status}, ${sync.progress}%, ${sync.chunks} ${sync.chunks === 1 ? "chunk" : "chunks"}, ${sync.messages} ${sync.messages === 1 ? "message" : "messages"}${declined}`,
    );
    const connection = getConnection(book, phoneNumberId);
    if (connection.state !== "unknown") {
      const why = connectionWhy(connection);
      const since = connection.since === undefined ? "" : ` since ${time(connection.since)}`;
      lines.push(`  Connection: ${paint(connection.state === "connected" ? "green" : "red", connection.state)}${since} (${terminalSafe(why)})`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Why a business is connected or not, in a few words: the lifecycle event, its reason, who did it
 * (`PARTNER_REMOVED, COMPANION_INACTIVITY, by SYSTEM`). The report and the live page both say it so.
 */
export function connectionWhy(connection: Connection): string {
  return [connection.event, connection.reason, connection.initiatedBy === undefined ? undefined : `by ${connection.initiatedBy}`].filter(Boolean).join(", ");
}
