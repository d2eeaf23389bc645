import { describe, expectTypeOf, it } from "vitest";
import {
  applyEvent,
  applyEvents,
  createContactBook,
  deserializeBook,
  getContact,
  getConversation,
  getHistorySync,
  getIdentity,
  listBusinesses,
  listContacts,
  listConversations,
  listMessages,
  mergeBooks,
  serializeBook,
  type CoexistenceEvent,
  type Contact,
  type ContactBook,
  type Conversation,
  type ConversationEntry,
  type ContactEntry,
  type ConversationPageOptions,
  type HistorySync,
  type Identity,
  type SerializedBook,
  type ApiError,
  type Direction,
  type ListMessagesOptions,
  type Message,
  type MessageOrigin,
  type TimelineEntry,
  type TimelineReaction,
  type TimelineStatus,
  historyRetained,
  personErased,
  getConnection,
  getServiceWindow,
  type Connection,
  type ServiceWindow,
  type PersonErased,
  type BookEvent,
  type DataEvent,
  type HistoryRetained,
} from "../../src/index.js";
import type { PostgresStore } from "../../src/postgres/index.js";

describe("the book's API", () => {
  it("the reducer takes and returns books", () => {
    expectTypeOf(createContactBook).returns.toEqualTypeOf<ContactBook>();
    expectTypeOf(applyEvent).parameters.toEqualTypeOf<[ContactBook, BookEvent]>();
    expectTypeOf(applyEvent).returns.toEqualTypeOf<ContactBook>();
    expectTypeOf(applyEvents).parameter(1).toEqualTypeOf<Iterable<BookEvent>>();
    expectTypeOf<CoexistenceEvent>().toMatchTypeOf<BookEvent>();
    expectTypeOf(historyRetained).returns.toEqualTypeOf<HistoryRetained>();
    expectTypeOf<DataEvent["type"]>().toEqualTypeOf<"HistoryRetained" | "PersonErased">();
    expectTypeOf(personErased).returns.toEqualTypeOf<PersonErased>();
    expectTypeOf(mergeBooks).returns.toEqualTypeOf<ContactBook>();
  });

  it("queries return plain, precise objects", () => {
    const book = createContactBook();
    expectTypeOf(getContact(book, "1", "2")).toEqualTypeOf<Contact | undefined>();
    expectTypeOf<Contact["updatedAt"]>().toEqualTypeOf<number>();
    expectTypeOf<Contact["phoneNumber"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf(listContacts(book, "1")).toEqualTypeOf<ContactEntry[]>();
    expectTypeOf(listContacts(book, "1", { after: "p:1", limit: 10 })).toEqualTypeOf<ContactEntry[]>();
    expectTypeOf<ContactEntry["cursor"]>().toEqualTypeOf<string>();
    expectTypeOf(listConversations).parameter(2).toEqualTypeOf<ConversationPageOptions | undefined>();
    expectTypeOf(getConversation(book, "1", "2")).toEqualTypeOf<Conversation | undefined>();
    expectTypeOf<Conversation["lastDirection"]>().toEqualTypeOf<"inbound" | "outbound">();
    expectTypeOf(listConversations(book, "1")).toEqualTypeOf<ConversationEntry[]>();
    expectTypeOf<ConversationEntry["customer"]>().toEqualTypeOf<{ readonly phoneNumber: string } | { readonly userId: string }>();
    expectTypeOf(getHistorySync(book, "1")).toEqualTypeOf<HistorySync>();
    expectTypeOf<HistorySync["status"]>().toEqualTypeOf<"none" | "syncing" | "complete" | "declined">();
    expectTypeOf(listBusinesses(book)).toEqualTypeOf<string[]>();
    expectTypeOf(getConnection(book, "1")).toEqualTypeOf<Connection>();
    expectTypeOf<Connection["state"]>().toEqualTypeOf<"connected" | "disconnected" | "unknown">();
    expectTypeOf<PostgresStore["getConnection"]>().returns.toEqualTypeOf<Promise<Connection>>();
    expectTypeOf(getServiceWindow(book, "1", "2", new Date())).toEqualTypeOf<ServiceWindow>();
  });

  it("the application's own events narrow on type beside the webhooks'", () => {
    const event = {} as BookEvent;
    if (event.type === "PersonErased") expectTypeOf(event).toEqualTypeOf<PersonErased>();
    if (event.type === "HistoryRetained") expectTypeOf(event.before).toEqualTypeOf<number>();
    expectTypeOf<PostgresStore["apply"]>().parameter(0).toEqualTypeOf<Iterable<BookEvent>>();
  });

  it("a person's identity: every phone number, user id and parent user id, on contacts and conversations too", () => {
    const book = createContactBook();
    expectTypeOf(getIdentity(book, "1", "2")).toEqualTypeOf<Identity | undefined>();
    expectTypeOf<Identity>().toEqualTypeOf<{ readonly phoneNumbers: string[]; readonly userIds: string[]; readonly parentUserIds: string[] }>();
    expectTypeOf<Contact["identity"]>().toEqualTypeOf<Identity>();
    expectTypeOf<Conversation["identity"]>().toEqualTypeOf<Identity>();
    expectTypeOf<Conversation["phoneNumber"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Conversation["userId"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ConversationEntry["identity"]>().toEqualTypeOf<Identity>();
  });

  it("the timeline: a page of entries, each narrowing its message on type", () => {
    const book = createContactBook();
    expectTypeOf(listMessages).parameters.toEqualTypeOf<[ContactBook, string, string, ListMessagesOptions?]>();
    expectTypeOf(listMessages(book, "1", "2", { before: "wamid.1", limit: 20 })).toEqualTypeOf<TimelineEntry[]>();
    expectTypeOf<ListMessagesOptions>().toEqualTypeOf<{ readonly before?: string | undefined; readonly limit?: number | undefined }>();
    expectTypeOf<TimelineEntry["origin"]>().toEqualTypeOf<MessageOrigin>();
    expectTypeOf<MessageOrigin>().toEqualTypeOf<"history" | "echo" | "received" | "api">();
    expectTypeOf<TimelineEntry["status"]>().toEqualTypeOf<TimelineStatus | undefined>();
    expectTypeOf<TimelineStatus>().toEqualTypeOf<"sent" | "delivered" | "read" | "played" | "failed">();
    expectTypeOf<TimelineEntry["message"]>().toEqualTypeOf<Message | undefined>();
    expectTypeOf<TimelineEntry["direction"]>().toEqualTypeOf<Direction>();
    expectTypeOf<TimelineEntry["reactions"]>().toEqualTypeOf<TimelineReaction[]>();
    expectTypeOf<TimelineEntry["errors"]>().toEqualTypeOf<ApiError[] | undefined>();
    expectTypeOf<TimelineReaction>().toEqualTypeOf<{ readonly emoji: string; readonly from: string; readonly timestamp: number }>();
    const [entry] = listMessages(book, "1", "2");
    if (entry?.message?.type === "text") expectTypeOf(entry.message.text.body).toEqualTypeOf<string>();
    expectTypeOf<PostgresStore["listMessages"]>().returns.toEqualTypeOf<Promise<TimelineEntry[]>>();
  });

  it("serialisation round-trips through JSON-safe data", () => {
    expectTypeOf(serializeBook).returns.toEqualTypeOf<SerializedBook>();
    expectTypeOf(deserializeBook).parameter(0).toEqualTypeOf<unknown>();
    expectTypeOf(deserializeBook).returns.toEqualTypeOf<ContactBook>();
  });
});
