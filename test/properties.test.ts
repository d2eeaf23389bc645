import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseWebhook, safeParseChange, safeParseWebhook, WebhookParseError } from "../src/index.js";
import { validBodies } from "./support/fixtures.js";
import { mutatedArbitrary } from "./support/mutate.js";

function neverThrows(body: unknown): void {
  const result = safeParseWebhook(body as string);
  expect(Array.isArray(result.events)).toBe(true);
  if (!result.success) {
    expect(result.issues.length).toBeGreaterThan(0);
    for (const issue of result.issues) {
      expect(typeof issue.path).toBe("string");
      expect(issue.message.length).toBeGreaterThan(0);
      // The catch-all in safeParseWebhook is for bugs: an input that reaches it is a parser bug.
      expect(issue.message).not.toMatch(/could not be parsed: /);
    }
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe("safeParseWebhook never throws", () => {
  it("on arbitrary JSON values", () => {
    fc.assert(fc.property(fc.jsonValue(), neverThrows), { numRuns: 500 });
  });

  it("on arbitrary JSON text and arbitrary strings", () => {
    fc.assert(fc.property(fc.oneof(fc.json(), fc.string(), fc.string({ unit: "binary" })), neverThrows), { numRuns: 500 });
  });

  it("on arbitrary bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), neverThrows), { numRuns: 300 });
  });

  it("on arbitrary values inside a Meta envelope", () => {
    const envelope = fc.record({
      object: fc.constant("whatsapp_business_account"),
      entry: fc.array(
        fc.record({
          id: fc.oneof(fc.constant("102290129340398"), fc.jsonValue()),
          changes: fc.array(
            fc.record({
              field: fc.constantFrom("smb_app_state_sync", "smb_message_echoes", "history", "messages", "account_update"),
              value: fc.jsonValue(),
            }),
          ),
        }),
      ),
    });
    fc.assert(fc.property(envelope, neverThrows), { numRuns: 500 });
  });

  for (const fixture of validBodies()) {
    it(`on ${fixture.name} with a field deleted, retyped, duplicated or made hostile`, () => {
      const document = JSON.parse(fixture.text);
      fc.assert(
        fc.property(mutatedArbitrary(document), (body) => {
          neverThrows(body);
          neverThrows(JSON.stringify(body));
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe("parseWebhook and safeParseWebhook agree", () => {
  it("parseWebhook returns the events exactly when safeParseWebhook succeeds, else throws its issues", () => {
    const bodies = fc.oneof(...validBodies().map((fixture) => mutatedArbitrary(JSON.parse(fixture.text))));
    fc.assert(
      fc.property(bodies, (body) => {
        const safe = safeParseWebhook(body as object);
        if (safe.success) expect(parseWebhook(body as object)).toEqual(safe.events);
        else {
          expect(() => parseWebhook(body as object)).toThrow(WebhookParseError);
          try {
            parseWebhook(body as object);
          } catch (error) {
            expect((error as WebhookParseError).issues).toEqual(safe.issues);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("one bad change never hides the good ones", () => {
  it("damaging one change of a multi-change body keeps every event of the others", () => {
    const document = JSON.parse(validBodies().find((fixture) => fixture.name === "meta/mixed-batch.json")!.text);
    const targets = document.entry.flatMap((entry: { changes: unknown[] }, entryIndex: number) =>
      entry.changes.map((_, changeIndex) => [entryIndex, changeIndex] as const),
    );
    fc.assert(
      fc.property(fc.constantFrom(...targets), fc.jsonValue(), fc.nat(), ([entryIndex, changeIndex], damage, seed) => {
        const without = structuredClone(document);
        without.entry[entryIndex].changes.splice(changeIndex, 1);
        const expected = parseWebhook(without);
        const damaged = structuredClone(document);
        const value = damaged.entry[entryIndex].changes[changeIndex].value;
        const keys = Object.keys(value);
        value[keys[seed % keys.length]!] = damage;
        const { events } = safeParseWebhook(damaged);
        for (const event of expected) expect(events).toContainEqual(event);
      }),
      { numRuns: 300 },
    );
  });
});

describe("a body is read, never changed", () => {
  it("parsed JSON the caller passes is left as it was, and gives the events and issues its text gives", () => {
    // The parser lets go of history messages as it reads them, but only in a tree it made itself.
    const bodies = fc.oneof(...validBodies().map((fixture) => mutatedArbitrary(JSON.parse(fixture.text))));
    fc.assert(
      fc.property(bodies, (body) => {
        const text = JSON.stringify(body);
        const before = structuredClone(body);
        const fromObject = safeParseWebhook(body as object);
        expect(body).toEqual(before);
        expect(safeParseWebhook(text)).toEqual(fromObject);
      }),
      { numRuns: 300 },
    );
  });

  it("a change the caller passes to safeParseChange is left as it was", () => {
    const history = validBodies()
      .map((fixture) => JSON.parse(fixture.text) as { entry?: { changes?: { field: string; value: unknown }[] }[] })
      .flatMap((body) => body.entry?.flatMap((entry) => entry.changes ?? []) ?? [])
      .filter((change) => change.field === "history");
    expect(history.length).toBeGreaterThan(0);
    for (const change of history) {
      const before = structuredClone(change);
      expect(safeParseChange(change).events.length).toBeGreaterThan(0);
      expect(change).toEqual(before);
    }
  });
});
