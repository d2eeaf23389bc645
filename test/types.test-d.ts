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
  type ErrorsReported,
  type AccountLifecycleChanged,
  type AccountLifecycleEvent,
  type StatusRecipient,
  type UnknownMessage,
  type MessageStatusUpdated,
  type UserIdChanged,
  type UserPreferencesUpdated,
  type DeliveryStatus,
  type CustomerIds,
  type Extra,
  type TextContent,
  type ReactionContent,
  type InteractiveContent,
  type ButtonContent,
  type ApiError,
  type ContactCard,
  type SystemContent,
  type OrderContent,
  type TemplateContent,
  type UnsupportedContent,
  type Referral,
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
      | "MessageStatusUpdated"
      | "UserIdChanged"
      | "ErrorsReported"
      | "AccountLifecycleChanged"
      | "UserPreferencesUpdated"
      | "UnhandledChange"
    >();
  });

  it("narrows on type to each event", () => {
    const event = {} as CoexistenceEvent;
    expectTypeOf(event.source).toEqualTypeOf<"meta" | "360dialog">();
    expectTypeOf(event.wabaId).toEqualTypeOf<string | undefined>();
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
        expectTypeOf(event.progress).toEqualTypeOf<number | undefined>();
        expectTypeOf(event.phase).toEqualTypeOf<number | undefined>();
        expectTypeOf(event.threads[0]!.messages).toEqualTypeOf<HistoryMessage[]>();
        expectTypeOf(event.threads[0]!.userId).toEqualTypeOf<string | undefined>();
        break;
      case "HistoryDeclined":
        expectTypeOf(event).toEqualTypeOf<HistoryDeclined>();
        expectTypeOf(event.code).toEqualTypeOf<number>();
        break;
      case "HistoryMedia":
        expectTypeOf(event).toEqualTypeOf<HistoryMedia>();
        expectTypeOf(event.contacts).toEqualTypeOf<ProfileContact[] | undefined>();
        break;
      case "MessageStatusUpdated":
        expectTypeOf(event).toEqualTypeOf<MessageStatusUpdated>();
        expectTypeOf(event.status).toEqualTypeOf<DeliveryStatus>();
        expectTypeOf(event.recipient).toEqualTypeOf<StatusRecipient>();
        expectTypeOf(event.recipient.participant).toEqualTypeOf<CustomerIds | undefined>();
        expectTypeOf(event.errors).toEqualTypeOf<ApiError[] | undefined>();
        expectTypeOf(event.contact).toEqualTypeOf<ProfileContact | undefined>();
        break;
      case "UserIdChanged":
        expectTypeOf(event).toEqualTypeOf<UserIdChanged>();
        expectTypeOf(event.userId).toEqualTypeOf<string>();
        expectTypeOf(event.previousUserId).toEqualTypeOf<string | undefined>();
        break;
      case "UserPreferencesUpdated":
        expectTypeOf(event).toEqualTypeOf<UserPreferencesUpdated>();
        expectTypeOf(event.user).toEqualTypeOf<CustomerIds>();
        expectTypeOf(event.value).toEqualTypeOf<string>();
        break;
      case "AccountLifecycleChanged":
        expectTypeOf(event).toEqualTypeOf<AccountLifecycleChanged>();
        expectTypeOf(event.event).toEqualTypeOf<AccountLifecycleEvent>();
        expectTypeOf(event.disconnection).toEqualTypeOf<{ readonly reason?: string; readonly initiatedBy?: string; readonly extra?: Extra } | undefined>();
        break;
      case "ErrorsReported":
        expectTypeOf(event).toEqualTypeOf<ErrorsReported>();
        expectTypeOf(event.errors).toEqualTypeOf<ApiError[]>();
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
        expectTypeOf(message.text).toEqualTypeOf<TextContent>();
        expectTypeOf(message.text.body).toEqualTypeOf<string>();
        expectTypeOf(message.text.extra).toEqualTypeOf<Extra | undefined>();
        expectTypeOf(message.referral).toEqualTypeOf<Referral | undefined>();
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
        expectTypeOf(message.reaction).toEqualTypeOf<ReactionContent>();
        expectTypeOf(message.reaction.removed).toEqualTypeOf<boolean>();
        break;
      case "edit":
        expectTypeOf(message.edit.message).toEqualTypeOf<EditedContent>();
        if (message.edit.message.type === "image") expectTypeOf(message.edit.message.image).toEqualTypeOf<MediaContent>();
        break;
      case "revoke":
        expectTypeOf(message.revoke.originalMessageId).toEqualTypeOf<string>();
        break;
      case "interactive":
        expectTypeOf(message.interactive).toEqualTypeOf<InteractiveContent | undefined>();
        expectTypeOf(message.interactive?.buttonReply?.id).toEqualTypeOf<string | undefined>();
        break;
      case "button":
        expectTypeOf(message.button).toEqualTypeOf<ButtonContent | undefined>();
        expectTypeOf(message.button?.text).toEqualTypeOf<string | undefined>();
        break;
      case "media_placeholder":
        expectTypeOf(message).not.toHaveProperty("text");
        break;
      case "unsupported":
        expectTypeOf(message.errors).toEqualTypeOf<ApiError[] | undefined>();
        expectTypeOf(message.unsupported).toEqualTypeOf<UnsupportedContent | undefined>();
        break;
      case "system":
        expectTypeOf(message.system).toEqualTypeOf<SystemContent>();
        expectTypeOf(message.system.type).toEqualTypeOf<string>();
        expectTypeOf(message.system.previousPhoneNumber).toEqualTypeOf<string | undefined>();
        break;
      case "unknown":
        expectTypeOf(message).toEqualTypeOf<UnknownMessage>();
        expectTypeOf(message.originalType).toEqualTypeOf<string | undefined>();
        expectTypeOf(message.raw).toEqualTypeOf<Readonly<Record<string, unknown>>>();
        break;
      case "contacts":
        expectTypeOf(message.contacts).toEqualTypeOf<ContactCard[]>();
        expectTypeOf(message.contacts[0]!.name?.formattedName).toEqualTypeOf<string | undefined>();
        expectTypeOf(message.contacts[0]!.vcard).toEqualTypeOf<string | undefined>();
        break;
      case "order":
        expectTypeOf(message.order).toEqualTypeOf<OrderContent | undefined>();
        break;
      case "template":
        expectTypeOf(message.template).toEqualTypeOf<TemplateContent | undefined>();
        break;
      default:
        expectTypeOf(message).toEqualTypeOf<never>();
    }
  });

  it("media contents are typed", () => {
    // Every field is optional: echoes follow the sending shape, history media have no asset id.
    expectTypeOf<MediaContent>().toEqualTypeOf<{
      readonly id?: string;
      readonly mimeType?: string;
      readonly sha256?: string;
      readonly caption?: string;
      readonly filename?: string;
      readonly url?: string;
      readonly link?: string;
      readonly voice?: boolean;
      readonly animated?: boolean;
      readonly extra?: Extra;
    }>();
  });

  it("history messages add direction and status, and still narrow", () => {
    const message = {} as HistoryMessage;
    expectTypeOf(message.direction).toEqualTypeOf<"inbound" | "outbound">();
    expectTypeOf(message.status).toEqualTypeOf<HistoryStatus | undefined>();
    if (message.type === "text") expectTypeOf(message.text.body).toEqualTypeOf<string>();
  });
});
