/**
 * whatsapp-coexistence: typed parsing of the webhooks a WhatsApp Business app number sends its
 * Cloud API provider ("coexistence"): `smb_app_state_sync`, `smb_message_echoes`, `history`, and
 * the `messages` field beside them, in Meta's or 360dialog's envelope.
 *
 * @module
 */
export { parseWebhook, safeParseWebhook, parseChange, safeParseChange } from "./parsing/parse-webhook.js";
export type { ParseOptions, SafeParseResult, WebhookChange, ChangeSource } from "./parsing/parse-webhook.js";
export { WEBHOOK_FIELDS, fieldOfEvent } from "./parsing/webhook-fields.js";
export type { WebhookFieldName } from "./parsing/webhook-fields.js";
export type { BusinessFallback } from "./core/parse-run.js";
export { WebhookParseError } from "./parsing/webhook-parse-error.js";
export type { ParseIssue } from "./parsing/webhook-parse-error.js";
export { DEFAULT_MAX_BYTES } from "./parsing/read-body.js";
export type { WebhookBody } from "./parsing/read-body.js";
export { DEFAULT_MAX_DEPTH } from "./core/hostile-input.js";
export { normalizePhone } from "./core/normalize.js";

export { EVENT_TYPES } from "./events/coexistence-event.js";
export type { CoexistenceEvent, CoexistenceEventType } from "./events/coexistence-event.js";
export type { EventBase, EventSource } from "./events/event-base.js";
export type { ContactAdded } from "./events/contact-added.js";
export type { ContactRemoved } from "./events/contact-removed.js";
export type { MessageEchoed } from "./events/message-echoed.js";
export type { MessageReceived } from "./events/message-received.js";
export type { MessageStatusUpdated, DeliveryStatus, StatusPricing, StatusConversation, StatusRecipient } from "./events/message-status-updated.js";
export type { UserIdChanged } from "./events/user-id-changed.js";
export type { UserPreferencesUpdated } from "./events/user-preferences-updated.js";
export type { HistoryChunk, HistoryThread } from "./events/history-chunk.js";
export type { HistoryDeclined } from "./events/history-declined.js";
export type { HistoryMedia } from "./events/history-media.js";
export type { ErrorsReported } from "./events/errors-reported.js";
export type { AccountLifecycleChanged, AccountLifecycleEvent } from "./events/account-lifecycle-changed.js";
export { ACCOUNT_LIFECYCLE_EVENTS, DISCONNECTING_EVENTS } from "./events/account-lifecycle-changed.js";
export type { UnhandledChange } from "./events/unhandled-change.js";
export type { Extra, Direction, ApiError, ProfileContact, AddressBookContact, CustomerIds, Referral } from "./events/parts.js";
export type {
  Message,
  MessageType,
  MessageBase,
  MessageContext,
  ReferredProduct,
  HistoryMessage,
  HistoryStatus,
  EditedContent,
  EditableMessage,
  TextMessage,
  ImageMessage,
  VideoMessage,
  AudioMessage,
  DocumentMessage,
  StickerMessage,
  LocationMessage,
  ContactsMessage,
  ReactionMessage,
  EditMessage,
  RevokeMessage,
  InteractiveMessage,
  ButtonMessage,
  OrderMessage,
  TemplateMessage,
  MediaPlaceholderMessage,
  UnsupportedMessage,
  SystemMessage,
  UnknownMessage,
  TextContent,
  MediaContent,
  LocationContent,
  ReactionContent,
  RevokeContent,
  EditContent,
  ButtonContent,
  InteractiveContent,
  InteractiveReply,
  FlowReply,
  CallPermissionReply,
  OrderContent,
  OrderItem,
  TemplateContent,
  UnsupportedContent,
  SystemContent,
  ContactCard,
  ContactCardName,
  ContactCardPhone,
  ContactCardEmail,
  ContactCardUrl,
  ContactCardAddress,
  ContactCardOrg,
} from "./events/message.js";
export { MESSAGE_TYPES } from "./schemas/message.js";

export { historyRetained } from "./events/history-retained.js";
export type { HistoryRetained } from "./events/history-retained.js";
export { personErased } from "./events/person-erased.js";
export type { PersonErased } from "./events/person-erased.js";
export type { BookEvent, DataEvent } from "./events/book-event.js";

export { createContactBook } from "./book/book-state.js";
export type { ContactBook, ContactFields, ConversationRecord, DeclinedRecord, LifecycleRecord } from "./book/book-state.js";
export { applyEvent, applyEvents, foldEvents } from "./book/apply-event.js";
export { describeUnplaced, addUnplaced, noneUnplaced } from "./book/unplaced.js";
export type { UnplacedEvents, UnplacedReason } from "./book/unplaced.js";
export { mergeBooks } from "./book/merge-books.js";
export {
  getContact,
  listContacts,
  getConversation,
  listConversations,
  listMessages,
  getHistorySync,
  listBusinesses,
  getIdentity,
  getServiceWindow,
  getConnection,
  BOOK_QUERIES,
} from "./book/queries.js";
export type { Connection } from "./book/connection.js";
export { SERVICE_WINDOW_SECONDS } from "./book/service-window.js";
export type { ServiceWindow } from "./book/service-window.js";
export { DEFAULT_PAGE_SIZE } from "./book/timeline.js";
export type { TimelineEntry, TimelineReaction, ListMessagesOptions, MessageOrigin, TimelineStatus } from "./book/timeline.js";
export type { Identity } from "./book/identity.js";
export type { Contact, ContactEntry, Conversation, ConversationEntry, HistorySync } from "./book/queries.js";
export type { ConversationPageOptions, ContactPageOptions } from "./book/pages.js";
export { serializeBook, deserializeBook, serializeBookLines, deserializeBookLines, BookFormatError, BOOK_FORMAT, BOOK_VERSION } from "./book/serialize-book.js";
export type { SerializedBook, SerializedBusiness, SerializedMessage, SerializedAmendments, SerializedAccount } from "./book/serialize-book.js";

export { verifySignature, signPayload, parseSignatureHeader } from "./receiving/verify-signature.js";
export type { Secrets } from "./receiving/verify-signature.js";
export type { RawBody } from "./receiving/raw-body.js";
export { verifySubscription } from "./receiving/verify-subscription.js";
export type { SubscriptionResult, SubscriptionQuery } from "./receiving/verify-subscription.js";
export { handleWebhookRequest } from "./receiving/handle-webhook-request.js";
export type { WebhookRequestResult, WebhookRequestOptions } from "./receiving/handle-webhook-request.js";
export { processWebhook, DEFAULT_EVENTS_TIMEOUT } from "./receiving/webhook-core.js";
export type {
  WebhookHandlerOptions,
  WebhookOutcome,
  IncomingWebhook,
  SignatureFailure,
  WebhookErrorHandler,
  WebhookErrorContext,
} from "./receiving/webhook-core.js";
export { bytesInFlight, DEFAULT_MAX_BYTES_IN_FLIGHT, BodyBudget } from "./receiving/bytes-in-flight.js";
export { createNodeHandler } from "./receiving/node-handler.js";
export { requestSync, SyncRequestError } from "./lifecycle/request-sync.js";
export type { RequestSyncOptions, SyncRequested, SyncFailure, GraphError } from "./lifecycle/request-sync.js";
export type { NodeHandlerOptions, NodeRequest, NodeResponse, NodeEventsCallback } from "./receiving/node-handler.js";
