/**
 * The `Message` union and every message and content shape, declared once as interfaces. The
 * schemas in `src/schemas` are checked against them at compile time.
 *
 * Fields that real traffic omits are optional (see `docs/events.md`, "What may be missing"): a
 * message is identified by its `id` and `timestamp`; everything else can be absent in some real
 * body.
 *
 * @module
 */
import type { ApiError, Direction, Extra, Referral } from "./parts.js";

/**
 * The reply and forward context of a message.
 *
 * @example
 * ```ts
 * const context: MessageContext = { from: "16505551234", id: "wamid.1" };
 * ```
 */
export interface MessageContext {
  /** The sender of the message replied to, as digits. */
  readonly from?: string;
  /** The id of the message replied to. */
  readonly id?: string;
  readonly forwarded?: boolean;
  readonly frequentlyForwarded?: boolean;
  /** The catalogue product the customer asked about (`referred_product`). */
  readonly referredProduct?: ReferredProduct;
  readonly extra?: Extra;
}

/**
 * A catalogue product a message refers to: `context.referred_product` on a customer's question
 * about a product.
 *
 * @example
 * ```ts
 * const product: ReferredProduct = { catalogId: "194836987003835", productRetailerId: "sku-42" };
 * ```
 */
export interface ReferredProduct {
  readonly catalogId?: string;
  readonly productRetailerId?: string;
  readonly extra?: Extra;
}

/**
 * Fields every message has: `id`, `timestamp`, and the parties where the payload names them
 * (`from`/`to` as digits, or business-scoped user ids).
 *
 * @example
 * ```ts
 * const base: MessageBase = { id: "wamid.HBg", from: "16505551234", timestamp: 1739321024 };
 * ```
 */
export interface MessageBase {
  /** The message id (`wamid....`): the one thing that identifies a message. */
  readonly id: string;
  readonly from?: string;
  readonly to?: string;
  readonly fromUserId?: string;
  readonly fromParentUserId?: string;
  readonly toUserId?: string;
  readonly toParentUserId?: string;
  /**
   * The group a message was sent in (`group_id`, Cloud API groups): `from` is then the
   * participant who wrote it. The book keeps group messages out of one-to-one conversations.
   */
  readonly groupId?: string;
  /** Unix seconds. */
  readonly timestamp: number;
  readonly context?: MessageContext;
  /** The click-to-WhatsApp ad the customer came from. */
  readonly referral?: Referral;
  /** Errors Meta attached to the message (`unsupported` messages say why here). */
  readonly errors?: ApiError[];
  readonly extra?: Extra;
}

/**
 * Text content.
 *
 * @example
 * ```ts
 * const content: TextContent = { body: "Hello" };
 * ```
 */
export interface TextContent {
  readonly body: string;
  readonly extra?: Extra;
}

/**
 * A media object (image, video, audio, document, sticker). Every field is optional: echoes follow
 * the *sending* shape (`{ id, caption }` or `{ link }`), history media carry no asset id, and
 * real messages come without `sha256` or `mime_type`.
 *
 * @example
 * ```ts
 * const media: MediaContent = { id: "1", mimeType: "image/jpeg", sha256: "abc" };
 * ```
 */
export interface MediaContent {
  readonly id?: string;
  readonly mimeType?: string;
  readonly sha256?: string;
  readonly caption?: string;
  readonly filename?: string;
  /** A download URL, where the webhook includes one. */
  readonly url?: string;
  /** The link a message was sent with (the sending shape). */
  readonly link?: string;
  /** An audio message recorded as a voice note. */
  readonly voice?: boolean;
  /** An animated sticker. */
  readonly animated?: boolean;
  readonly extra?: Extra;
}

/**
 * A shared location.
 *
 * @example
 * ```ts
 * const where: LocationContent = { latitude: 52.5, longitude: 13.4 };
 * ```
 */
export interface LocationContent {
  readonly latitude: number;
  readonly longitude: number;
  readonly name?: string;
  readonly address?: string;
  readonly url?: string;
  readonly extra?: Extra;
}

