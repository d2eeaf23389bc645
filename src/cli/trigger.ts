/**
 * `trigger <kind>`: sends a realistic signed webhook of one kind to an endpoint (serve, or the
 * developer's app), as `stripe trigger` does. The bodies are modelled on the fixtures (real traffic's
 * shapes), aimed at a business (`--phone-number-id`) and a customer (`--customer`).
 *
 * @module
 */
import { signPayload } from "../index.js";
import { UsageError } from "./usage.js";

/** Where a triggered webhook is aimed. */
export interface TriggerTarget {
  readonly phoneNumberId: string;
  /** The business's own number (digits). */
  readonly businessNumber: string;
  /** The customer's phone number (digits). */
  readonly customer: string;
  /** Unix seconds. */
  readonly now: number;
  /** A unique part for the message ids. */
  readonly unique: string;
}

type Value = Record<string, unknown>;

const WABA_ID = "102290129340398";

function metaBody(target: TriggerTarget, field: string, value: Value): Value {
  const metadata = { display_phone_number: target.businessNumber, phone_number_id: target.phoneNumberId };
  return {
    object: "whatsapp_business_account",
    entry: [{ id: WABA_ID, time: target.now, changes: [{ field, value: { messaging_product: "whatsapp", metadata, ...value } }] }],
  };
}

function dialogBody(target: TriggerTarget, event: string, value: Value): Value {
  const metadata = { display_phone_number: target.businessNumber, phone_number_id: target.phoneNumberId };
  return { id: crypto.randomUUID(), event, data: { id: WABA_ID, messaging_product: "whatsapp", metadata, ...value } };
}

const contact = (target: TriggerTarget, action: "add" | "remove", fullName: string) =>
  metaBody(target, "smb_app_state_sync", {
    state_sync: [
      {
        type: "contact",
        contact:
          action === "remove" ? { phone_number: target.customer } : { full_name: fullName, first_name: fullName.split(" ")[0], phone_number: target.customer },
        action,
        metadata: { timestamp: String(target.now) },
      },
    ],
  });

const echo = (target: TriggerTarget, type: string, content: Value) =>
  metaBody(target, "smb_message_echoes", {
    message_echoes: [
      { from: target.businessNumber, to: target.customer, id: `wamid.trigger.${target.unique}`, timestamp: String(target.now), type, [type]: content },
    ],
  });

/** A text of a history thread, `secondsAgo` before now, with its status. */
const historyText = (target: TriggerTarget, n: number, secondsAgo: number, parties: Value, body: string, status: string): Value => ({
  ...parties,
  id: `wamid.trigger.${target.unique}.${n}`,
  timestamp: String(target.now - secondsAgo),
  type: "text",
  text: { body },
  history_context: { status },
});

const history = (target: TriggerTarget) => ({
  history: [
    {
      metadata: { phase: 0, chunk_order: 1, progress: 100 },
      threads: [
        {
          id: target.customer,
          messages: [
            historyText(target, 1, 86_400, { from: target.customer }, "Hi! Do you deliver on Saturdays?", "READ"),
            historyText(target, 2, 86_000, { from: target.businessNumber, to: target.customer }, "We do, until 2 pm.", "DELIVERED"),
          ],
        },
      ],
    },
  ],
});

