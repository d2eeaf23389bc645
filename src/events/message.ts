/**
 * The message types: one per `type`, inferred from the schemas, and their union.
 *
 * @module
 */
import type * as v from "valibot";
import type { HistoryStatus } from "../schemas/history.js";
import type { knownMessageSchemas, messageContextSchema, messageSchema } from "../schemas/message.js";

type Known = typeof knownMessageSchemas;

/** A text message. @example `if (message.type === "text") console.log(message.text.body);` */
export type TextMessage = v.InferOutput<Known["text"]>;
/** An image. @example `if (message.type === "image") console.log(message.image.mimeType);` */
export type ImageMessage = v.InferOutput<Known["image"]>;
/** A video. @example `if (message.type === "video") console.log(message.video.id);` */
export type VideoMessage = v.InferOutput<Known["video"]>;
/** An audio message or voice note (`audio.voice`). @example `if (message.type === "audio") console.log(message.audio.voice);` */
export type AudioMessage = v.InferOutput<Known["audio"]>;
/** A document. @example `if (message.type === "document") console.log(message.document.filename);` */
export type DocumentMessage = v.InferOutput<Known["document"]>;
/** A sticker. @example `if (message.type === "sticker") console.log(message.sticker.animated);` */
export type StickerMessage = v.InferOutput<Known["sticker"]>;
/** A shared location. @example `if (message.type === "location") console.log(message.location.latitude);` */
export type LocationMessage = v.InferOutput<Known["location"]>;
/** Shared contact cards. @example `if (message.type === "contacts") console.log(message.contacts[0]?.name.formattedName);` */
export type ContactsMessage = v.InferOutput<Known["contacts"]>;
/** A reaction to another message; `reaction.removed` when the emoji was taken back. @example `if (message.type === "reaction") console.log(message.reaction.emoji);` */
export type ReactionMessage = v.InferOutput<Known["reaction"]>;
/** An edit of an earlier message, carrying its new content. @example `if (message.type === "edit") console.log(message.edit.originalMessageId, message.edit.message.type);` */
export type EditMessage = v.InferOutput<Known["edit"]>;
/** A message deleted for everyone. @example `if (message.type === "revoke") console.log(message.revoke.originalMessageId);` */
export type RevokeMessage = v.InferOutput<Known["revoke"]>;
/** An interactive message; `interactive` is kept exactly as Meta sends it. @example `if (message.type === "interactive") console.log(message.interactive["type"]);` */
export type InteractiveMessage = v.InferOutput<Known["interactive"]>;
/** A pressed quick-reply button. @example `if (message.type === "button") console.log(message.button.payload);` */
export type ButtonMessage = v.InferOutput<Known["button"]>;
/** An order; `order` is kept exactly as Meta sends it. @example `if (message.type === "order") console.log(message.order["catalog_id"]);` */
export type OrderMessage = v.InferOutput<Known["order"]>;
/** A template message; `template` is kept exactly as Meta sends it. @example `if (message.type === "template") console.log(message.template["name"]);` */
export type TemplateMessage = v.InferOutput<Known["template"]>;
/** A history item whose media arrives later as a {@link HistoryMedia} event (same id). @example `if (message.type === "media_placeholder") console.log(message.id);` */
export type MediaPlaceholderMessage = v.InferOutput<Known["media_placeholder"]>;
/** A message WhatsApp could not render; `errors` says why (131051, 131060, ...). @example `if (message.type === "unsupported") console.log(message.errors?.[0]?.code);` */
export type UnsupportedMessage = v.InferOutput<Known["unsupported"]>;

/**
 * Any message, discriminated on `type`. A type this library does not know parses as
 * `type: "unknown"`, with `originalType` and the `raw` object as received.
 *
 * @example
 * ```ts
 * function preview(message: Message): string {
 *   switch (message.type) {
 *     case "text": return message.text.body;
 *     case "image": return message.image.caption ?? "[image]";
 *     case "unknown": return `[${message.originalType}]`;
 *     default: return `[${message.type}]`;
 *   }
 * }
 * ```
 */
export type Message = v.InferOutput<typeof messageSchema>;

/** A message of a type this library does not model. @example `if (message.type === "unknown") console.log(message.originalType, message.raw);` */
export type UnknownMessage = Extract<Message, { type: "unknown" }>;

/** The `type` of a {@link Message}. @example `const type: MessageType = "text";` */
export type MessageType = Message["type"];

/** The new content inside an edit. @example `const edited: EditedContent = { type: "text", text: { body: "fixed typo" } };` */
export type EditedContent = EditMessage["edit"]["message"];

/** Reply and forward context of a message. @example `const context: MessageContext = { from: "16505551234", id: "wamid.1" };` */
export type MessageContext = v.InferOutput<typeof messageContextSchema>;

/**
 * A message from a history sync: a {@link Message} plus who sent it and its delivery status.
 *
 * @example
 * ```ts
 * const outbound = (m: HistoryMessage) => m.direction === "outbound";
 * ```
 */
export type HistoryMessage = Message & {
  /** `outbound` when the business sent it (from the business number, `to` present, or `from_me`). */
  readonly direction: "inbound" | "outbound";
  /** The delivery status, lowercased (`sent`, `delivered`, `read`, `played`, `pending`, `error`, or a new value). */
  readonly status?: HistoryStatus;
};
