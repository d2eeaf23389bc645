/**
 * The docs follow the registry of webhook fields: each event type a field makes has its section in
 * docs/events.md, whose heading names the field (for a type two fields make, its home field).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fieldOfEvent, WEBHOOK_FIELDS, type CoexistenceEvent } from "../src/index.js";

const events = readFileSync(new URL("../docs/events.md", import.meta.url), "utf8");
const headings = events.split("\n").filter((line) => line.startsWith("## "));

describe("the registry of webhook fields", () => {
  for (const [field, { events: types }] of Object.entries(WEBHOOK_FIELDS)) {
    it(`${field}: each of its event types has a section whose heading names the field`, () => {
      for (const type of types) {
        const heading = headings.find((line) => line.startsWith(`## ${type} `));
        expect(heading, `a "## ${type}" section in docs/events.md`).toBeDefined();
        const home = fieldOfEvent({ type } as CoexistenceEvent);
        expect(heading).toContain(`\`${home}\``);
      }
    });
  }

  it("gives each event type its home field, and unhandled changes their own", () => {
    expect(fieldOfEvent({ type: "MessageEchoed" } as CoexistenceEvent)).toBe("smb_message_echoes");
    expect(fieldOfEvent({ type: "MessageStatusUpdated" } as CoexistenceEvent)).toBe("messages");
    expect(fieldOfEvent({ type: "UnhandledChange", field: "calls" } as CoexistenceEvent)).toBe("calls");
  });
});
