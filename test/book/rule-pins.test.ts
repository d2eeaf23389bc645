/** The book held to each rule's fixed example (see test/support/rule-pins.ts), in both orders. */
import { describe, it } from "vitest";
import { applyEvents, createContactBook } from "../../src/index.js";
import { bookAsStore, RULE_PINS } from "../support/rule-pins.js";

describe("rules pinned by fixed examples", () => {
  for (const pin of RULE_PINS) {
    it(pin.rule, async () => {
      await pin.check(bookAsStore(applyEvents(createContactBook(), [...pin.first, ...pin.second])));
      await pin.check(bookAsStore(applyEvents(createContactBook(), [...pin.second, ...pin.first])));
    });
  }
});
