/**
 * The `Message` union: every message shape that echoes, received messages and history share,
 * discriminated on `type`. The TypeScript types are inferred from these schemas.
 *
 * @module
 */
import * as v from "valibot";
import { apiErrorSchema } from "./api-error.js";
import {
  buttonContentSchema,
  contactsContentSchema,
  locationContentSchema,
  mediaContentSchema,
  rawContentSchema,
  reactionContentSchema,
  revokeContentSchema,
  textContentSchema,
} from "./message-content.js";
import { compact, describe, extraKeys, reservedKeys, shape, type Simplify } from "./object-shape.js";
import { flag, identifier, optionalText, phone, text, unixSeconds } from "./scalars.js";

/** The reply/forward context of a message: `{ from?, id?, forwarded?, frequentlyForwarded? }`. */
export const messageContextSchema = shape(
  { from: v.optional(phone), id: v.optional(text), forwarded: v.optional(flag), frequently_forwarded: v.optional(flag) },
  (raw) => compact({ from: raw.from, id: raw.id, forwarded: raw.forwarded, frequentlyForwarded: raw.frequently_forwarded }),
);

function typeOf(input: unknown): unknown {
  return typeof input === "object" && input !== null ? (input as { type?: unknown }).type : undefined;
}

const missingTypeSchema = v.looseObject({
  type: v.string((issue) => `Expected the message type as a string but received ${describe(issue.input)}.`),
});

const baseEntries = {
  id: identifier,
  from: v.optional(phone),
  to: v.optional(phone),
  from_user_id: optionalText,
  from_parent_user_id: optionalText,
  to_user_id: optionalText,
  to_parent_user_id: optionalText,
  timestamp: unixSeconds,
  context: v.optional(messageContextSchema),
  errors: v.optional(v.array(apiErrorSchema)),
};

type BaseRaw = v.InferOutput<v.ObjectSchema<typeof baseEntries, undefined>>;

/** The raw keys every message may carry besides `type` and its content key. */
export const MESSAGE_BASE_KEYS: readonly string[] = [...Object.keys(baseEntries), "type"];

