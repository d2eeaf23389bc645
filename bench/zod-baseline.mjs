// What a user would otherwise write: the same job (validate, camelCase, normalise phones and
// timestamps, derive history direction and lowercase status) as a zod 4 schema with transforms.
import { z } from "zod";

const phone = z.string().transform((value, ctx) => {
  if (value === "") return undefined;
  const digits = value.replace(/^\+/, "").replace(/[\s().-]/g, "");
  if (!/^\d+$/.test(digits)) {
    ctx.addIssue({ code: "custom", message: "not a phone number" });
    return z.NEVER;
  }
  return digits;
});
const seconds = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number),
]);
const whole = seconds;
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

const media = z
  .looseObject({
    id: z.string().min(1),
    mime_type: z.string(),
    sha256: z.string(),
    caption: z.string().optional(),
    filename: z.string().optional(),
    url: z.string().optional(),
    voice: z.boolean().optional(),
    animated: z.boolean().optional(),
  })
  .transform(({ mime_type, ...rest }) => ({ ...rest, mimeType: mime_type }));

const base = {
  id: z.string().min(1),
  from: phone.optional(),
  to: phone.optional(),
  from_user_id: optionalText,
  to_user_id: optionalText,
  timestamp: seconds,
  history_context: z.looseObject({ status: z.string().optional(), from_me: z.boolean().optional() }).optional(),
};
const content = z.discriminatedUnion("type", [
  z.looseObject({ ...base, type: z.literal("text"), text: z.looseObject({ body: z.string() }) }),
  ...["image", "video", "audio", "document", "sticker"].map((type) => z.looseObject({ ...base, type: z.literal(type), [type]: media })),
  z.looseObject({
    ...base,
    type: z.literal("location"),
    location: z.looseObject({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }),
  }),
  z.looseObject({
    ...base,
    type: z.literal("reaction"),
    reaction: z
      .looseObject({ message_id: z.string().min(1), emoji: z.string().optional() })
      .transform((r) => ({ messageId: r.message_id, emoji: r.emoji ?? "", removed: !r.emoji })),
  }),
  z.looseObject({ ...base, type: z.literal("media_placeholder") }),
]);

function historyMessage(business) {
  return content.transform(({ from_user_id, to_user_id, history_context, ...message }) => ({
    ...message,
    fromUserId: from_user_id,
    toUserId: to_user_id,
    status: history_context?.status?.toLowerCase(),
    direction: history_context?.from_me || message.to !== undefined || message.from === business ? "outbound" : "inbound",
  }));
}

const metadata = z.looseObject({ display_phone_number: phone, phone_number_id: z.string() });

const historyValue = z.looseObject({ metadata, history: z.array(z.unknown()) }).transform((value, ctx) => {
  const message = historyMessage(value.metadata.display_phone_number);
  const item = z.looseObject({
    metadata: z.looseObject({ phase: whole, chunk_order: whole, progress: whole }),
    threads: z.array(z.looseObject({ id: phone.optional(), messages: z.array(message) })),
  });
  return value.history.map((raw) => {
    const parsed = item.safeParse(raw);
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: parsed.error.message });
      return z.NEVER;
    }
    return {
      type: "HistoryChunk",
      phoneNumberId: value.metadata.phone_number_id,
      displayPhoneNumber: value.metadata.display_phone_number,
      phase: parsed.data.metadata.phase,
      chunkOrder: parsed.data.metadata.chunk_order,
      progress: parsed.data.metadata.progress,
      threads: parsed.data.threads,
    };
  });
});

const stateSyncValue = z
  .looseObject({
    metadata,
    state_sync: z.array(
      z.looseObject({
        type: z.literal("contact"),
        contact: z.looseObject({ full_name: optionalText, first_name: optionalText, phone_number: phone.optional(), user_id: optionalText }),
        action: z.enum(["add", "remove"]),
        metadata: z.looseObject({ timestamp: seconds }),
      }),
    ),
  })
  .transform((value) =>
    value.state_sync.map((item) => ({
      type: item.action === "add" ? "ContactAdded" : "ContactRemoved",
      phoneNumberId: value.metadata.phone_number_id,
      displayPhoneNumber: value.metadata.display_phone_number,
      contact: { phoneNumber: item.contact.phone_number, userId: item.contact.user_id, fullName: item.contact.full_name, firstName: item.contact.first_name },
      timestamp: item.metadata.timestamp,
    })),
  );

const change = z.discriminatedUnion("field", [
  z.looseObject({ field: z.literal("history"), value: historyValue }),
  z.looseObject({ field: z.literal("smb_app_state_sync"), value: stateSyncValue }),
]);

const envelope = z.looseObject({
  object: z.literal("whatsapp_business_account"),
  entry: z.array(z.looseObject({ id: z.string(), changes: z.array(change) })),
});

/** Parses a body the zod way: JSON.parse, then the schema, then flatten to events. */
export function zodParse(text) {
  const parsed = envelope.parse(JSON.parse(text));
  return parsed.entry.flatMap((entry) => entry.changes.flatMap((c) => c.value.map((event) => ({ ...event, source: "meta", wabaId: entry.id }))));
}
