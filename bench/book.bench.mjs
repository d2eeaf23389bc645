// The contact book's cost, as ratios to a plain mutable Map doing the same work in the same run.
import { applyEvent, applyEvents, createContactBook, parseWebhook, personErased } from "../dist/index.js";
import { historyBody, PHONE_NUMBER_ID } from "./payloads.mjs";
import { bestOf, collectGarbage, compare, formatTime, freshRuns, line, ratios } from "./measure.mjs";

const BUSINESS = { phoneNumberId: "106540352242922", displayPhoneNumber: "15550783881" };

/** Contact events as the parser makes them: `count` events over `count / 2` contacts, some removals. */
export function contactEvents(count, offset = 0) {
  const events = [];
  let seed = 12345 + offset;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
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
  for (const key of ["phoneNumber", "userId", "parentUserId", "fullName", "firstName", "username", "countryCode"])
    if (contact[key] !== undefined) out[key] = contact[key];
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
// What a user would write by hand to keep timelines from history: each message by id (the better
// content wins: media over a placeholder), its status, and each conversation's ids in a plain array.
const STATUS_RANK = { sent: 1, delivered: 2, read: 3, played: 4, failed: 5 };
function mapApplyHistory(state, event) {
  let business = state.get(event.phoneNumberId);
  if (business === undefined)
    state.set(
      event.phoneNumberId,
      (business = { messages: new Map(), reactions: new Map(), conversations: new Map(), history: new Set(), chunks: new Set(), progress: 0 }),
    );
  business.chunks.add(`${event.phase}:${event.chunkOrder}`);
  business.progress = Math.max(business.progress, event.progress);
  for (const thread of event.threads) {
    const conversationKey = thread.id !== undefined ? `p:${thread.id}` : `u:${thread.userId}`;
    let conversation = business.conversations.get(conversationKey);
    if (conversation === undefined) business.conversations.set(conversationKey, (conversation = []));
    for (const message of thread.messages) {
      business.history.add(message.id);
      if (message.type === "reaction") {
        business.reactions.set(`${message.reaction.messageId}\n${message.from}`, { emoji: message.reaction.emoji, timestamp: message.timestamp });
        continue;
      }
      const status = message.status === "error" ? "failed" : STATUS_RANK[message.status] === undefined ? undefined : message.status;
      const current = business.messages.get(message.id);
      if (current === undefined) {
        business.messages.set(message.id, {
          key: conversationKey,
          timestamp: message.timestamp,
          direction: message.direction,
          origin: "history",
          message,
          status,
        });
        conversation.push(message.id);
      } else {
        const placeholder = current.message.type === "media_placeholder" && message.type !== "media_placeholder";
        const advanced = (STATUS_RANK[status] ?? 0) > (STATUS_RANK[current.status] ?? 0);
        if (placeholder || advanced)
          business.messages.set(message.id, { ...current, message: placeholder ? message : current.message, status: advanced ? status : current.status });
      }
    }
  }
}

/**
 * Address-book events for `people` people, each naming a phone number, a BSUID and a parent BSUID
 * (so every event links three identifiers), or, with `linked` false, the same events with the
 * phone number alone.
 */
export function personEvents(people, linked, offset = 0) {
  const events = [];
  for (let index = 0; index < people; index++) {
    const person = index + offset;
    const contact = linked
      ? {
          phoneNumber: String(15550000000 + person),
          userId: `US.${1000000000 + person}`,
          parentUserId: `US.ENT.${1000000000 + person}`,
          fullName: `Person ${person}`,
        }
      : { phoneNumber: String(15550000000 + person), fullName: `Person ${person}` };
    events.push({ type: "ContactAdded", source: "meta", wabaId: "102290129340398", ...BUSINESS, contact, timestamp: 1739000000 + (person % 1000) });
  }
  return events;
}

/** Two people of `2 * size` identifiers each (phone numbers chained by shared BSUIDs), and the event that joins them. */
function twoLargePeople(size) {
  const events = [];
  const phone = (side, index) => String(10000000000 + side * 1e9 + index);
  const user = (side, index) => `XX.${side}.${index}`;
  const added = (contact, timestamp) => ({ type: "ContactAdded", source: "meta", wabaId: "1", ...BUSINESS, contact, timestamp });
  for (const side of [0, 1]) {
    for (let index = 0; index < size; index++) {
      events.push(added({ phoneNumber: phone(side, index), userId: user(side, index) }, 1));
      if (index > 0) events.push(added({ phoneNumber: phone(side, index), userId: user(side, index - 1) }, 1));
    }
  }
  return { events, join: added({ phoneNumber: phone(0, 0), userId: user(1, 0) }, 2) };
}

export function runIdentityBench() {
  const results = [];
  const linked = personEvents(100_000, true);
  const plain = personEvents(100_000, false);
  const cost = compare(
    {
      linked: () => applyEvents(createContactBook(), linked),
      plain: () => applyEvents(createContactBook(), plain),
    },
    1,
    7,
  );
  const ratio = cost.ratio("linked", "plain");
  results.push(
    line(
      "identity: 100,000 people, phone + BSUID + parent each",
      `${formatTime(cost.linked)} vs phone alone ${formatTime(cost.plain)}`,
      `${ratio.toFixed(2)}x`,
      undefined,
      true,
    ),
  );

  // Growth: the per-event cost of linking 2,000 more people into a book of 1,000 and of 100,000 people.
  const perEvent = (size) => {
    const start = applyEvents(createContactBook(), personEvents(size, true));
    const extra = personEvents(2000, true, size * 10);
    let best = Infinity;
    for (let round = 0; round < 9; round++) {
      const begin = performance.now();
      let book = start;
      for (const event of extra) book = applyEvent(book, event);
      best = Math.min(best, performance.now() - begin);
    }
    return best / extra.length;
  };
  perEvent(1000);
  const small = perEvent(1000);
  const large = perEvent(100_000);
  const growth = large / small;
  results.push(
    line("identity: per-event cost growth, 1k → 100k people", `${formatTime(small)} → ${formatTime(large)}`, `${growth.toFixed(2)}x`, "<= 3x", growth <= 3),
  );

  // Joining two people of 10,000 identifiers each re-points the smaller one's members (union by
  // size), so each identifier is re-pointed at most log2(n) times over any sequence of events.
  const { events, join } = twoLargePeople(5000);
  const before = applyEvents(createContactBook(), events);
  const joinCost = compare({ join: () => applyEvent(before, join), one: () => applyEvent(before, personEvents(1, true, 123456789)[0]) }, 3, 9);
  results.push(
    line(
      "identity: one event joining two 10,000-identifier people",
      `${formatTime(joinCost.join)} vs an ordinary event ${formatTime(joinCost.one)}`,
      `${joinCost.ratio("join", "one").toFixed(0)}x`,
      undefined,
      true,
    ),
  );
  return results;
}

/** Book runs for the two contact goals, each in a fresh process (bench/book-run.mjs). */
const RUNS = 3;
const RUN = new URL("./book-run.mjs", import.meta.url);

/**
 * One run of the two contact cases (what bench/book-run.mjs prints): 100,000 events through one
 * `applyEvent` each, and through one `applyEvents`, each against the Map doing the same work; the
 * times are the best of 7 rounds, each ratio the median of the rounds' ratios.
 */
export function measureContactCases() {
  const events = contactEvents(100_000);
  const map = () => {
    const state = new Map();
    for (const event of events) mapApplyContact(state, event);
  };
  const oneByOne = compare(
    {
      book: () => {
        let book = createContactBook();
        for (const event of events) book = applyEvent(book, event);
      },
      map,
    },
    1,
    7,
  );
  const batched = compare({ book: () => applyEvents(createContactBook(), events), map }, 1, 7);
  const summary = (times) => ({ book: times.book, map: times.map, ratio: times.ratio("book", "map") });
  return { oneByOne: summary(oneByOne), batched: summary(batched) };
}

export function runBookBench() {
  const results = [];
  // Judged on the best of several runs in fresh processes, as the parse goals are (the speed issue's
  // "min of several runs"), and every run's ratio is printed: within one process the Map baseline's
  // time moved by a fifth from run to run (131-156 ms), and the one-by-one ratio with it (1.72-2.2x).
  const runs = freshRuns(RUN, RUNS);
  const cases = [
    { pick: (run) => run.oneByOne, name: "book: 100,000 contact events, one applyEvent each", goal: 2 },
    { pick: (run) => run.batched, name: "book: the same events through one applyEvents", goal: 1.5 },
  ];
  for (const { pick, name, goal } of cases) {
    const best = pick(bestOf(runs, (run) => pick(run).ratio));
    results.push(line(name, `${formatTime(best.book)} vs Map ${formatTime(best.map)}`, `${best.ratio.toFixed(2)}x`, `<= ${goal}x`, best.ratio <= goal));
    results.push(line(`  each of ${RUNS} runs (own process, median of 7 rounds)`, ratios(runs.map((run) => pick(run).ratio)), "", undefined, true));
  }

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
  const historyRatio = history.ratio("book", "map");
  results.push(
    line(
      "book: one 12,000-message history chunk, with timelines",
      `${formatTime(history.book)} vs Map ${formatTime(history.map)}`,
      `${historyRatio.toFixed(2)}x`,
      undefined,
      true,
    ),
  );
  return results;
}

/** Retained heap of what `build` returns (after full collections), in bytes; `build` must drop everything else. */
function retained(build) {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  let kept = build();
  collectGarbage();
  const bytes = process.memoryUsage().heapUsed - before;
  kept = undefined;
  return bytes + (kept === undefined ? 0 : 0);
}

/**
 * Memory of a long history: 100,000 messages (about 180 days of a busy number) held in the book,
 * per message, against the UTF-8 size of the same messages as JSON and against a Map holding the
 * same parsed messages.
 */
export function runTimelineMemoryBench() {
  // Ten webhooks of 10,000 messages each (one body may not exceed maxBytes), 1,000 customers.
  const bodies = Array.from({ length: 10 }, (_, index) => historyBody(10_000, 100, index * 100));
  const parseAll = () => bodies.flatMap((body) => parseWebhook(body));
  let jsonBytes = 0;
  let count = 0;
  for (const entry of bodies.flatMap((body) => JSON.parse(body).entry)) {
    for (const change of entry.changes) {
      for (const item of change.value.history) {
        for (const thread of item.threads) {
          for (const message of thread.messages) {
            jsonBytes += Buffer.byteLength(JSON.stringify(message));
            count++;
          }
        }
      }
    }
  }
  // Each build parses its own copy, so what it keeps is only what the structure itself retains.
  const bookBytes = retained(() => applyEvents(createContactBook(), parseAll()));
  const mapBytes = retained(() => {
    const state = new Map();
    for (const event of parseAll()) mapApplyHistory(state, event);
    return state;
  });
  const perMessage = bookBytes / count;
  const json = jsonBytes / count;
  const results = [];
  results.push(
    line(
      "book: memory per history message, 100,000 messages",
      `${perMessage.toFixed(0)} B vs its JSON ${json.toFixed(0)} B`,
      `${(perMessage / json).toFixed(2)}x`,
      "< 2x",
      perMessage / json < 2,
    ),
  );
  results.push(
    line(
      "  a Map holding the same parsed messages",
      `${(mapBytes / count).toFixed(0)} B`,
      `${(bookBytes / mapBytes).toFixed(2)}x`,
      "<= 1.5x",
      bookBytes / mapBytes <= 1.5,
    ),
  );

  // Memory after erasing half the customers: against the book of the other half alone (what the rest needs).
  const keep = bodies.slice(5);
  const erasures = Array.from({ length: 500 }, (_, thread) => personErased(PHONE_NUMBER_ID, String(16505550000 + thread * 7), 2_000_000_000));
  const erasedBytes = retained(() => applyEvents(applyEvents(createContactBook(), parseAll()), erasures));
  const restBytes = retained(() =>
    applyEvents(
      createContactBook(),
      keep.flatMap((body) => parseWebhook(body)),
    ),
  );
  results.push(
    line(
      "book: memory after erasing 500 of 1,000 customers",
      `${(erasedBytes / 1e6).toFixed(1)} MB vs a book of the other 500 ${(restBytes / 1e6).toFixed(1)} MB`,
      `${(erasedBytes / restBytes).toFixed(2)}x`,
      "<= 1.5x",
      erasedBytes / restBytes <= 1.5,
    ),
  );

  // Memory per contact: 100,000 address-book events over 50,000 contacts, against the Map doing the same work.
  const events = contactEvents(100_000);
  const contacts = new Set(events.map((event) => event.contact.phoneNumber)).size;
  const bookContacts = retained(() => applyEvents(createContactBook(), contactEvents(100_000)));
  const mapContacts = retained(() => {
    const state = new Map();
    for (const event of contactEvents(100_000)) mapApplyContact(state, event);
    return state;
  });
  results.push(
    line(
      `book: memory per contact, ${contacts.toLocaleString("en")} contacts`,
      `${(bookContacts / contacts).toFixed(0)} B vs Map ${(mapContacts / contacts).toFixed(0)} B`,
      `${(bookContacts / mapContacts).toFixed(2)}x`,
      undefined,
      true,
    ),
  );
  return results;
}
