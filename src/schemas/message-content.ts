/**
 * Schemas for the content object of each message type (`text`, `image`, `reaction`, ...). Each is
 * checked against its output interface in `src/events/message.ts`. Only what identifies a content
 * is required (a reaction's and a revoke's target, a text's body, a location's coordinates);
 * everything real traffic omits is optional.
 *
 * @module
 */
import * as v from "valibot";
import type {
  ButtonContent,
  CallPermissionReply,
  ContactCard,
  ContactCardAddress,
  ContactCardEmail,
  ContactCardName,
  ContactCardOrg,
  ContactCardPhone,
  ContactCardUrl,
  FlowReply,
  InteractiveContent,
  InteractiveReply,
  LocationContent,
  MediaContent,
  OrderContent,
  OrderItem,
  ReactionContent,
  RevokeContent,
  SystemContent,
  TemplateContent,
  TextContent,
  UnsupportedContent,
} from "../events/message.js";
import { compact, shape } from "./object-shape.js";
import { decimal, flag, identifier, numeric, optionalText, phone, text, unixSeconds, optionalId } from "./scalars.js";

/** `text: { body }`. */
export const textContentSchema = /* @__PURE__ */ shape({ body: text }, (raw): TextContent => ({ body: raw.body }));

/** `image | video | audio | document | sticker: { id?, mime_type?, sha256?, caption?, filename?, url?, link?, voice?, animated? }`. */
export const mediaContentSchema = /* @__PURE__ */ shape(
  {
    id: optionalText,
    mime_type: v.optional(text),
    sha256: v.optional(text),
    caption: v.optional(text),
    filename: v.optional(text),
    url: v.optional(text),
    link: v.optional(text),
    voice: v.optional(flag),
    animated: v.optional(flag),
  },
  (raw): MediaContent =>
    compact({
      id: raw.id,
      mimeType: raw.mime_type,
      sha256: raw.sha256,
      caption: raw.caption,
      filename: raw.filename,
      url: raw.url,
      link: raw.link,
      voice: raw.voice,
      animated: raw.animated,
    }),
);

/** `location: { latitude, longitude, name?, address?, url? }`. */
export const locationContentSchema = /* @__PURE__ */ shape(
  { latitude: decimal, longitude: decimal, name: v.optional(text), address: v.optional(text), url: v.optional(text) },
  (raw): LocationContent => compact({ latitude: raw.latitude, longitude: raw.longitude, name: raw.name, address: raw.address, url: raw.url }),
);

/** `reaction: { message_id, emoji? }`; an empty or missing emoji means the reaction was removed. */
export const reactionContentSchema = /* @__PURE__ */ shape({ message_id: identifier, emoji: v.optional(text) }, (raw): ReactionContent => ({
  messageId: raw.message_id,
  emoji: raw.emoji ?? "",
  removed: raw.emoji === undefined || raw.emoji === "",
}));

/** `revoke: { original_message_id }` (a message deleted for everyone). */
export const revokeContentSchema = /* @__PURE__ */ shape({ original_message_id: identifier }, (raw): RevokeContent => ({
  originalMessageId: raw.original_message_id,
}));

/** `button: { payload?, text? }` (a quick-reply button pressed). */
export const buttonContentSchema = /* @__PURE__ */ shape({ payload: v.optional(text), text: v.optional(text) }, (raw): ButtonContent =>
  compact({ payload: raw.payload, text: raw.text }),
);

const contactCardName = /* @__PURE__ */ shape(
  {
    formatted_name: optionalText,
    first_name: optionalText,
    last_name: optionalText,
    middle_name: optionalText,
    prefix: optionalText,
    suffix: optionalText,
  },
  (raw): ContactCardName =>
    compact({
      formattedName: raw.formatted_name,
      firstName: raw.first_name,
      lastName: raw.last_name,
      middleName: raw.middle_name,
      prefix: raw.prefix,
      suffix: raw.suffix,
    }),
);

const contactCardPhone = /* @__PURE__ */ shape({ phone: optionalText, wa_id: optionalText, type: optionalText }, (raw): ContactCardPhone =>
  compact({ phone: raw.phone, waId: raw.wa_id, type: raw.type }),
);

const contactCardEmail = /* @__PURE__ */ shape({ email: optionalText, type: optionalText }, (raw): ContactCardEmail =>
  compact({ email: raw.email, type: raw.type }),
);

const contactCardUrl = /* @__PURE__ */ shape({ url: optionalText, type: optionalText }, (raw): ContactCardUrl => compact({ url: raw.url, type: raw.type }));

const contactCardOrg = /* @__PURE__ */ shape({ company: optionalText, department: optionalText, title: optionalText }, (raw): ContactCardOrg =>
  compact({ company: raw.company, department: raw.department, title: raw.title }),
);

const contactCardAddress = /* @__PURE__ */ shape(
  {
    street: optionalText,
    city: optionalText,
    state: optionalText,
    zip: optionalText,
    country: optionalText,
    country_code: optionalText,
    type: optionalText,
  },
  (raw): ContactCardAddress =>
    compact({
      street: raw.street,
      city: raw.city,
      state: raw.state,
      zip: raw.zip,
      country: raw.country,
      countryCode: raw.country_code,
      type: raw.type,
    }),
);