/**
 * The name on a shared contact card.
 *
 * @example
 * ```ts
 * const name: ContactCardName = { formattedName: "Ana Lima", firstName: "Ana" };
 * ```
 */
export interface ContactCardName {
  readonly formattedName?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly middleName?: string;
  readonly prefix?: string;
  readonly suffix?: string;
  readonly extra?: Extra;
}

/**
 * A phone number on a shared contact card; `waId` when it is on WhatsApp.
 *
 * @example
 * ```ts
 * const phone: ContactCardPhone = { phone: "+1 650 555 1234", waId: "16505551234", type: "CELL" };
 * ```
 */
export interface ContactCardPhone {
  readonly phone?: string;
  readonly waId?: string;
  readonly type?: string;
  readonly extra?: Extra;
}

/**
 * An e-mail address on a shared contact card.
 *
 * @example
 * ```ts
 * const email: ContactCardEmail = { email: "ana@example.com", type: "WORK" };
 * ```
 */
export interface ContactCardEmail {
  readonly email?: string;
  readonly type?: string;
  readonly extra?: Extra;
}

/**
 * A web address on a shared contact card.
 *
 * @example
 * ```ts
 * const url: ContactCardUrl = { url: "https://example.com", type: "WORK" };
 * ```
 */
export interface ContactCardUrl {
  readonly url?: string;
  readonly type?: string;
  readonly extra?: Extra;
}

/**
 * A postal address on a shared contact card.
 *
 * @example
 * ```ts
 * const address: ContactCardAddress = { city: "Lisbon", countryCode: "PT" };
 * ```
 */
export interface ContactCardAddress {
  readonly street?: string;
  readonly city?: string;
  readonly state?: string;
  readonly zip?: string;
  readonly country?: string;
  readonly countryCode?: string;
  readonly type?: string;
  readonly extra?: Extra;
}

/**
 * The organisation on a shared contact card.
 *
 * @example
 * ```ts
 * const org: ContactCardOrg = { company: "Lima Lda", title: "Owner" };
 * ```
 */
export interface ContactCardOrg {
  readonly company?: string;
  readonly department?: string;
  readonly title?: string;
  readonly extra?: Extra;
}

/**
 * One shared contact card. Real cards can come as a `vcard` with an `origin` and no `name`.
 *
 * @example
 * ```ts
 * const card: ContactCard = { name: { formattedName: "Ana Lima" } };
 * ```
 */
export interface ContactCard {
  readonly name?: ContactCardName;
  readonly phones?: ContactCardPhone[];
  readonly emails?: ContactCardEmail[];
  readonly urls?: ContactCardUrl[];
  readonly addresses?: ContactCardAddress[];
  readonly org?: ContactCardOrg;
  readonly birthday?: string;
  /** The card as a vCard text. */
  readonly vcard?: string;
  /** Why it was shared, for example `contact_request` (the user shared the phone behind a BSUID). */
  readonly origin?: string;
  readonly extra?: Extra;
}

/**
 * A reaction; `removed` is true when the emoji is empty or missing (an un-reaction).
 *
 * @example
 * ```ts
 * const r: ReactionContent = { messageId: "wamid.1", emoji: "👍", removed: false };
 * ```
 */
export interface ReactionContent {
  /** The message reacted to. */
  readonly messageId: string;
  readonly emoji: string;
  readonly removed: boolean;
  readonly extra?: Extra;
}

/**
 * A message deleted for everyone.
 *
 * @example
 * ```ts
 * const r: RevokeContent = { originalMessageId: "wamid.1" };
 * ```
 */
export interface RevokeContent {
  readonly originalMessageId: string;
  readonly extra?: Extra;
}

/**
 * A pressed quick-reply button.
 *
 * @example
 * ```ts
 * const b: ButtonContent = { payload: "YES", text: "Yes" };
 * ```
 */
export interface ButtonContent {
  readonly payload?: string;
  readonly text?: string;
  readonly extra?: Extra;
}

/**
 * The reply to a button or list row: its id and title.
 *
 * @example
 * ```ts
 * const reply: InteractiveReply = { id: "opt-1", title: "Yes" };
 * ```
 */
