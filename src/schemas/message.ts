/**
 * The schemas of the `Message` union: every message shape that echoes, received messages and
 * history share, discriminated on `type`. Each is checked against its interface in
 * `src/events/message.ts`.
 *
 * @module
 */
import * as v from "valibot";
import type { EditContent, EditedContent, Message, MessageBase, MessageContext, ReferredProduct, SystemContent, UnknownMessage } from "../events/message.js";
import type { Referral } from "../events/parts.js";
import { apiErrorSchema } from "./api-error.js";
import {
  buttonContentSchema,
  contactsContentSchema,
  interactiveContentSchema,
  locationContentSchema,
  mediaContentSchema,
  orderContentSchema,
  reactionContentSchema,
  revokeContentSchema,
  systemContentSchema,
  templateContentSchema,
  textContentSchema,
  unsupportedContentSchema,
} from "./message-content.js";
import { compact, describe, shape, type ShapeSchema, looseRecord } from "./object-shape.js";
import { flag, identifier, optionalText, phone, text, unixSeconds, optionalId } from "./scalars.js";

/** `context.referred_product`: `{ catalog_id?, product_retailer_id? }`. */
const referredProductSchema = /* @__PURE__ */ shape({ catalog_id: optionalText, product_retailer_id: optionalText }, (raw): ReferredProduct =>
  compact({ catalogId: raw.catalog_id, productRetailerId: raw.product_retailer_id }),
);

/** The reply/forward context of a message: `{ from?, id?, forwarded?, frequently_forwarded?, referred_product? }`. */
const messageContextSchema = /* @__PURE__ */ shape(
  {
    from: v.optional(phone),
    id: optionalText,
    forwarded: v.optional(flag),
    frequently_forwarded: v.optional(flag),
    referred_product: v.optional(referredProductSchema),
  },
  (raw): MessageContext =>
    compact({
      from: raw.from,
      id: raw.id,
      forwarded: raw.forwarded,
      frequentlyForwarded: raw.frequently_forwarded,
      referredProduct: raw.referred_product,
    }),
);

/** `referral` of a click-to-WhatsApp ad (`welcome_message` and other keys stay in `extra`). */
const referralSchema = /* @__PURE__ */ shape(
  {
    source_url: optionalText,
    source_id: optionalText,
    source_type: optionalText,
    headline: v.optional(text),
    body: v.optional(text),
    media_type: optionalText,
    image_url: optionalText,
    video_url: optionalText,
    thumbnail_url: optionalText,
    ctwa_clid: optionalText,
  },
  (raw): Referral =>
    compact({
      sourceUrl: raw.source_url,
      sourceId: raw.source_id,
      sourceType: raw.source_type,
      headline: raw.headline,
      body: raw.body,
      mediaType: raw.media_type,
      imageUrl: raw.image_url,
      videoUrl: raw.video_url,
      thumbnailUrl: raw.thumbnail_url,
      ctwaClid: raw.ctwa_clid,
    }),
);

const baseEntries = {
  id: identifier,
  from: v.optional(phone),
  to: v.optional(phone),
  from_user_id: optionalId,
  from_parent_user_id: optionalId,
  to_user_id: optionalId,
  to_parent_user_id: optionalId,
  group_id: optionalId,
  timestamp: unixSeconds,
  context: v.optional(messageContextSchema),
  referral: v.optional(referralSchema),
  errors: v.optional(v.array(apiErrorSchema)),
};

type BaseRaw = v.InferOutput<v.ObjectSchema<typeof baseEntries, undefined>>;

/** Schema of a message's identity alone (`id`, `timestamp`), checked before anything else. */
export const messageIdentitySchema = /* @__PURE__ */ looseRecord({ id: identifier, timestamp: unixSeconds }, (issue) =>
  issue.expected === "Object"
    ? `Expected a message object but received ${describe(issue.input)}.`
    : `Expected the message's ${String(issue.expected).replace(/"/g, "")} but received nothing: a message without it cannot be kept.`,
);

function messageBase(raw: BaseRaw): MessageBase {
  return compact({
    id: raw.id,
    from: raw.from,
    to: raw.to,
    fromUserId: raw.from_user_id,
    fromParentUserId: raw.from_parent_user_id,
    toUserId: raw.to_user_id,
    toParentUserId: raw.to_parent_user_id,
    groupId: raw.group_id,
    timestamp: raw.timestamp,
    context: raw.context,
    referral: raw.referral,
    errors: raw.errors,
  });
}

