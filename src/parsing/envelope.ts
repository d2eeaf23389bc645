/**
 * The two envelopes a webhook body comes in, recognised automatically: Meta's
 * `{ object, entry: [{ id, changes: [{ field, value }] }] }` and 360dialog's partner
 * `{ id, event, data: { id, ...value } }`.
 *
 * @module
 */
import { parseChangeValue, type ChangeContext } from "./changes/index.js";
import { describe } from "../schemas/object-shape.js";
import { checkOwnKeys, isObject, type ParseRun } from "../core/parse-run.js";

const META_OBJECT = "whatsapp_business_account";

const NO_KEYS: readonly string[] = [];
/** 360dialog's delivery id sits inside `data`, beside the change's own keys. */
const DIALOG_ENVELOPE_KEYS: readonly string[] = ["id"];

/** Depth of a change's value from the body's root: body → entry → entry[i] → changes → changes[j] → value. */
const CHANGE_VALUE_DEPTH = 5;
/** Depth of 360dialog's change value from the body's root: body → data. */
const DIALOG_VALUE_DEPTH = 1;

/**
 * Reads a WABA id (`entry[].id`, 360dialog's `data.id`) found at `${parent}.id`. Real bodies omit
 * it; the events then come out without `wabaId`. A number is taken as its digits; anything else is
 * an issue, and the events still come out.
 */
function readWabaId(id: unknown, parent: string, run: ParseRun): string | undefined {
  if (typeof id === "string") return id === "" ? undefined : id;
  if (typeof id === "number" && Number.isSafeInteger(id) && id >= 0) return String(id);
  if (id !== undefined) run.issues.push({ path: `${parent}.id`, message: `Expected the WABA id as a string but received ${describe(id)}.` });
  return undefined;
}

/** How many entries and changes have their paths made once and kept (almost every body has one of each). */
const KEPT_PATHS = 8;
const entryPaths: string[] = [];
const changePaths: ChangePaths[][] = [];

/** A change's own path and its value's. */
interface ChangePaths {
  readonly change: string;
  readonly value: string;
}

/** `entry[i]`, made once for the first few entries. */
function entryPathOf(entryIndex: number): string {
  if (entryIndex >= KEPT_PATHS) return `entry[${entryIndex}]`;
  return (entryPaths[entryIndex] ??= `entry[${entryIndex}]`);
}

/** `entry[i].changes[j]` and `entry[i].changes[j].value`, made once for the first few of each. */
function changePathsOf(entryIndex: number, changeIndex: number): ChangePaths {
  if (entryIndex >= KEPT_PATHS || changeIndex >= KEPT_PATHS) return makeChangePaths(entryIndex, changeIndex);
  const kept = (changePaths[entryIndex] ??= []);
  return (kept[changeIndex] ??= makeChangePaths(entryIndex, changeIndex));
}

function makeChangePaths(entryIndex: number, changeIndex: number): ChangePaths {
  const change = `${entryPathOf(entryIndex)}.changes[${changeIndex}]`;
  return { change, value: `${change}.value` };
}

/**
 * Parses a whole body (already JSON, an object whose own keys were checked) in whichever envelope
 * it comes.
 */
export function parseEnvelope(body: Record<string, unknown>, run: ParseRun): void {
  if (body.object !== undefined || Array.isArray(body.entry)) parseMetaEnvelope(body, run);
  else if (body.event !== undefined || body.data !== undefined) parseDialogEnvelope(body, run);
  else {
    const keys = Object.keys(body).slice(0, 5).join(", ");
    run.issues.push({
      path: "",
      message: `Unknown webhook shape (keys: ${keys === "" ? "none" : keys}). Expected Meta's { object, entry } or 360dialog's { event, data }. If your framework already unwrapped the envelope, use parseChange({ field, value }).`,
    });
  }
}

/** Meta's envelope; a body without `object` whose `entry` is an array is read as one too. */
function parseMetaEnvelope(body: Record<string, unknown>, run: ParseRun): void {
  if (body.object !== undefined && body.object !== META_OBJECT) {
    run.issues.push({
      path: "object",
      message: `Expected "${META_OBJECT}" but received ${describe(body.object)}: this is not a WhatsApp Business webhook.`,
    });
    return;
  }
  const entries = body.entry;
  if (!Array.isArray(entries)) {
    run.issues.push({ path: "entry", message: `Expected entry to be an array but received ${describe(entries)}.` });
    return;
  }
  for (let entryIndex = 0; entryIndex < entries.length; entryIndex++) parseMetaEntry(entries[entryIndex], entryIndex, run);
}

function parseMetaEntry(entry: unknown, entryIndex: number, run: ParseRun): void {
  // Paths written out (every key here is an identifier; joinPath would test each against a regex),
  // and kept for the first few entries and changes: most bodies make no new path string at all.
  const entryPath = entryPathOf(entryIndex);
  if (!isObject(entry)) {
    run.issues.push({ path: entryPath, message: `Expected an entry object but received ${describe(entry)}.` });
    return;
  }
  checkOwnKeys(entry, entryPath, run);
  const wabaId = readWabaId(entry.id, entryPath, run);
  const changes = entry.changes;
  if (!Array.isArray(changes)) {
    run.issues.push({ path: `${entryPath}.changes`, message: `Expected changes to be an array but received ${describe(changes)}.` });
    return;
  }
  for (let changeIndex = 0; changeIndex < changes.length; changeIndex++) {
    const change: unknown = changes[changeIndex];
    const paths = changePathsOf(entryIndex, changeIndex);
    const changePath = paths.change;
    if (!isObject(change)) {
      run.issues.push({ path: changePath, message: `Expected a change object but received ${describe(change)}.` });
      continue;
    }
    checkOwnKeys(change, changePath, run);
    if (typeof change.field !== "string" || change.field === "") {
      run.issues.push({ path: `${changePath}.field`, message: `Expected the field name as a string but received ${describe(change.field)}.` });
      continue;
    }
    // One literal (absent parts `undefined`), so every context has the same shape.
    const context: ChangeContext = {
      run,
      source: "meta",
      wabaId,
      deliveryId: undefined,
      field: change.field,
      path: paths.value,
      depth: CHANGE_VALUE_DEPTH,
      envelopeKeys: NO_KEYS,
      entryTime: entry.time,
    };
    parseChangeValue(change.value, context);
  }
}

function parseDialogEnvelope(body: Record<string, unknown>, run: ParseRun): void {
  if (typeof body.event !== "string" || body.event === "") {
    run.issues.push({ path: "event", message: `Expected the 360dialog event name as a string but received ${describe(body.event)}.` });
    return;
  }
  if (body.id !== undefined && typeof body.id !== "string" && typeof body.id !== "number") {
    run.issues.push({ path: "id", message: `Expected the 360dialog delivery id as a string but received ${describe(body.id)}.` });
    return;
  }
  const data = body.data;
  const wabaId = isObject(data) ? readWabaId(data.id, "data", run) : undefined;
  const deliveryId = body.id === undefined ? undefined : String(body.id);
  parseChangeValue(data, {
    run,
    source: "360dialog",
    wabaId,
    deliveryId,
    field: body.event,
    path: "data",
    depth: DIALOG_VALUE_DEPTH,
    envelopeKeys: DIALOG_ENVELOPE_KEYS,
  });
}