export interface InteractiveReply {
  readonly id?: string;
  readonly title?: string;
  readonly description?: string;
  readonly extra?: Extra;
}

/**
 * The answer to a WhatsApp Flow (`nfm_reply`); `responseJson` is the flow's JSON text.
 *
 * @example
 * ```ts
 * const reply: FlowReply = { name: "flow", responseJson: "{\"ok\":true}" };
 * ```
 */
export interface FlowReply {
  readonly name?: string;
  readonly body?: string;
  readonly responseJson?: string;
  readonly extra?: Extra;
}

/**
 * The customer's answer to a request for permission to call (`call_permission_reply`).
 *
 * @example
 * ```ts
 * const reply: CallPermissionReply = { response: "accept", isPermanent: false };
 * ```
 */
export interface CallPermissionReply {
  /** `accept` or `reject`. */
  readonly response?: string;
  readonly isPermanent?: boolean;
  readonly expirationTimestamp?: number;
  readonly responseSource?: string;
  readonly extra?: Extra;
}

/**
 * An interactive message: a customer's reply (`buttonReply`, `listReply`, `nfmReply`,
 * `callPermissionReply`), or, on echoes, the interactive message the business sent (its
 * `header`, `body`, `footer` and `action` are kept in `extra`).
 *
 * @example
 * ```ts
 * const content: InteractiveContent = { type: "button_reply", buttonReply: { id: "yes", title: "Yes" } };
 * ```
 */
export interface InteractiveContent {
  readonly type?: string;
  readonly buttonReply?: InteractiveReply;
  readonly listReply?: InteractiveReply;
  readonly nfmReply?: FlowReply;
  readonly callPermissionReply?: CallPermissionReply;
  readonly extra?: Extra;
}

/**
 * One product of an order.
 *
 * @example
 * ```ts
 * const item: OrderItem = { productRetailerId: "sku-1", quantity: 2, itemPrice: 9.5, currency: "EUR" };
 * ```
 */
export interface OrderItem {
  readonly productRetailerId?: string;
  readonly quantity?: number;
  readonly itemPrice?: number;
  readonly currency?: string;
  readonly extra?: Extra;
}

/**
 * An order placed from a catalog.
 *
 * @example
 * ```ts
 * const order: OrderContent = { catalogId: "123", productItems: [{ productRetailerId: "sku-1", quantity: 1 }] };
 * ```
 */
export interface OrderContent {
  readonly catalogId?: string;
  readonly text?: string;
  readonly productItems?: OrderItem[];
  readonly extra?: Extra;
}

/**
 * A template message (echoes of templates sent from a linked tool); its `components` are kept in
 * `extra`.
 *
 * @example
 * ```ts
 * const template: TemplateContent = { name: "order_update", language: { code: "en_US" } };
 * ```
 */
export interface TemplateContent {
  readonly name?: string;
  readonly language?: { readonly code?: string; readonly policy?: string; readonly extra?: Extra };
  readonly extra?: Extra;
}

/**
 * What Meta says about a message it could not render, where it says anything.
 *
 * @example
 * ```ts
 * const content: UnsupportedContent = { type: "edit" };
 * ```
 */
export interface UnsupportedContent {
  readonly type?: string;
  readonly extra?: Extra;
}

/**
 * A change to the customer's identity that WhatsApp reports as a message (`type: "system"`).
 * `user_changed_number`: `previousPhoneNumber` (the message's `from`) became `phoneNumber`;
 * `user_changed_user_id`: `previousUserId` became `userId`. The older `customer_changed_number`
 * and `customer_identity_changed` keep their names in `type`.
 *
 * @example
 * ```ts
 * const change: SystemContent = { type: "user_changed_number", previousPhoneNumber: "16505551234", phoneNumber: "16505559999" };
 * ```
 */
