// The contact book's cost, as ratios to a plain mutable Map doing the same work in the same run.
import { applyEvent, applyEvents, createContactBook, parseWebhook } from "../dist/index.js";
import { historyBody } from "./payloads.mjs";
import { compare, formatTime, line } from "./measure.mjs";

const BUSINESS = { phoneNumberId: "106540352242922", displayPhoneNumber: "15550783881" };

/** Contact events as the parser makes them: `count` events over `count / 2` contacts, some removals. */
export function contactEvents(count, offset = 0) {
  const events = [];
  let seed = 12345 + offset;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let index = 0; index < count; index++) {
    const contact = Math.floor(random() * (count / 2)) + offset;
    const phoneNumber = String(15550000000 + contact);
    const remove = random() < 0.1;
    events.push({
      type: remove ? "ContactRemoved" : "ContactAdded",
      source: "meta",
      wabaId: "102290129340398",
      ...BUSINESS,
      contact: remove ? { phoneNumber } : { phoneNumber, fullName: `Contact ${contact}`, firstName: "Contact" },
      timestamp: 1739000000 + Math.floor(random() * 100000),
    });
  }
  return events;
}

// The same last-writer-wins work on mutable Maps: identity key, fields in a fixed order, the same tie rules.
function fields(contact) {
  const out = {};
  for (const key of ["phoneNumber", "userId", "parentUserId", "fullName", "firstName", "username", "countryCode"]) if (contact[key] !== undefined) out[key] = contact[key];
  return out;
}
function wins(candidate, current) {
  if (candidate.timestamp !== current.timestamp) return candidate.timestamp > current.timestamp;
  if (candidate.kind !== current.kind) return candidate.kind === "remove";
  return JSON.stringify(candidate.contact) > JSON.stringify(current.contact);
}
function mapApplyContact(state, event) {
  let contacts = state.get(event.phoneNumberId);
  if (contacts === undefined) state.set(event.phoneNumberId, (contacts = new Map()));
  const key = event.contact.phoneNumber !== undefined ? `p:${event.contact.phoneNumber}` : `u:${event.contact.userId}`;
  const record = { kind: event.type === "ContactAdded" ? "add" : "remove", timestamp: event.timestamp, contact: fields(event.contact) };
  const current = contacts.get(key);
  if (current === undefined || wins(record, current)) contacts.set(key, record);
}
function mapApplyHistory(state, event) {
  let business = state.get(event.phoneNumberId);
  if (business === undefined) state.set(event.phoneNumberId, (business = { messages: new Map(), conversations: new Map(), history: new Set(), chunks: new Set(), progress: 0 }));
  business.chunks.add(`${event.phase}:${event.chunkOrder}`);
  business.progress = Math.max(business.progress, event.progress);
  for (const thread of event.threads) {
    const conversationKey = thread.id !== undefined ? `p:${thread.id}` : `u:${thread.userId}`;
    for (const message of thread.messages) {
      business.history.add(message.id);
      const key = `${conversationKey}\n${message.id}`;
      const current = business.messages.get(key);
      const record = current === undefined ? { timestamp: message.timestamp, direction: message.direction } : { timestamp: Math.max(current.timestamp, message.timestamp), direction: current.direction === "outbound" || message.direction === "outbound" ? "outbound" : "inbound" };
      business.messages.set(key, record);
      const conversation = business.conversations.get(conversationKey);
      const isLast = conversation === undefined || conversation.lastMessageId === message.id || record.timestamp > conversation.lastMessageAt || (record.timestamp === conversation.lastMessageAt && message.id > conversation.lastMessageId);
      business.conversations.set(conversationKey, {
        messageCount: (conversation?.messageCount ?? 0) + (current === undefined ? 1 : 0),
        lastMessageAt: isLast ? record.timestamp : conversation.lastMessageAt,
        lastMessageId: isLast ? message.id : conversation.lastMessageId,
        lastDirection: isLast ? record.direction : conversation.lastDirection,
      });
    }
  }
}

export function runBookBench() {
  const results = [];
  const events = contactEvents(100_000);
  const oneByOne = compare(
    {
      book: () => {
        let book = createContactBook();
        for (const event of events) book = applyEvent(book, event);
      },
      map: () => {
        const state = new Map();
        for (const event of events) mapApplyContact(state, event);
      },
    },
    1,
    7,
  );
  const ratio = oneByOne.book / oneByOne.map;
  results.push(line("book: 100,000 contact events, one applyEvent each", `${formatTime(oneByOne.book)} vs Map ${formatTime(oneByOne.map)}`, `${ratio.toFixed(2)}x`, "<= 3x", ratio <= 3));

  // Growth: the per-event cost in a 100,000-event book over the cost in a 1,000-event book, against the Map's own growth.
  const measure = (size) => {
    let bookBest = Infinity;
    let bestMap = Infinity;
    const base = contactEvents(size);
    const extra = contactEvents(2000, size * 10);
    const startBook = applyEvents(createContactBook(), base);
    for (let round = 0; round < 9; round++) {
      let start = performance.now();
      let book = startBook;
      for (const event of extra) book = applyEvent(book, event);
      bookBest = Math.min(bookBest, performance.now() - start);
      const state = new Map([[BUSINESS.phoneNumberId, new Map()]]);
      for (const event of base) mapApplyContact(state, event);
      start = performance.now();
      for (const event of extra) mapApplyContact(state, event);
      bestMap = Math.min(bestMap, performance.now() - start);
    }
    return { book: bookBest / extra.length, map: bestMap / extra.length };
  };
  measure(1000); // warm up
  const small = measure(1000);
  const large = measure(100_000);
  const bookGrowth = large.book / small.book;
  const mapGrowth = large.map / small.map;
  const growth = bookGrowth / mapGrowth;
  results.push(
    line(
      "book: per-event cost growth, 1,000 → 100,000 events",
      `book ${formatTime(small.book)} → ${formatTime(large.book)} (${bookGrowth.toFixed(2)}x), Map ${mapGrowth.toFixed(2)}x`,
      `${growth.toFixed(2)}x`,
      "<= 3x",
      growth <= 3,
    ),
  );

  const [chunk] = parseWebhook(historyBody());
  const history = compare(
    {
      book: () => applyEvent(createContactBook(), chunk),
      map: () => mapApplyHistory(new Map(), chunk),
    },
    3,
    9,
  );
  const historyRatio = history.book / history.map;
  results.push(line("book: one 12,000-message history chunk", `${formatTime(history.book)} vs Map ${formatTime(history.map)}`, `${historyRatio.toFixed(2)}x`, undefined, true));
  return results;
}
