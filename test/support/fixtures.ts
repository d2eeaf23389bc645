import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The folder that holds the fixture corpus. */
export const FIXTURES_DIR = fileURLToPath(new URL("../../fixtures/", import.meta.url));

/** A fixture: its path relative to `fixtures/` and its raw text. */
export interface Fixture {
  readonly name: string;
  readonly text: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith(".json") ? [join(dir, entry.name)] : []))
    .sort();
}

/** Every fixture in a sub-folder of `fixtures/` (`meta`, `360dialog`, `bare`, `invalid`). */
export function fixturesIn(...folders: string[]): Fixture[] {
  return folders.flatMap((folder) =>
    walk(join(FIXTURES_DIR, folder)).map((path) => ({ name: relative(FIXTURES_DIR, path), text: readFileSync(path, "utf8") })),
  );
}

/** One fixture's raw text, by its path relative to `fixtures/`. */
export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES_DIR, name), "utf8");
}

/** The valid webhook bodies: both envelopes. */
export const validBodies = (): Fixture[] => fixturesIn("meta", "360dialog");

/**
 * A webhook body in Meta's envelope: one entry (the WABA `entryId`) holding these changes, as a
 * test would post it.
 */
export function metaBody(changes: readonly { field: string; value: unknown }[], entryId = "102290129340398"): string {
  return JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: entryId, changes }] });
}

/** A body adding one address-book contact, `Customer <phone>`, to the business of the corpus. */
export function contactBody(phone: string): string {
  const value = {
    metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
    state_sync: [{ type: "contact", contact: { full_name: `Customer ${phone}`, phone_number: phone }, action: "add", metadata: { timestamp: 1739321024 } }],
  };
  return metaBody([{ field: "smb_app_state_sync", value }], "1");
}
