import type { CoexistenceEvent } from "../../src/index.js";

/**
 * The events of a business grown to `people` customers with `messagesEach` messages each: every
 * customer in the address book (phone number and BSUID), with a history thread of alternating
 * inbound and outbound messages. Batched as a provider would apply them.
 */
export function grownBusiness(phoneNumberId: string, people: number, messagesEach: number, batchSize = 200): CoexistenceEvent[][] {
  const batches: CoexistenceEvent[][] = [];
  let batch: CoexistenceEvent[] = [];
  for (let person = 0; person < people; person++) {
    const phone = `4915${String(person).padStart(9, "0")}`;
    const userId = `DE.${String(person).padStart(16, "0")}`;
    batch.push({
      type: "ContactAdded",
      source: "meta",
      phoneNumberId,
      contact: { phoneNumber: phone, userId, fullName: `Customer ${person}` },
      timestamp: 1_700_000_000 + person,
    });
    const messages = Array.from({ length: messagesEach }, (_, index) => ({
      id: `wamid.${phoneNumberId}.${person}.${index}`,
      from: index % 2 === 0 ? phone : "15550783881",
      timestamp: 1_700_000_000 + ((person * 7919 + index * 13) % 1_000_000),
      type: "text" as const,
      text: { body: `message ${index} with customer ${person}` },
      direction: index % 2 === 0 ? ("inbound" as const) : ("outbound" as const),
    }));
    batch.push({
      type: "HistoryChunk",
      source: "meta",
      phoneNumberId,
      phase: 0,
      chunkOrder: person + 1,
      progress: Math.floor((100 * (person + 1)) / people),
      threads: [{ id: phone, userId, messages }],
    });
    if (batch.length >= batchSize) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
