import { it } from "vitest";
import { applyEvents, createContactBook, getConversation, parseWebhook } from "../../src/index.js";
import { fixturesIn } from "../support/fixtures.js";
it("debug", () => {
  const all = fixturesIn("meta", "360dialog").flatMap((f) => parseWebhook(f.text));
  console.log(JSON.stringify(getConversation(applyEvents(createContactBook(), all), "106540352242922", "16505551234")));
});
