/**
 * Schemas for the content object of each message type (`text`, `image`, `reaction`, ...).
 *
 * @module
 */
import * as v from "valibot";
import { compact, rawObject, shape } from "./object-shape.js";
import { decimal, flag, identifier, optionalText, text } from "./scalars.js";

/** `text: { body }`. */
export const textContentSchema = shape({ body: text }, (raw) => ({ body: raw.body }));

/** `image | video | audio | document | sticker: { id, mime_type, sha256, caption?, filename?, url?, voice?, animated? }`. */
export const mediaContentSchema = shape(
  {
    id: identifier,
    mime_type: text,
    sha256: text,
    caption: v.optional(text),
    filename: v.optional(text),
    url: v.optional(text),
    voice: v.optional(flag),
    animated: v.optional(flag),
  },
  (raw) =>
    compact({
      id: raw.id,
      mimeType: raw.mime_type,
      sha256: raw.sha256,
      caption: raw.caption,
      filename: raw.filename,
      url: raw.url,
      voice: raw.voice,
      animated: raw.animated,
    }),
);

/** `location: { latitude, longitude, name?, address?, url? }`. */
export const locationContentSchema = shape(
  { latitude: decimal, longitude: decimal, name: v.optional(text), address: v.optional(text), url: v.optional(text) },
  (raw) => compact({ latitude: raw.latitude, longitude: raw.longitude, name: raw.name, address: raw.address, url: raw.url }),
);

/** `reaction: { message_id, emoji }`; an empty or missing emoji means the reaction was removed. */
export const reactionContentSchema = shape(
  { message_id: identifier, emoji: v.optional(text) },
  (raw) => ({ messageId: raw.message_id, emoji: raw.emoji ?? "", removed: raw.emoji === undefined || raw.emoji === "" }),
  ["removed"],
);

/** `revoke: { original_message_id }` (a message deleted for everyone). */
export const revokeContentSchema = shape({ original_message_id: identifier }, (raw) => ({
  originalMessageId: raw.original_message_id,
}));

/** `button: { payload?, text }` (a quick-reply button pressed). */
export const buttonContentSchema = shape({ payload: v.optional(text), text: text }, (raw) =>
  compact({ payload: raw.payload, text: raw.text }),
);

const contactCardName = shape(
  {
    formatted_name: text,
    first_name: optionalText,
    last_name: optionalText,
    middle_name: optionalText,
    prefix: optionalText,
    suffix: optionalText,
  },
  (raw) =>
    compact({
      formattedName: raw.formatted_name,
      firstName: raw.first_name,
      lastName: raw.last_name,
      middleName: raw.middle_name,
      prefix: raw.prefix,
      suffix: raw.suffix,
    }),
);

const contactCardPhone = shape({ phone: optionalText, wa_id: optionalText, type: optionalText }, (raw) =>
  compact({ phone: raw.phone, waId: raw.wa_id, type: raw.type }),
);

const contactCardEmail = shape({ email: optionalText, type: optionalText }, (raw) => compact({ email: raw.email, type: raw.type }));

const contactCardUrl = shape({ url: optionalText, type: optionalText }, (raw) => compact({ url: raw.url, type: raw.type }));

const contactCardOrg = shape({ company: optionalText, department: optionalText, title: optionalText }, (raw) =>
  compact({ company: raw.company, department: raw.department, title: raw.title }),
);

const contactCardAddress = shape(
  {
    street: optionalText,
    city: optionalText,
    state: optionalText,
    zip: optionalText,
    country: optionalText,
    country_code: optionalText,
    type: optionalText,
  },
  (raw) =>
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

/** One shared contact card in a `contacts` message. */
export const contactCardSchema = shape(
  {
    name: contactCardName,
    phones: v.optional(v.array(contactCardPhone)),
    emails: v.optional(v.array(contactCardEmail)),
    urls: v.optional(v.array(contactCardUrl)),
    addresses: v.optional(v.array(contactCardAddress)),
    org: v.optional(contactCardOrg),
    birthday: optionalText,
  },
  (raw) =>
    compact({
      name: raw.name,
      phones: raw.phones,
      emails: raw.emails,
      urls: raw.urls,
      addresses: raw.addresses,
      org: raw.org,
      birthday: raw.birthday,
    }),
);

/** `contacts: [card, ...]`. */
export const contactsContentSchema = v.array(contactCardSchema);

/** Contents this library keeps exactly as Meta sends them (`interactive`, `template`, `order`, `unsupported`). */
export const rawContentSchema = rawObject;

/** Text content: `{ body }`. @example `const content: TextContent = { body: "Hello" };` */
export type TextContent = v.InferOutput<typeof textContentSchema>;
/** A media object (image, video, audio, document, sticker). @example `const media: MediaContent = { id: "1", mimeType: "image/jpeg", sha256: "abc" };` */
export type MediaContent = v.InferOutput<typeof mediaContentSchema>;
/** A shared location. @example `const where: LocationContent = { latitude: 52.5, longitude: 13.4 };` */
export type LocationContent = v.InferOutput<typeof locationContentSchema>;
/** A reaction; `removed` is true when the emoji is empty. @example `const r: ReactionContent = { messageId: "wamid.1", emoji: "👍", removed: false };` */
export type ReactionContent = v.InferOutput<typeof reactionContentSchema>;
/** A revoked (deleted) message. @example `const r: RevokeContent = { originalMessageId: "wamid.1" };` */
export type RevokeContent = v.InferOutput<typeof revokeContentSchema>;
/** A pressed quick-reply button. @example `const b: ButtonContent = { payload: "YES", text: "Yes" };` */
export type ButtonContent = v.InferOutput<typeof buttonContentSchema>;
/** A shared contact card. @example `const card: ContactCard = { name: { formattedName: "Ana Lima" } };` */
export type ContactCard = v.InferOutput<typeof contactCardSchema>;
