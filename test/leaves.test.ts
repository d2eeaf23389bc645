/**
 * Nothing is silently lost: every leaf of every item a body carries comes out of the parser, as a
 * typed field, under an `extra`, inside an `UnhandledChange` or an unknown message's `raw`, or as an
 * issue at (or above) its path. Checked on the whole fixture corpus as it is, and with unknown keys
 * injected into every object of every item (a builder that sets `extra` of its own once lost a
 * field that way).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeParseWebhook, type SafeParseResult } from "../src/index.js";
import { joinPath } from "../src/core/path.js";
import { validBodies } from "./support/fixtures.js";

type Path = readonly (string | number)[];
interface Leaf {
  readonly path: Path;
  readonly value: string | number | boolean | null;
}

/** The constants of the envelope and of every value: what they say is in the event's type. */
const CONSTANT_KEYS = new Set(["object", "messaging_product", "field", "event"]);

/**
 * Leaves that the event's type itself represents: an address-book item's `type` ("contact") and
 * `action` make a `ContactAdded` or a `ContactRemoved`.
 */
const TYPE_LEAVES = /\.state_sync\[\d+\]\.(type|action)$/;

/** A display number that is a placeholder in a provider's docs ("DISPLAY_PHONE_NUMBER") means absent (spec). */
const PLACEHOLDER_LEAVES = /\.metadata\.display_phone_number$/;

/** The leaves below each change's value (Meta's `entry[].changes[].value`, 360dialog's `data`). */
function itemLeaves(body: unknown): Leaf[] {
  const leaves: Leaf[] = [];
  const walk = (value: unknown, path: Path): void => {
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...path, index]));
    else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) if (!CONSTANT_KEYS.has(key)) walk(item, [...path, key]);
    } else leaves.push({ path, value: value as Leaf["value"] });
  };
  const root = body as { entry?: { changes?: { value?: unknown }[] }[]; data?: unknown };
  root.entry?.forEach((entry, e) => entry.changes?.forEach((change, c) => walk(change.value, ["entry", e, "changes", c, "value"])));
  if (root.data !== undefined) walk(root.data, ["data"]);
  return leaves;
}

/** Every form a leaf may take in the events: as given, its digits (phone numbers), lowercased (statuses), seconds of milliseconds. */
function formsOf(value: Leaf["value"]): string[] {
  const text = String(value);
  const forms = [text, text.toLowerCase()];
  const digits = text.replace(/[^0-9]/g, "");
  if (/^\+?[0-9\s().-]+$/.test(text) && digits !== "") forms.push(String(Number(digits)), digits);
  if (typeof value === "number" && value > 1e11) forms.push(String(Math.floor(value / 1000)));
  if (typeof value === "string" && /^[0-9]{12,15}$/.test(value) && Number(value) > 1e11) forms.push(String(Math.floor(Number(value) / 1000)));
  return forms;
}

/** Every leaf value the events carry, as text. */
function outputForms(result: SafeParseResult): Set<string> {
  const out = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === "object" && value !== null) Object.values(value).forEach(walk);
    else {
      out.add(String(value));
      out.add(String(value).toLowerCase());
    }
  };
  walk(result.events);
  return out;
}

const pathText = (path: Path) => path.reduce<string>((text, key) => joinPath(text, key), "");

/** The leaves that came out nowhere: neither in an event nor under an issue's path. */
function lostLeaves(body: unknown): string[] {
  const result = safeParseWebhook(structuredClone(body) as object);
  const forms = outputForms(result);
  const issuePaths = result.success ? [] : result.issues.map((issue) => issue.path);
  const lost: string[] = [];
  for (const leaf of itemLeaves(body)) {
    if (leaf.value === "" || leaf.value === null) continue; // "" and null mean absent
    if (formsOf(leaf.value).some((form) => forms.has(form))) continue;
    const path = pathText(leaf.path);
    if (TYPE_LEAVES.test(path) || (PLACEHOLDER_LEAVES.test(path) && typeof leaf.value === "string" && !/[0-9]/.test(leaf.value))) continue;
    if (issuePaths.some((issue) => path === issue || path.startsWith(`${issue}.`) || path.startsWith(`${issue}[`))) continue;
    lost.push(`${path} = ${JSON.stringify(leaf.value)}`);
  }
  return lost;
}