export interface SystemContent {
  /** `user_changed_number`, `user_changed_user_id`, `customer_changed_number`, `customer_identity_changed`, or a new value. */
  readonly type: string;
  readonly body?: string;
  /** The new phone number (`wa_id`, or `new_wa_id` in the older form), as digits. */
  readonly phoneNumber?: string;
  /** The phone number before a number change: the message's `from`. */
  readonly previousPhoneNumber?: string;
  readonly userId?: string;
  readonly parentUserId?: string;
  readonly previousUserId?: string;
  readonly previousParentUserId?: string;
  /** The identity hash of `customer_identity_changed`. */
  readonly identity?: string;
  readonly extra?: Extra;
}

/** A text message. @example `if (message.type === "text") console.log(message.text.body);` */
export interface TextMessage extends MessageBase {
  readonly type: "text";
  readonly text: TextContent;
}
/** An image. @example `if (message.type === "image") console.log(message.image.caption);` */
export interface ImageMessage extends MessageBase {
  readonly type: "image";
  readonly image: MediaContent;
}
/** A video. @example `if (message.type === "video") console.log(message.video.id);` */
export interface VideoMessage extends MessageBase {
  readonly type: "video";
  readonly video: MediaContent;
}
/** An audio message or voice note (`audio.voice`). @example `if (message.type === "audio") console.log(message.audio.voice);` */
export interface AudioMessage extends MessageBase {
  readonly type: "audio";
  readonly audio: MediaContent;
}
/** A document. @example `if (message.type === "document") console.log(message.document.filename);` */
export interface DocumentMessage extends MessageBase {
  readonly type: "document";
  readonly document: MediaContent;
}
/** A sticker. @example `if (message.type === "sticker") console.log(message.sticker.animated);` */
export interface StickerMessage extends MessageBase {
  readonly type: "sticker";
  readonly sticker: MediaContent;
}
/** A shared location. @example `if (message.type === "location") console.log(message.location.latitude);` */
export interface LocationMessage extends MessageBase {
  readonly type: "location";
  readonly location: LocationContent;
}
/** Shared contact cards. @example `if (message.type === "contacts") console.log(message.contacts[0]?.name?.formattedName);` */
export interface ContactsMessage extends MessageBase {
  readonly type: "contacts";
  readonly contacts: ContactCard[];
}
/** A reaction to another message; `reaction.removed` when the emoji was taken back. @example `if (message.type === "reaction") console.log(message.reaction.emoji);` */
export interface ReactionMessage extends MessageBase {
  readonly type: "reaction";
  readonly reaction: ReactionContent;
}
/** An edit of an earlier message, carrying its new content. @example `if (message.type === "edit") console.log(message.edit.originalMessageId, message.edit.message.type);` */
export interface EditMessage extends MessageBase {
  readonly type: "edit";
  readonly edit: EditContent;
}
/** A message deleted for everyone. @example `if (message.type === "revoke") console.log(message.revoke.originalMessageId);` */
export interface RevokeMessage extends MessageBase {
  readonly type: "revoke";
  readonly revoke: RevokeContent;
}
/** An interactive message or reply; `interactive` is absent when Meta sent none (value-level errors). @example `if (message.type === "interactive") console.log(message.interactive?.buttonReply?.id);` */
export interface InteractiveMessage extends MessageBase {
  readonly type: "interactive";
  readonly interactive?: InteractiveContent;
}
/** A pressed quick-reply button. @example `if (message.type === "button") console.log(message.button?.payload);` */
export interface ButtonMessage extends MessageBase {
  readonly type: "button";
  readonly button?: ButtonContent;
}
/** An order. @example `if (message.type === "order") console.log(message.order?.catalogId);` */
export interface OrderMessage extends MessageBase {
  readonly type: "order";
  readonly order?: OrderContent;
}
/** A template message. @example `if (message.type === "template") console.log(message.template?.name);` */
export interface TemplateMessage extends MessageBase {
  readonly type: "template";
  readonly template?: TemplateContent;
}
/** A history item whose media arrives later as a `HistoryMedia` event (same id). @example `if (message.type === "media_placeholder") console.log(message.id);` */
export interface MediaPlaceholderMessage extends MessageBase {
  readonly type: "media_placeholder";
}
/** A message WhatsApp could not render; `errors` says why (131051, 131060, ...). @example `if (message.type === "unsupported") console.log(message.errors?.[0]?.code);` */
export interface UnsupportedMessage extends MessageBase {
  readonly type: "unsupported";
  readonly unsupported?: UnsupportedContent;
}
/** A change of the customer's number or user id. @example `if (message.type === "system") console.log(message.system.type);` */
export interface SystemMessage extends MessageBase {
  readonly type: "system";
  readonly system: SystemContent;
}
/**
 * A message of a type this library does not model, or of a known type whose content could not be
 * read (the parse then also reports an issue): the base fields that could be read, the `type` as
 * received in `originalType`, and the whole raw object in `raw`.
 *
 * @example
 * ```ts
 * if (message.type === "unknown") console.log(message.originalType, message.raw);
 * ```
 */
