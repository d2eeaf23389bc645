/** The book held to each rule's fixed example (see test/support/rule-pins.ts), in both orders, which give one book. */
import { describe, it } from "vitest";
import { applyEvents, createContactBook } from "../../src/index.js";
import { expectSameBook } from "../support/books.js";
import { bookAsStore, RULE_PINS } from "../support/rule-pins.js";

describe("rules pinned by fixed examples", () => {
  for (const pin of RULE_PINS) {
    it(pin.rule, async () => {
      const forward = applyEvents(createContactBook(), [...pin.first, ...pin.second]);
      const backward = applyEvents(createContactBook(), [...pin.second, ...pin.first]);
      await pin.check(bookAsStore(forward));
      await pin.check(bookAsStore(backward));
      expectSameBook(backward, forward);
    });
  }
});
