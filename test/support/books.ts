import { expect } from "vitest";
import { applyEvent, createContactBook, serializeBook, type BookEvent, type ContactBook } from "../../src/index.js";
import { bookAnswers } from "./event-streams.js";

/** The events applied one `applyEvent` at a time, from `book` (an empty book by default). */
export const fold = (events: readonly BookEvent[], book: ContactBook = createContactBook()): ContactBook => events.reduce(applyEvent, book);

/** Equal through the queries and through serialisation. */
export function expectSameBook(actual: ContactBook, expected: ContactBook): void {
  expect(bookAnswers(actual)).toEqual(bookAnswers(expected));
  expect(JSON.stringify(serializeBook(actual))).toBe(JSON.stringify(serializeBook(expected)));
}
