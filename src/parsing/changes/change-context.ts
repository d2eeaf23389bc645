/**
 * What a change parser knows about the change it is parsing, and the helpers they all share:
 * the value's metadata, the event base, and the value's lists of items.
 *
 * @module
 */
import type { EventBase, EventSource } from "../../events/event-base.js";
import { fastMetadata } from "../../fast/fast-state-sync.js";
import { keyCount, present } from "../../core/object-keys.js";
import { valueMetadataSchema, type ValueMetadata } from "../../schemas/value-parts.js";
import { joinPath } from "../../core/path.js";
import { checkOwnKeys, isObject, type ParseRun } from "../../core/parse-run.js";
import { runTolerantSchema, type Tolerance } from "../tolerant-schema.js";
import { readItem, type ItemReader } from "../read-item.js";

/** Where a change came from. */
export interface ChangeContext {
  readonly run: ParseRun;
  readonly source: EventSource;
  /** Absent (`undefined`) when the envelope names none. */
  readonly wabaId: string | undefined;
  readonly deliveryId: string | undefined;
  readonly field: string;
  /** The path of the change's value (`entry[0].changes[1].value`, or `data`). */
  readonly path: string;
  /** The depth of the value from the body's root. */
  readonly depth: number;
  /** Keys of the value that belong to the envelope, not the change (360dialog's `id` inside `data`). */
  readonly envelopeKeys: readonly string[];
  /** The entry's `time` as the body gives it, where Meta's envelope gives one (read by the changes that use it). */
  readonly entryTime?: unknown;
}

/** A change value that passed the shared checks. */
export interface ChangeValue {
  readonly raw: Record<string, unknown>;
  readonly base: EventBase;
  /** The base again when it is the usual one (a WABA id and both numbers, no delivery id), so events can be built in one literal. */
  readonly common: CommonBase | undefined;
  /** Whether `metadata` has keys besides the business's two numbers: the value's `UnhandledChange` keeps them. */
  readonly metadataExtra: boolean;
}

/** The usual event base: Meta's envelope with its WABA id and the value's metadata. */
export type CommonBase = Required<Omit<EventBase, "deliveryId">>;

const METADATA_TOLERANCE: Tolerance<ValueMetadata> = { salvage: () => ({}) };

/** A change value's metadata: fast, else the tolerant schema (what cannot be read is left out). */
const METADATA_READER: ItemReader<ValueMetadata> = {
  fast: fastMetadata,
  slow: (raw, path, depth, run) => runTolerantSchema(valueMetadataSchema, raw, path, depth, run, METADATA_TOLERANCE),
};

/**
 * Checks a change value and reads its metadata.
 *
 * @returns `undefined` (with issues) when the value is not an object or has a forbidden key. Metadata
 *   that cannot be read costs only the fields that could not be read.
 */
export function readChangeValue(value: unknown, context: ChangeContext): ChangeValue | undefined {
  const { run, path } = context;
  if (!isObject(value)) {
    run.issues.push({ path, message: `Expected the value of a "${context.field}" change to be an object.` });
    return undefined;
  }
  if (!checkOwnKeys(value, path, run)) return undefined;
  let metadata: ValueMetadata = {};
  const raw = value.metadata;
  if (raw !== undefined) {
    const parsed = readItem(METADATA_READER, raw, path, "metadata", context.depth + 1, run, undefined);
    if (parsed !== undefined) metadata = parsed;
  }
  const metadataExtra = isObject(raw) && keyCount(raw) !== present(raw.display_phone_number) + present(raw.phone_number_id);
  const base = eventBase(context, metadata);
  const common =
    base.wabaId !== undefined && base.phoneNumberId !== undefined && base.displayPhoneNumber !== undefined && base.deliveryId === undefined
      ? (base as CommonBase)
      : undefined;
  return { raw: value, base, common, metadataExtra };
}

/** The fields every event of a change shares (absent ones left out). */
export function eventBase(context: ChangeContext, metadata: ValueMetadata): EventBase {
  const { source, deliveryId } = context;
  const fallback = context.run.fallback;
  const wabaId = context.wabaId ?? fallback?.wabaId;
  const phoneNumberId = metadata.phoneNumberId ?? fallback?.phoneNumberId;
  const { displayPhoneNumber } = metadata;
  // The common case in one literal: objects built key by key take a slower shape.
  if (wabaId !== undefined && phoneNumberId !== undefined && displayPhoneNumber !== undefined && deliveryId === undefined) {
    return { source, wabaId, phoneNumberId, displayPhoneNumber };
  }
  const base: { -readonly [K in keyof EventBase]: EventBase[K] } = { source };
  if (wabaId !== undefined) base.wabaId = wabaId;
  if (phoneNumberId !== undefined) base.phoneNumberId = phoneNumberId;
  if (displayPhoneNumber !== undefined) base.displayPhoneNumber = displayPhoneNumber;
  if (deliveryId !== undefined) base.deliveryId = deliveryId;
  return base;
}

/**
 * Reads an optional array of items from the value.
 *
 * @returns the array, `[]` when absent, or `undefined` (with an issue) when it is not an array.
 */
export function readItems(value: Record<string, unknown>, key: string, context: ChangeContext): unknown[] | undefined {
  const items = value[key];
  if (items === undefined) return [];
  if (Array.isArray(items)) return items;
  context.run.issues.push({ path: joinPath(context.path, key), message: `Expected "${key}" to be an array.` });
  return undefined;
}