function messageBase(raw: BaseRaw) {
  return compact({
    id: raw.id,
    from: raw.from,
    to: raw.to,
    fromUserId: raw.from_user_id,
    fromParentUserId: raw.from_parent_user_id,
    toUserId: raw.to_user_id,
    toParentUserId: raw.to_parent_user_id,
    timestamp: raw.timestamp,
    context: raw.context,
    errors: raw.errors,
  });
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
export type MessageBase = ReturnType<typeof messageBase>;

/**
 * A schema for one message type that has a content object under the key named like the type.
 */
// @__NO_SIDE_EFFECTS__
function messageWithContent<const TType extends string, TContent extends v.GenericSchema>(type: TType, content: TContent) {
  const entries = { ...baseEntries, type: v.literal(type), [type]: content } as typeof baseEntries & {
    type: v.LiteralSchema<TType, undefined>;
  } & Record<TType, TContent>;
  return shape(
    entries,
    (raw) =>
      ({ ...messageBase(raw as unknown as BaseRaw), type, [type]: (raw as Record<string, unknown>)[type] }) as Simplify<
        MessageBase & { type: TType } & Record<TType, v.InferOutput<TContent>>
      >,
  );
}

/**
 * A schema for one message type whose content object is optional or absent (`media_placeholder`,
 * `unsupported`).
 */
// @__NO_SIDE_EFFECTS__
function messageWithoutContent<const TType extends string>(type: TType) {
  const entries = { ...baseEntries, type: v.literal(type), [type]: v.optional(rawContentSchema) } as typeof baseEntries & {
    type: v.LiteralSchema<TType, undefined>;
  } & Record<TType, v.OptionalSchema<typeof rawContentSchema, undefined>>;
  return shape(
    entries,
    (raw) =>
      compact({ ...messageBase(raw as unknown as BaseRaw), type, [type]: (raw as Record<string, unknown>)[type] }) as Simplify<
        MessageBase & { type: TType } & Partial<Record<TType, Record<string, unknown>>>
      >,
  );
}

function editedWithContent<const TType extends string, TContent extends v.GenericSchema>(type: TType, content: TContent) {
  const entries = { type: v.literal(type), context: v.optional(messageContextSchema), [type]: content } as {
    type: v.LiteralSchema<TType, undefined>;
    context: v.OptionalSchema<typeof messageContextSchema, undefined>;
  } & Record<TType, TContent>;
  return shape(
    entries,
    (raw) =>
      compact({ type, context: raw.context, [type]: (raw as Record<string, unknown>)[type] }) as Simplify<
        { type: TType; context?: v.InferOutput<typeof messageContextSchema> } & Record<TType, v.InferOutput<TContent>>
      >,
  );
}

const editedSchemas = {
  text: editedWithContent("text", textContentSchema),
  image: editedWithContent("image", mediaContentSchema),
  video: editedWithContent("video", mediaContentSchema),
  audio: editedWithContent("audio", mediaContentSchema),
  document: editedWithContent("document", mediaContentSchema),
  sticker: editedWithContent("sticker", mediaContentSchema),
  location: editedWithContent("location", locationContentSchema),
  contacts: editedWithContent("contacts", contactsContentSchema),
  reaction: editedWithContent("reaction", reactionContentSchema),
  revoke: editedWithContent("revoke", revokeContentSchema),
  interactive: editedWithContent("interactive", rawContentSchema),
  button: editedWithContent("button", buttonContentSchema),
  order: editedWithContent("order", rawContentSchema),
  template: editedWithContent("template", rawContentSchema),
  media_placeholder: editedWithContent("media_placeholder", v.optional(rawContentSchema)),
  unsupported: editedWithContent("unsupported", v.optional(rawContentSchema)),
};

/** An edit whose new content has a type this library does not know: the raw object is kept as received. */
// @__NO_SIDE_EFFECTS__
function editedUnknownSchema(original: Record<string, unknown>) {
  return v.pipe(
    v.looseObject({ type: text }),
    v.transform((raw) => ({ type: "unknown" as const, originalType: raw.type, raw: original })),
  );
}

/** The content of an edit: the new version of the message, with its own `type` and content. */
const editedMessageSchema = v.lazy((input) => {
  const type = typeOf(input);
  if (typeof type === "string" && Object.hasOwn(editedSchemas, type)) return editedSchemas[type as keyof typeof editedSchemas];
  if (typeof type === "string") return editedUnknownSchema(input as Record<string, unknown>);
  return missingTypeSchema as unknown as ReturnType<typeof editedUnknownSchema>;
});

const editContentSchema = shape(
  { original_message_id: identifier, message: editedMessageSchema },
  (raw) => ({ originalMessageId: raw.original_message_id, message: raw.message }),
);

/** Schemas of the message types this library knows, by `type`. */
export const knownMessageSchemas = {
  text: messageWithContent("text", textContentSchema),
  image: messageWithContent("image", mediaContentSchema),
  video: messageWithContent("video", mediaContentSchema),
  audio: messageWithContent("audio", mediaContentSchema),
  document: messageWithContent("document", mediaContentSchema),
  sticker: messageWithContent("sticker", mediaContentSchema),
  location: messageWithContent("location", locationContentSchema),
  contacts: messageWithContent("contacts", contactsContentSchema),
  reaction: messageWithContent("reaction", reactionContentSchema),
  edit: messageWithContent("edit", editContentSchema),
  revoke: messageWithContent("revoke", revokeContentSchema),
  interactive: messageWithContent("interactive", rawContentSchema),
  button: messageWithContent("button", buttonContentSchema),
  order: messageWithContent("order", rawContentSchema),
  template: messageWithContent("template", rawContentSchema),
  media_placeholder: messageWithoutContent("media_placeholder"),
  unsupported: messageWithoutContent("unsupported"),
};

/** A message whose type this library does not know: base fields parsed, the raw object kept as received. */
// @__NO_SIDE_EFFECTS__
function unknownMessageSchema(original: Record<string, unknown>) {
  return v.pipe(
    v.looseObject({ ...baseEntries, type: text }),
    v.transform((raw) => ({ ...messageBase(raw), type: "unknown" as const, originalType: raw.type, raw: original })),
  );
}


/**
 * The message types this library models, in the order of the docs (`unknown` last).
 *
 * @example
 * ```ts
 * MESSAGE_TYPES.includes("media_placeholder"); // true
 * ```
 */
export const MESSAGE_TYPES = [...(Object.keys(knownMessageSchemas) as (keyof typeof knownMessageSchemas)[]), "unknown"] as const;


type KnownSchemas = typeof knownMessageSchemas;

/** Any message of a type this library models. */
export type KnownMessage = { [K in keyof KnownSchemas]: v.InferOutput<KnownSchemas[K]> }[keyof KnownSchemas];

/** A message of a type this library does not model. */
export type UnknownMessageOutput = v.InferOutput<ReturnType<typeof unknownMessageSchema>>;

function isKnownType(type: unknown): type is keyof typeof knownMessageSchemas {
  return typeof type === "string" && Object.hasOwn(knownMessageSchemas, type);
}

/**
 * Schema of one message (echo, received message, history message without its `history_context`).
 * Dispatches on `type`; an unknown type still parses, as `type: "unknown"` with the raw object.
 */
export const messageSchema: v.GenericSchema<unknown, KnownMessage | UnknownMessageOutput> = v.lazy((input) => {
  const type = typeOf(input);
  if (isKnownType(type)) return knownMessageSchemas[type];
  if (typeof type === "string") return unknownMessageSchema(input as Record<string, unknown>);
  return missingTypeSchema as unknown as ReturnType<typeof unknownMessageSchema>;
});

/** The raw keys a message's extras must not reuse, by type (its base keys and its content key). */
export function messageReservedKeys(type: string): ReadonlySet<string> {
  return reservedKeys([...MESSAGE_BASE_KEYS, type]);
}

export { extraKeys };