/** The message of one `type`. */
type MessageOf<TType extends string> = Extract<Message, { readonly type: TType }>;

/** The content a message of one `type` carries under the key of the same name (`never` when none). */
type ContentOf<TType extends Message["type"]> = TType extends keyof MessageOf<TType> ? MessageOf<TType>[TType] : never;

/**
 * A schema for one message type whose content object sits under the key named like the type
 * (optional where real traffic omits it).
 */
// @__NO_SIDE_EFFECTS__
function messageSchemaOf<const TType extends Message["type"]>(
  type: TType,
  content: v.GenericSchema<unknown, ContentOf<TType>> | undefined,
  finish?: (content: ContentOf<TType>, raw: BaseRaw) => ContentOf<TType>,
): ShapeSchema<MessageOf<TType>> {
  const entries: v.ObjectEntries = { ...baseEntries, type: v.literal(type) };
  if (content !== undefined) entries[type] = content;
  return shape(entries, (raw) => {
    const fields = raw as Record<string, unknown> & BaseRaw;
    const body = fields[type] as ContentOf<TType> | undefined;
    const out: Record<string, unknown> = { ...messageBase(fields), type };
    if (body !== undefined) out[type] = finish === undefined ? body : finish(body, fields);
    return out as unknown as MessageOf<TType>;
  });
}

/** On a number change, the old number is the message's `from`. */
function withPreviousNumber(system: SystemContent, raw: BaseRaw): SystemContent {
  const changedNumber = system.type === "user_changed_number" || system.type === "customer_changed_number";
  if (!changedNumber || raw.from === undefined) return system;
  const { extra, ...fields } = system;
  return compact({ ...fields, previousPhoneNumber: raw.from, extra });
}

/** Content schemas by type, for the messages and for the content of an edit. */
const CONTENTS = {
  text: textContentSchema,
  image: mediaContentSchema,
  video: mediaContentSchema,
  audio: mediaContentSchema,
  document: mediaContentSchema,
  sticker: mediaContentSchema,
  location: locationContentSchema,
  contacts: contactsContentSchema,
  reaction: reactionContentSchema,
  revoke: revokeContentSchema,
  interactive: v.optional(interactiveContentSchema),
  button: v.optional(buttonContentSchema),
  order: v.optional(orderContentSchema),
  template: v.optional(templateContentSchema),
  unsupported: v.optional(unsupportedContentSchema),
} as const;

type EditableType = keyof typeof CONTENTS;

/** The message types whose content sits under a key of the same name (`edit` and `system` too). */
export const CONTENT_TYPES: ReadonlySet<string> = /* @__PURE__ */ new Set([...Object.keys(CONTENTS), "edit", "system"]);

/** Schema of the new content of an edit: `{ type, <type>: content, context? }`. */
// @__NO_SIDE_EFFECTS__
function editedSchemaOf(type: EditableType): v.GenericSchema<unknown, EditedContent> {
  return shape({ type: v.literal(type), context: v.optional(messageContextSchema), [type]: CONTENTS[type] }, (raw) => {
    const fields = raw as Record<string, unknown>;
    return compact({ type, context: fields.context, [type]: fields[type] }) as unknown as EditedContent;
  });
}

const EDITED_SCHEMAS = Object.fromEntries((Object.keys(CONTENTS) as EditableType[]).map((type) => [type, editedSchemaOf(type)])) as Record<
  EditableType,
  v.GenericSchema<unknown, EditedContent>
>;

function typeOf(input: unknown): unknown {
  return typeof input === "object" && input !== null ? (input as { type?: unknown }).type : undefined;
}

/** An edit whose new content has a type this library does not know: the raw object is kept as received. */
const editedUnknownSchema = /* @__PURE__ */ v.pipe(
  looseRecord({ type: v.optional(v.unknown()) }),
  v.transform((raw): EditedContent => (typeof raw.type === "string" ? { type: "unknown", originalType: raw.type, raw } : { type: "unknown", raw })),
);

/** The content of an edit: the new version of the message, with its own `type` and content. */
const editedMessageSchema = /* @__PURE__ */ v.lazy((input): v.GenericSchema<unknown, EditedContent> => {
  const type = typeOf(input);
  return typeof type === "string" && Object.hasOwn(EDITED_SCHEMAS, type) ? EDITED_SCHEMAS[type as EditableType] : editedUnknownSchema;
});