/** The objects below each change's value, by path. */
function itemObjects(body: unknown): Path[] {
  const paths: Path[] = [];
  const walk = (value: unknown, path: Path): void => {
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...path, index]));
    else if (typeof value === "object" && value !== null) {
      paths.push(path);
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
    }
  };
  const root = body as { entry?: { changes?: { value?: unknown }[] }[]; data?: unknown };
  root.entry?.forEach((entry, e) => entry.changes?.forEach((change, c) => walk(change.value, ["entry", e, "changes", c, "value"])));
  if (root.data !== undefined) walk(root.data, ["data"]);
  return paths;
}

function at(document: unknown, path: Path): Record<string, unknown> {
  let here = document as Record<string | number, unknown>;
  for (const key of path) here = here[key] as Record<string | number, unknown>;
  return here as Record<string, unknown>;
}

/** A copy of a body with `key` added to every object of every item (each its own value). */
export function injectEverywhere(document: unknown, key: string): unknown {
  const body = structuredClone(document);
  itemObjects(body).forEach((path, index) => {
    const target = at(body, path);
    if (!Object.hasOwn(target, key)) target[key] = `injected-${index}`;
  });
  return body;
}

const documents = validBodies().map((fixture) => ({ name: fixture.name, document: JSON.parse(fixture.text) as unknown }));

describe("every leaf of every item comes out", () => {
  for (const { name, document } of documents) {
    it(`in ${name}`, () => {
      expect(lostLeaves(document)).toEqual([]);
    });
  }

  for (const { name, document } of documents) {
    it(`in ${name}, with an unknown key in every object of every item`, () => {
      expect(lostLeaves(injectEverywhere(document, "gs_id"))).toEqual([]);
    });
  }

  it("with unknown keys injected into any objects of any item, each injected value and every original leaf still come out", () => {
    const cases = fc
      .constantFrom(...documents.filter(({ document }) => itemObjects(document).length > 0))
      .chain(({ name, document }) =>
        fc.tuple(
          fc.constant(name),
          fc.constant(document),
          fc.subarray(itemObjects(document), { minLength: 1 }),
          fc.constantFrom("gs_id", "zz_new_field", "recipient", "extra", "raw", "type_info"),
          fc.oneof(fc.string({ minLength: 1 }), fc.integer(), fc.constant(true), fc.constant({ nested: "probe" })),
        ),
      );
    fc.assert(
      fc.property(cases, ([name, document, targets, key, value]) => {
        const body = structuredClone(document);
        // Each injected value is told apart by its place, so none can stand in for another.
        targets.forEach((path, index) => {
          const target = at(body, path);
          if (!Object.hasOwn(target, key)) target[key] = typeof value === "object" ? { nested: `probe-${index}` } : `${String(value)}~probe-${index}`;
        });
        expect(lostLeaves(body), name).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("a status with a key the library does not model keeps its unreadable recipient (a provider's masked number)", () => {
    const status = { id: "gBEGkZGRR", status: "enqueued", timestamp: 1710941393, recipient_id: "9191****873", gs_id: "8c1c3a3b-9f2e" };
    const body = { object: "whatsapp_business_account", entry: [{ id: "1", changes: [{ field: "messages", value: { statuses: [status] } }] }] };
    const [event] = safeParseWebhook(body).events;
    expect(event).toMatchObject({ type: "MessageStatusUpdated", extra: { recipient_id: "9191****873", gs_id: "8c1c3a3b-9f2e" } });
  });
});
