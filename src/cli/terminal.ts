/**
 * Output for people: one line per event, colour only on a terminal and never with NO_COLOR.
 *
 * @module
 */
import { styleText } from "node:util";
import type { CoexistenceEvent, MediaContent, Message } from "../index.js";

type Style = Parameters<typeof styleText>[0];

/**
 * Colours text when the stream is a terminal, unless `NO_COLOR` is set to a non-empty value
 * (no-color.org: an empty `NO_COLOR=` changes nothing); `FORCE_COLOR` (not `0`) colours anywhere.
 */
export function painter(stream: NodeJS.WriteStream): (style: Style, text: string) => string {
  const force = process.env.FORCE_COLOR;
  const noColor = process.env.NO_COLOR;
  const colour =
    force !== undefined && force !== "" ? force !== "0" : stream.isTTY === true && (noColor === undefined || noColor === "") && process.env.TERM !== "dumb";
  return (style, text) => (colour ? styleText(style, text, { validateStream: false }) : text);
}

/** Control characters, and the invisible ones that reorder text (bidirectional overrides). */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a payload, made safe for a terminal: every control character (ESC sequences, OSC 52
 * clipboard writes, carriage returns, C1 controls, bidirectional overrides) is shown as `\u{..}`
 * instead of acting on the operator's terminal.
 *
 * @example
 * ```ts
 * terminalSafe("Ana\u001b]52;c;aGk=\u0007"); // "Ana\\u{1b}]52;c;aGk=\\u{7}"
 * ```
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (char) => `\\u{${(char.codePointAt(0) as number).toString(16)}}`);
}

/** What `JSON.stringify` leaves as it is but a terminal acts on: C1 controls and the characters that reorder text. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON for a terminal: `JSON.stringify`, with the characters it leaves raw but a terminal acts on
 * (C1 controls, bidirectional overrides) written as `\uXXXX` escapes. The same JSON value, safe to print.
 *
 * @example
 * ```ts
 * jsonForTerminal({ name: "Eve\u202Egnp.exe" }); // '{"name":"Eve\\u202egnp.exe"}'
 * ```
 */
export function jsonForTerminal(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
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
    case "location":
    case "contacts":
    case "revoke":
    case "interactive":
    case "button":
    case "order":
    case "template":
    case "media_placeholder":
    case "unsupported":
      return `[${message.type}]`;
    default:
      return unknownMessagePreview(message);
  }
}

/** The compiler's proof that {@link messagePreview} names every message type; at run time, a message of no known type. */
function unknownMessagePreview(message: never): string {
  return `[${String((message as { type?: unknown }).type)}]`;
}

function party(phoneNumber: string | undefined, userId: string | undefined): string {
  return phoneNumber === undefined ? (userId ?? "?") : `+${phoneNumber}`;
}

/** One event in one line: what happened, for which business, and to whom. */
export function eventLine(event: CoexistenceEvent, paint: ReturnType<typeof painter>): string {
  const business = paint("dim", terminalSafe(event.phoneNumberId ?? event.wabaId ?? "?"));
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
      detail = paint("yellow", terminalSafe(`declined (${event.code}) ${event.title ?? ""}`.trim()));
      break;
    case "HistoryMedia":
      detail = `${event.messages.length} media`;
      break;
    case "MessageStatusUpdated": {
      const participant = event.recipient.participant;
      const who =
        participant === undefined
          ? party(event.recipient.phoneNumber, event.recipient.userId)
          : `${party(participant.phoneNumber, participant.userId)} in group ${event.groupId ?? "?"}`;
      detail = `${who} ${event.status} ${event.messageId}`;
      break;
    }
    case "UserIdChanged":
      detail = `${event.previousUserId ?? "?"} → ${event.userId}`;
      break;
    case "UserPreferencesUpdated":
      detail = `${party(event.user.phoneNumber, event.user.userId)} ${event.category}: ${event.value}`;
      break;
    case "AccountLifecycleChanged": {
      const why = event.disconnection === undefined ? "" : ` (${event.disconnection.reason ?? "?"}, by ${event.disconnection.initiatedBy ?? "?"})`;
      detail = paint("yellow", terminalSafe(`${event.event}${why}`));
      break;
    }
    case "ErrorsReported":
      detail = paint("yellow", terminalSafe(event.errors.map((error) => `(${error.code}) ${error.title ?? ""}`.trim()).join(", ")));
      break;
    case "UnhandledChange":
      detail = paint("dim", terminalSafe(`field ${event.field}`));
      break;
  }
  const painted =
    event.type === "HistoryDeclined" || event.type === "ErrorsReported" || event.type === "AccountLifecycleChanged" || event.type === "UnhandledChange";
  return `${type} ${business}  ${painted ? detail : terminalSafe(detail)}`;
}