/** One shared contact card in a `contacts` message (a `vcard` with an `origin` and no `name` happens). */
const contactCardSchema = /* @__PURE__ */ shape(
  {
    name: v.optional(contactCardName),
    phones: v.optional(v.array(contactCardPhone)),
    emails: v.optional(v.array(contactCardEmail)),
    urls: v.optional(v.array(contactCardUrl)),
    addresses: v.optional(v.array(contactCardAddress)),
    org: v.optional(contactCardOrg),
    birthday: optionalText,
    vcard: optionalText,
    origin: optionalText,
  },
  (raw): ContactCard =>
    compact({
      name: raw.name,
      phones: raw.phones,
      emails: raw.emails,
      urls: raw.urls,
      addresses: raw.addresses,
      org: raw.org,
      birthday: raw.birthday,
      vcard: raw.vcard,
      origin: raw.origin,
    }),
);

/** `contacts: [card, ...]`. */
export const contactsContentSchema = /* @__PURE__ */ v.array(contactCardSchema);

const interactiveReply = /* @__PURE__ */ shape({ id: optionalText, title: v.optional(text), description: v.optional(text) }, (raw): InteractiveReply =>
  compact({ id: raw.id, title: raw.title, description: raw.description }),
);

const flowReply = /* @__PURE__ */ shape({ name: optionalText, body: v.optional(text), response_json: v.optional(text) }, (raw): FlowReply =>
  compact({ name: raw.name, body: raw.body, responseJson: raw.response_json }),
);

const callPermissionReply = /* @__PURE__ */ shape(
  { response: optionalText, is_permanent: v.optional(flag), expiration_timestamp: v.optional(unixSeconds), response_source: optionalText },
  (raw): CallPermissionReply =>
    compact({
      response: raw.response,
      isPermanent: raw.is_permanent,
      expirationTimestamp: raw.expiration_timestamp,
      responseSource: raw.response_source,
    }),
);

/** `interactive: { type, button_reply? | list_reply? | nfm_reply? | call_permission_reply? }` (the sending shape's parts go to `extra`). */
export const interactiveContentSchema = /* @__PURE__ */ shape(
  {
    type: optionalText,
    button_reply: v.optional(interactiveReply),
    list_reply: v.optional(interactiveReply),
    nfm_reply: v.optional(flowReply),
    call_permission_reply: v.optional(callPermissionReply),
  },
  (raw): InteractiveContent =>
    compact({
      type: raw.type,
      buttonReply: raw.button_reply,
      listReply: raw.list_reply,
      nfmReply: raw.nfm_reply,
      callPermissionReply: raw.call_permission_reply,
    }),
);

const orderItem = /* @__PURE__ */ shape(
  { product_retailer_id: optionalText, quantity: v.optional(numeric), item_price: v.optional(numeric), currency: optionalText },
  (raw): OrderItem => compact({ productRetailerId: raw.product_retailer_id, quantity: raw.quantity, itemPrice: raw.item_price, currency: raw.currency }),
);

/** `order: { catalog_id?, text?, product_items? }`. */
export const orderContentSchema = /* @__PURE__ */ shape(
  { catalog_id: optionalText, text: v.optional(text), product_items: v.optional(v.array(orderItem)) },
  (raw): OrderContent => compact({ catalogId: raw.catalog_id, text: raw.text, productItems: raw.product_items }),
);

const templateLanguage = /* @__PURE__ */ v.union([
  v.pipe(
    text,
    v.transform((code) => ({ code })),
  ),
  shape({ code: optionalText, policy: optionalText }, (raw): NonNullable<TemplateContent["language"]> => compact({ code: raw.code, policy: raw.policy })),
]);

/** `template: { name?, language? }` (components go to `extra`). */
export const templateContentSchema = /* @__PURE__ */ shape({ name: optionalText, language: v.optional(templateLanguage) }, (raw): TemplateContent =>
  compact({ name: raw.name, language: raw.language }),
);

/** `unsupported: { type? }`. */
export const unsupportedContentSchema = /* @__PURE__ */ shape({ type: optionalText }, (raw): UnsupportedContent => compact({ type: raw.type }));

/**
 * `system: { type, body?, wa_id? | new_wa_id?, user_id?, parent_user_id?, previous_user_id?,
 * previous_parent_user_id?, identity? }`. `previousPhoneNumber` is added by the message (its `from`).
 */
export const systemContentSchema = /* @__PURE__ */ shape(
  {
    type: text,
    body: v.optional(text),
    wa_id: v.optional(phone),
    new_wa_id: v.optional(phone),
    user_id: optionalId,
    parent_user_id: optionalId,
    previous_user_id: optionalId,
    previous_parent_user_id: optionalId,
    identity: optionalText,
  },
  (raw): SystemContent =>
    compact({
      type: raw.type,
      body: raw.body,
      phoneNumber: raw.wa_id ?? raw.new_wa_id,
      userId: raw.user_id,
      parentUserId: raw.parent_user_id,
      previousUserId: raw.previous_user_id,
      previousParentUserId: raw.previous_parent_user_id,
      identity: raw.identity,
    }),
);