export interface UnknownMessage extends MessageBase {
  readonly type: "unknown";
  /** The `type` the payload gave, when it gave a string. */
  readonly originalType?: string;
  /** The message object exactly as received. */
  readonly raw: Readonly<Record<string, unknown>>;
}

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
 *     case "unknown": return `[${message.originalType ?? "?"}]`;
 *     default: return `[${message.type}]`;
 *   }
 * }
 * ```
 */
export type Message =
  | TextMessage
  | ImageMessage
  | VideoMessage
  | AudioMessage
  | DocumentMessage
  | StickerMessage
  | LocationMessage
  | ContactsMessage
  | ReactionMessage
  | EditMessage
  | RevokeMessage
  | InteractiveMessage
  | ButtonMessage
  | OrderMessage
  | TemplateMessage
  | MediaPlaceholderMessage
  | UnsupportedMessage
  | SystemMessage
  | UnknownMessage;

/** The `type` of a {@link Message}. @example `const type: MessageType = "text";` */
export type MessageType = Message["type"];

/**
 * The messages whose content an edit can replace (every type but `edit`, `media_placeholder`,
 * `system` and `unknown`).
 *
 * @example
 * ```ts
 * const editable: EditableMessage["type"] = "text";
 * ```
 */
export type EditableMessage = Exclude<Message, EditMessage | UnknownMessage | MediaPlaceholderMessage | SystemMessage>;

/**
 * The new content inside an edit: a message type and its content (and, sometimes, `context`),
 * without the message's own id and parties; an unknown type keeps its raw object.
 *
 * @example
 * ```ts
 * const edited: EditedContent = { type: "text", text: { body: "fixed typo" } };
 * ```
 */
export type EditedContent =
  | (EditableMessage extends infer M
      ? M extends MessageBase
        ? Omit<M, keyof MessageBase> & { readonly context?: MessageContext; readonly extra?: Extra }
        : never
      : never)
  | { readonly type: "unknown"; readonly originalType?: string; readonly raw: Readonly<Record<string, unknown>> };

/**
 * An edit of an earlier message: which message, and its new content.
 *
 * @example
 * ```ts
 * const edit: EditContent = { originalMessageId: "wamid.1", message: { type: "text", text: { body: "fixed" } } };
 * ```
 */
export interface EditContent {
  readonly originalMessageId: string;
  readonly message: EditedContent;
  readonly extra?: Extra;
}

/**
 * Lowercased delivery statuses of history messages; unknown values are kept, lowercased.
 *
 * @example
 * ```ts
 * const status: HistoryStatus = "delivered";
 * ```
 */
export type HistoryStatus = "sent" | "delivered" | "read" | "played" | "pending" | "error" | (string & {});

/**
 * A message from a history sync: a {@link Message} plus who sent it and its delivery status.
 *
 * @example
 * ```ts
 * const outbound = (m: HistoryMessage) => m.direction === "outbound";
 * ```
 */
export type HistoryMessage = Message & {
  /** Who sent it, by the spec's rule (see `docs/events.md`, "Direction of history messages"). */
  readonly direction: Direction;
  /** The delivery status, lowercased (`sent`, `delivered`, `read`, `played`, `pending`, `error`, or a new value). */
  readonly status?: HistoryStatus;
  /** `history_context.from_me`, where the message carries it (`true` on business-sent items). */
  readonly fromMe?: boolean;
};
