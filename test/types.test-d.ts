import { describe, expectTypeOf, it } from "vitest";
import {
  EVENT_TYPES,
  MESSAGE_TYPES,
  parseChange,
  parseWebhook,
  safeParseWebhook,
  WebhookParseError,
  type AddressBookContact,
  type CoexistenceEvent,
  type CoexistenceEventType,
  type ContactAdded,
  type ContactRemoved,
  type EditedContent,
  type HistoryChunk,
  type HistoryDeclined,
  type HistoryMedia,
  type HistoryMessage,
  type HistoryStatus,
  type MediaContent,
  type Message,
  type MessageEchoed,
  type MessageReceived,
  type MessageType,
  type ParseIssue,
  type ProfileContact,
  type UnhandledChange,
  type UnknownMessage,
} from "../src/index.js";

describe("the event union", () => {
  it("parseWebhook returns the union; safeParseWebhook a discriminated result", () => {
    expectTypeOf(parseWebhook).returns.toEqualTypeOf<CoexistenceEvent[]>();
    expectTypeOf(parseChange).returns.toEqualTypeOf<CoexistenceEvent[]>();
    const result = safeParseWebhook("{}");
    if (result.success) expectTypeOf(result).not.toHaveProperty("issues");
    else expectTypeOf(result.issues).toEqualTypeOf<ParseIssue[]>();
    expectTypeOf(result.events).toEqualTypeOf<CoexistenceEvent[]>();
    expectTypeOf<WebhookParseError["issues"]>().toEqualTypeOf<readonly ParseIssue[]>();
  });

  it("EVENT_TYPES names exactly the union's types", () => {
    expectTypeOf<(typeof EVENT_TYPES)[number]>().toEqualTypeOf<CoexistenceEvent["type"]>();
    expectTypeOf<CoexistenceEventType>().toEqualTypeOf<
      | "ContactAdded"
      | "ContactRemoved"
      | "MessageEchoed"
      | "MessageReceived"
      | "HistoryChunk"
      | "HistoryDeclined"
      | "HistoryMedia"
      | "UnhandledChange"
    >();
  });

  it("narrows on type to each event", () => {
    const event = {} as CoexistenceEvent;
    expectTypeOf(event.source).toEqualTypeOf<"meta" | "360dialog">();
    expectTypeOf(event.wabaId).toEqualTypeOf<string>();
    expectTypeOf(event.phoneNumberId).toEqualTypeOf<string | undefined>();
    switch (event.type) {
      case "ContactAdded":
        expectTypeOf(event).toEqualTypeOf<ContactAdded>();
        expectTypeOf(event.contact).toEqualTypeOf<AddressBookContact>();
        expectTypeOf(event.contact.phoneNumber).toEqualTypeOf<string | undefined>();
        expectTypeOf(event.timestamp).toEqualTypeOf<number>();
        break;
      case "ContactRemoved":
        expectTypeOf(event).toEqualTypeOf<ContactRemoved>();
        break;
      case "MessageEchoed":
        expectTypeOf(event).toEqualTypeOf<MessageEchoed>();
        expectTypeOf(event.message).toEqualTypeOf<Message>();
        expectTypeOf(event.contact).toEqualTypeOf<ProfileContact | undefined>();
        break;
      case "MessageReceived":
        expectTypeOf(event).toEqualTypeOf<MessageReceived>();
        break;
      case "HistoryChunk":
        expectTypeOf(event).toEqualTypeOf<HistoryChunk>();
        expectTypeOf(event.progress).toEqualTypeOf<number>();
        expectTypeOf(event.threads[0]!.messages).toEqualTypeOf<HistoryMessage[]>();
        expectTypeOf(event.threads[0]!.userId).toEqualTypeOf<string | undefined>();
        break;
      case "HistoryDeclined":
        expectTypeOf(event).toEqualTypeOf<HistoryDeclined>();
        expectTypeOf(event.code).toEqualTypeOf<number>();
        break;
      case "HistoryMedia":
        expectTypeOf(event).toEqualTypeOf<HistoryMedia>();
        break;
      case "UnhandledChange":
        expectTypeOf(event).toEqualTypeOf<UnhandledChange>();
        expectTypeOf(event.value).toEqualTypeOf<unknown>();
        break;
      default:
        expectTypeOf(event).toEqualTypeOf<never>();
    }
  });
});