const editContentSchema = /* @__PURE__ */ shape({ original_message_id: identifier, message: editedMessageSchema }, (raw): EditContent => ({
  originalMessageId: raw.original_message_id,
  message: raw.message,
}));

/** Schemas of the message types this library knows, by `type`, each checked against its interface. */
export const knownMessageSchemas = {
  text: messageSchemaOf("text", CONTENTS.text),
  image: messageSchemaOf("image", CONTENTS.image),
  video: messageSchemaOf("video", CONTENTS.video),
  audio: messageSchemaOf("audio", CONTENTS.audio),
  document: messageSchemaOf("document", CONTENTS.document),
  sticker: messageSchemaOf("sticker", CONTENTS.sticker),
  location: messageSchemaOf("location", CONTENTS.location),
  contacts: messageSchemaOf("contacts", CONTENTS.contacts),
  reaction: messageSchemaOf("reaction", CONTENTS.reaction),
  edit: messageSchemaOf("edit", editContentSchema),
  revoke: messageSchemaOf("revoke", CONTENTS.revoke),
  interactive: messageSchemaOf("interactive", CONTENTS.interactive),
  button: messageSchemaOf("button", CONTENTS.button),
  order: messageSchemaOf("order", CONTENTS.order),
  template: messageSchemaOf("template", CONTENTS.template),
  media_placeholder: messageSchemaOf("media_placeholder", undefined),
  unsupported: messageSchemaOf("unsupported", CONTENTS.unsupported),
  system: messageSchemaOf("system", systemContentSchema, withPreviousNumber),
} satisfies { readonly [K in Exclude<Message["type"], "unknown">]: ShapeSchema<MessageOf<K>> };

type KnownType = keyof typeof knownMessageSchemas;

/**
 * The message types this library models, in the order of the docs (`unknown` last).
 *
 * @example
 * ```ts
 * MESSAGE_TYPES.includes("media_placeholder"); // true
 * ```
 */
export const MESSAGE_TYPES = [...(Object.keys(knownMessageSchemas) as KnownType[]), "unknown"] as const;

const unknownEntries = { ...baseEntries, type: v.optional(v.unknown()) };

/**
 * A message whose type this library does not know, or whose content could not be read: the base
 * fields, `originalType`, and the raw object as received.
 *
 * @param original - the message object as received (kept as `raw`).
 */
export function unknownMessageSchema(original: Record<string, unknown>): v.GenericSchema<unknown, UnknownMessage> {
  return v.pipe(
    looseRecord(unknownEntries, (issue) => `Expected a message object but received ${describe(issue.input)}.`),
    v.transform((raw): UnknownMessage => {
      const base = messageBase(raw);
      return typeof raw.type === "string" ? { ...base, type: "unknown", originalType: raw.type, raw: original } : { ...base, type: "unknown", raw: original };
    }),
  );
}

function isKnownType(type: unknown): type is KnownType {
  return typeof type === "string" && Object.hasOwn(knownMessageSchemas, type);
}

/**
 * Schema of one message (echo, received message, history message without its `history_context`).
 * Dispatches on `type`; an unknown type still parses, as `type: "unknown"` with the raw object.
 */
export const messageSchema: v.GenericSchema<unknown, Message> = /* @__PURE__ */ v.lazy((input) => {
  const type = typeOf(input);
  if (isKnownType(type)) return knownMessageSchemas[type] as v.GenericSchema<unknown, Message>;
  if (typeof type === "string") return unknownMessageSchema(input as Record<string, unknown>);
  return missingTypeSchema;
});

/**
 * A message without a string `type`: always an issue at `type` (it is chosen only when `type` is
 * not a string, so it never validates; the parser then keeps the message as `unknown`, see
 * `parse-message.ts`).
 */
const missingTypeSchema = /* @__PURE__ */ looseRecord(
  { type: v.string((issue) => `Expected the message type as a string but received ${describe(issue.input)}.`) },
  (issue) =>
    issue.expected === "Object"
      ? `Expected a message object but received ${describe(issue.input)}.`
      : "Expected the message type as a string but received nothing.",
) as unknown as v.GenericSchema<unknown, Message>;
