import { describe, expect, it } from "vitest";
import { parseChange, parseWebhook, safeParseWebhook } from "../src/index.js";
import { fixtureText, validBodies } from "./support/fixtures.js";

describe("every valid fixture parses to its reviewed events", () => {
  for (const fixture of validBodies()) {
    it(fixture.name, async () => {
      const result = safeParseWebhook(fixture.text);
      expect(result).toMatchObject({ success: true });
      await expect(`${JSON.stringify(result.events, null, 2)}\n`).toMatchFileSnapshot(`./__snapshots__/events/${fixture.name}`);
    });
  }
});

describe("every body form gives the same events", () => {
  for (const fixture of validBodies()) {
    it(fixture.name, () => {
      const expected = parseWebhook(fixture.text);
      const bytes = new TextEncoder().encode(fixture.text);
      expect(parseWebhook(bytes)).toEqual(expected);
      expect(parseWebhook(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))).toEqual(expected);
      expect(parseWebhook(Buffer.from(fixture.text))).toEqual(expected);
      expect(parseWebhook(JSON.parse(fixture.text))).toEqual(expected);
      expect(parseWebhook(`\uFEFF${fixture.text}`)).toEqual(expected);
    });
  }
});

describe("a bare change value (as Meta's docs show it)", () => {
  it("parses with parseChange and the WABA id given", async () => {
    const change = JSON.parse(fixtureText("bare/history-declined-value.json"));
    const events = parseChange(change, { wabaId: "102290129340398" });
    await expect(`${JSON.stringify(events, null, 2)}\n`).toMatchFileSnapshot("./__snapshots__/events/bare/history-declined-value.json");
    expect(events).toEqual(parseWebhook(fixtureText("meta/history-declined.json")));
  });
});