describe("the message union", () => {
  it("MESSAGE_TYPES names exactly the message types", () => {
    expectTypeOf<(typeof MESSAGE_TYPES)[number]>().toEqualTypeOf<MessageType>();
  });

  it("narrows on message.type to each content", () => {
    const message = {} as Message;
    expectTypeOf(message.id).toEqualTypeOf<string>();
    expectTypeOf(message.timestamp).toEqualTypeOf<number>();
    switch (message.type) {
      case "text":
        expectTypeOf(message.text).toEqualTypeOf<{ body: string }>();
        break;
      case "image":
        expectTypeOf(message.image).toEqualTypeOf<MediaContent>();
        break;
      case "video":
        expectTypeOf(message.video).toEqualTypeOf<MediaContent>();
        break;
      case "audio":
        expectTypeOf(message.audio.voice).toEqualTypeOf<boolean | undefined>();
        break;
      case "document":
        expectTypeOf(message.document.filename).toEqualTypeOf<string | undefined>();
        break;
      case "sticker":
        expectTypeOf(message.sticker).toEqualTypeOf<MediaContent>();
        break;
      case "location":
        expectTypeOf(message.location.latitude).toEqualTypeOf<number>();
        break;
      case "reaction":
        expectTypeOf(message.reaction).toEqualTypeOf<{ messageId: string; emoji: string; removed: boolean }>();
        break;
      case "edit":
        expectTypeOf(message.edit.message).toEqualTypeOf<EditedContent>();
        if (message.edit.message.type === "image") expectTypeOf(message.edit.message.image).toEqualTypeOf<MediaContent>();
        break;
      case "revoke":
        expectTypeOf(message.revoke.originalMessageId).toEqualTypeOf<string>();
        break;
      case "interactive":
        expectTypeOf(message.interactive).toEqualTypeOf<Record<string, unknown>>();
        break;
      case "button":
        expectTypeOf(message.button.text).toEqualTypeOf<string>();
        break;
      case "media_placeholder":
        expectTypeOf(message).not.toHaveProperty("text");
        break;
      case "unsupported":
        expectTypeOf(message.errors).toEqualTypeOf<{ code: number; title?: string; message?: string; details?: string }[] | undefined>();
        break;
      case "unknown":
        expectTypeOf(message).toEqualTypeOf<UnknownMessage>();
        expectTypeOf(message.originalType).toEqualTypeOf<string>();
        expectTypeOf(message.raw).toEqualTypeOf<Record<string, unknown>>();
        break;
      case "contacts":
        expectTypeOf(message.contacts[0]!.name.formattedName).toEqualTypeOf<string>();
        break;
      case "order":
      case "template":
        break;
      default:
        expectTypeOf(message).toEqualTypeOf<never>();
    }
  });

  it("media contents are typed", () => {
    expectTypeOf<MediaContent>().toEqualTypeOf<{
      id: string;
      mimeType: string;
      sha256: string;
      caption?: string;
      filename?: string;
      url?: string;
      voice?: boolean;
      animated?: boolean;
    }>();
  });

  it("history messages add direction and status, and still narrow", () => {
    const message = {} as HistoryMessage;
    expectTypeOf(message.direction).toEqualTypeOf<"inbound" | "outbound">();
    expectTypeOf(message.status).toEqualTypeOf<HistoryStatus | undefined>();
    if (message.type === "text") expectTypeOf(message.text.body).toEqualTypeOf<string>();
  });
});