/** Each kind: what it is, and its body. */
export const TRIGGER_KINDS: Readonly<Record<string, { readonly about: string; readonly body: (target: TriggerTarget) => Value }>> = {
  "contact-added": { about: "a contact added to the phone's address book", body: (t) => contact(t, "add", "Ana Lima") },
  "contact-edited": { about: "the same contact renamed", body: (t) => contact(t, "add", "Ana Lima Souza") },
  "contact-removed": { about: "the contact removed", body: (t) => contact(t, "remove", "") },
  "echo-text": { about: "a text the business typed on the phone", body: (t) => echo(t, "text", { body: "Your order is ready." }) },
  "echo-image": {
    about: "an image the business sent from the phone",
    body: (t) =>
      echo(t, "image", { mime_type: "image/jpeg", sha256: "Ymy3Yd0vQyXW6lqqfD+L3bTz1ZQhQzC1DYbQpCy+xho=", id: "1598767494354410", caption: "New collection" }),
  },
  "echo-document": {
    about: "a document the business sent from the phone",
    body: (t) =>
      echo(t, "document", {
        filename: "catalogue.pdf",
        mime_type: "application/pdf",
        sha256: "Cq3b7Lw9s1tM0eRk2pQ8vX4nZ6yJ5uH7aG3dF1cB9iE=",
        id: "2203998831475510",
      }),
  },
  "echo-location": { about: "a location the business shared", body: (t) => echo(t, "location", { latitude: -23.5505, longitude: -46.6333, name: "Our shop" }) },
  "echo-reaction": {
    about: "a reaction the business gave on the phone",
    body: (t) => echo(t, "reaction", { message_id: `wamid.trigger.${t.unique}.received`, emoji: "👍" }),
  },
  "message-received": {
    about: "a text from the customer",
    body: (t) =>
      metaBody(t, "messages", {
        contacts: [{ profile: { name: "Ana Lima" }, wa_id: t.customer }],
        messages: [{ from: t.customer, id: `wamid.trigger.${t.unique}.received`, timestamp: String(t.now), type: "text", text: { body: "Is it ready?" } }],
      }),
  },
  status: {
    about: "a delivery status of a message the business sent through the API",
    body: (t) =>
      metaBody(t, "messages", {
        statuses: [{ id: `wamid.trigger.${t.unique}.sent`, status: "delivered", timestamp: String(t.now), recipient_id: t.customer }],
      }),
  },
  "history-chunk": { about: "a chunk of past chats (Meta's envelope)", body: (t) => metaBody(t, "history", history(t)) },
  "history-chunk-360dialog": { about: "the same chunk in 360dialog's partner envelope", body: (t) => dialogBody(t, "history", history(t)) },
  "history-declined": {
    about: "the business refused the history sync",
    body: (t) =>
      metaBody(t, "history", {
        history: [{ errors: [{ code: 2593109, title: "History sync is turned off by the business from the WhatsApp Business App" }] }],
      }),
  },
  "history-media": {
    about: "the media of a history chunk, sent after it",
    body: (t) =>
      metaBody(t, "history", {
        messages: [
          {
            from: t.customer,
            id: `wamid.trigger.${t.unique}.1`,
            timestamp: String(t.now - 86_400),
            type: "image",
            image: { mime_type: "image/jpeg", sha256: "q1m0y7dD5rPz2x6cJ4k8wV3bN9fT0aG2hL5sE1uR7oY=", id: "1012094987656543" },
          },
        ],
      }),
  },
  "bsuid-rotation": {
    about: "the customer's business-scoped user id rotated",
    body: (t) =>
      metaBody(t, "user_id_update", {
        contacts: [{ wa_id: t.customer, user_id: "US.20000000000000000002", profile: { name: "Ana Lima" } }],
        user_id_update: [
          {
            wa_id: t.customer,
            detail: "The user changed their phone number.",
            user_id: { previous: "US.10000000000000000001", current: "US.20000000000000000002" },
            timestamp: String(t.now),
          },
        ],
      }),
  },
};

/** The kinds, one a line, for the usage. */
export function triggerKindsText(): string {
  return Object.entries(TRIGGER_KINDS)
    .map(([kind, { about }]) => `  ${kind.padEnd(24)} ${about}`)
    .join("\n");
}

/** What `trigger` was asked. */
export interface TriggerOptions {
  readonly kind: string | undefined;
  readonly to: string;
  readonly secret: string | undefined;
  readonly phoneNumberId: string;
  readonly businessNumber: string;
  readonly customer: string;
}

/**
 * Sends one kind's body, signed, and prints what the endpoint answered.
 *
 * @returns the exit code: 0 for a 2xx answer, 1 otherwise.
 */
export async function trigger(options: TriggerOptions, write: (text: string) => void = (text) => process.stdout.write(text)): Promise<number> {
  const made = options.kind !== undefined && Object.hasOwn(TRIGGER_KINDS, options.kind) ? TRIGGER_KINDS[options.kind] : undefined;
  if (made === undefined) {
    throw new UsageError(
      `${options.kind === undefined ? "Name a kind" : `Unknown kind ${JSON.stringify(options.kind)}`}. The kinds:\n${triggerKindsText()}`,
      "trigger",
    );
  }
  const target: TriggerTarget = {
    phoneNumberId: options.phoneNumberId,
    businessNumber: options.businessNumber,
    customer: options.customer,
    now: Math.floor(Date.now() / 1000),
    unique: crypto.randomUUID().replaceAll("-", "").slice(0, 16),
  };
  const body = JSON.stringify(made.body(target));
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.secret !== undefined) headers["x-hub-signature-256"] = await signPayload(body, options.secret);
  let response: Response;
  try {
    response = await fetch(options.to, { method: "POST", headers, body, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    write(`✗ ${options.kind} to ${options.to}: ${(error as { cause?: Error }).cause?.message ?? (error as Error).message}\n`);
    return 1;
  }
  const answer = (await response.text()).slice(0, 300);
  write(
    `${response.ok ? "✓" : "✗"} ${options.kind} to ${options.to}: ${response.status}${answer === "" ? "" : ` ${answer}`}${options.secret === undefined ? " (unsigned: no --secret)" : ""}\n`,
  );
  return response.ok ? 0 : 1;
}
