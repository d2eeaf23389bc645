/**
 * Output for people: one line per event, colour only on a terminal and never with NO_COLOR.
 *
 * @module
 */
import { styleText } from "node:util";
import type { CoexistenceEvent, MediaContent, Message } from "../index.js";

type Style = Parameters<typeof styleText>[0];

/** Colours text when the stream is a terminal and NO_COLOR is unset. */
export function painter(stream: NodeJS.WriteStream): (style: Style, text: string) => string {
  const colour = stream.isTTY === true && !("NO_COLOR" in process.env) && process.env.TERM !== "dumb";
  return (style, text) => (colour ? styleText(style, text) : text);
}

function clip(text: string, length = 48): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

/** A message in a few words. */
export function messagePreview(message: Message): string {
  switch (message.type) {
    case "text":
      return JSON.stringify(clip(message.text.body));
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker": {
      const media = (message as unknown as Record<string, MediaContent>)[message.type] as MediaContent;
      return `[${message.type}${media.caption === undefined ? "" : ` ${JSON.stringify(clip(media.caption, 30))}`}]`;
    }
    case "reaction":
      return message.reaction.removed ? "[reaction removed]" : `[reacted ${message.reaction.emoji}]`;
    case "edit":
      return `[edit → ${message.edit.message.type}]`;
    case "system":
      return `[system ${message.system.type}]`;
    case "unknown":
      return `[unknown type ${message.originalType ?? "(none)"}]`;
    default:
      return `[${message.type}]`;
  }
}

function party(phoneNumber: string | undefined, userId: string | undefined): string {
  return phoneNumber === undefined ? (userId ?? "?") : `+${phoneNumber}`;
}

/** One event in one line: what happened, for which business, and to whom. */
export function eventLine(event: CoexistenceEvent, paint: ReturnType<typeof painter>): string {
  const business = paint("dim", event.phoneNumberId ?? event.wabaId ?? "?");
  const type = paint("bold", event.type.padEnd(22));
  let detail: string;
  switch (event.type) {
    case "ContactAdded":
      detail = `${party(event.contact.phoneNumber, event.contact.userId)} ${event.contact.fullName ?? ""}`.trim();
      break;
    case "ContactRemoved":
      detail = party(event.contact.phoneNumber, event.contact.userId);
      break;
    case "MessageEchoed":
      detail = `business → ${party(event.message.to, event.message.toUserId)} ${messagePreview(event.message)}`;
      break;
    case "MessageReceived":
      detail = `${party(event.message.from, event.message.fromUserId)} → business ${messagePreview(event.message)}`;
      break;
    case "HistoryChunk": {
      const messages = event.threads.reduce((sum, thread) => sum + thread.messages.length, 0);
      const position = `phase ${event.phase ?? "?"} chunk ${event.chunkOrder ?? "?"} ${event.progress ?? "?"}%`;
      detail = `${position}: ${event.threads.length} threads, ${messages} messages`;
      break;
    }
    case "HistoryDeclined":
      detail = paint("yellow", `declined (${event.code}) ${event.title ?? ""}`.trim());
      break;
    case "HistoryMedia":
      detail = `${event.messages.length} media`;
      break;
    case "MessageStatusUpdated":
      detail = `${party(event.recipient.phoneNumber, event.recipient.userId)} ${event.status} ${event.messageId}`;
      break;
    case "UserIdChanged":
      detail = `${event.previousUserId ?? "?"} → ${event.userId}`;
      break;
    case "UserPreferencesUpdated":
      detail = `${party(event.user.phoneNumber, event.user.userId)} ${event.category}: ${event.value}`;
      break;
    case "UnhandledChange":
      detail = paint("dim", `field ${event.field}`);
      break;
  }
  return `${type} ${business}  ${detail}`;
}
