/**
 * The one way the schemas turn a raw snake_case object into its camelCase output: known keys are
 * validated and renamed, absent optional fields are left out, and unknown keys are kept as received.
 *
 * @module
 */
import * as v from "valibot";
import { isForbiddenKey } from "../core/hostile-input.js";

/** Flattens an intersection into one object type, so editor hovers read well. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** `T` with every property whose type includes `undefined` made optional (and `undefined` removed). */
export type Compact<T> = Simplify<
  { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
    [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
  }
>;

/**
 * Copies the properties whose value is not `undefined`, so optional fields are absent rather than
 * `undefined` in the output.
 *
 * @example
 * ```ts
 * compact({ a: 1, b: undefined }); // { a: 1 }
 * ```
 */
export function compact<T extends object>(fields: T): Compact<T> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) {
    const value = (fields as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as Compact<T>;
}

/**
 * The unknown keys of a raw object, as received (Meta adds fields without notice; they are kept
 * under `extra`), or `undefined` when there are none.
 *
 * @example
 * ```ts
 * extraKeys({ body: "hi", preview_url: true }, new Set(["body"])); // { preview_url: true }
 * ```
 */
function extraKeys(input: Record<string, unknown>, known: ReadonlySet<string>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const key in input) {
    if (!known.has(key) && !isForbiddenKey(key) && Object.hasOwn(input, key)) (out ??= {})[key] = input[key];
  }
  return out;
}

/**
 * A schema made by {@link shape}: its output type, and the raw keys it models (every other key is
 * kept under `extra`; the fast path uses the same set).
 */
export type ShapeSchema<TOutput> = v.GenericSchema<unknown, TOutput> & { readonly reserved: ReadonlySet<string> };

/**
 * A nested raw object whose fields the output flattens into its parent (`conversation.origin.type`
 * becomes `originType`): made by {@link flat}, it names the keys it models, so the parent's
 * {@link shape} keeps its other keys under `extra[key]`.
 */
export type FlatSchema<TEntries extends v.ObjectEntries> = ReturnType<typeof looseRecord<TEntries>> & { readonly flattened: ReadonlySet<string> };

/**
 * A nested object read into its parent's fields. Its unknown keys are kept by the parent
 * {@link shape}, under `extra` at the same key (`{ extra: { origin: { new_key: 1 } } }`).
 *
 * @example
 * ```ts
 * const status = shape({ origin: v.optional(flat({ type: optionalText })) }, (raw) => compact({ originType: raw.origin?.type }));
 * v.parse(status, { origin: { type: "service", new_key: 1 } }); // { originType: "service", extra: { origin: { new_key: 1 } } }
 * ```
 */
// @__NO_SIDE_EFFECTS__
export function flat<const TEntries extends v.ObjectEntries>(entries: TEntries): FlatSchema<TEntries> {
  return Object.assign(looseRecord(entries), { flattened: new Set(Object.keys(entries)) as ReadonlySet<string> });
}

/** The keys modelled by the flattened record among `entries` (under `v.optional` too), by entry key. */
function flattenedEntries(entries: v.ObjectEntries): [string, ReadonlySet<string>][] {
  const found: [string, ReadonlySet<string>][] = [];
  for (const [key, schema] of Object.entries(entries)) {
    const inner = (schema.type === "optional" ? (schema as unknown as { wrapped: unknown }).wrapped : schema) as { flattened?: ReadonlySet<string> };
    if (inner.flattened !== undefined) found.push([key, inner.flattened]);
  }
  return found;
}

/**
 * Everything of a raw object that its output does not model, as received: its unknown keys, and
 * the unknown keys of each flattened nested object under that object's key; `undefined` when none.
 * {@link shape} keeps it under `extra`; parsers that build an output by hand call it too.
 *
 * @example
 * ```ts
 * unmodelled({ threads: [], gs_id: "a", metadata: { phase: 0, x: 1 } }, new Set(["threads", "metadata"]), [["metadata", new Set(["phase"])]]);
 * // { gs_id: "a", metadata: { x: 1 } }
 * ```
 */
export function unmodelled(
  raw: Record<string, unknown>,
  reserved: ReadonlySet<string>,
  nested: readonly [string, ReadonlySet<string>][],
): Record<string, unknown> | undefined {
  let extra = extraKeys(raw, reserved);
  for (const [key, known] of nested) {
    const inner = raw[key];
    if (typeof inner !== "object" || inner === null) continue;
    const innerExtra = extraKeys(inner as Record<string, unknown>, known);
    if (innerExtra !== undefined) (extra ??= {})[key] = innerExtra;
  }
  return extra;
}

/**
 * Joins what a builder itself kept under `extra` (a known field it could not read) with the
 * unmodelled keys: neither overwrites the other.
 */
function withExtra<TOutput extends object>(out: TOutput, extra: Record<string, unknown> | undefined): TOutput {
  if (extra === undefined) return out;
  const own = (out as { extra?: Record<string, unknown> }).extra;
  return { ...out, extra: own === undefined ? extra : { ...extra, ...own } } as TOutput;
}

/**
 * A schema for one raw object: validates `entries` (unknown keys allowed), then builds the output
 * with `build` and keeps the unknown keys under `extra` (beside any `extra` the builder set), and
 * the unknown keys of {@link flat} entries under `extra[key]`.
 *
 * @param entries - the raw keys and their schemas.
 * @param build - maps the validated raw object to the output (camelCase, absent fields left out),
 *   typed by the output interface it must produce.
 * @example
 * ```ts
 * const text = shape({ body: v.string() }, (raw): TextContent => ({ body: raw.body }));
 * v.parse(text, { body: "hi", preview_url: true }); // { body: "hi", extra: { preview_url: true } }
 * ```
 */
// @__NO_SIDE_EFFECTS__
export function shape<const TEntries extends v.ObjectEntries, TOutput extends object>(
  entries: TEntries,
  build: (raw: v.InferOutput<v.LooseObjectSchema<TEntries, undefined>>) => TOutput,
): ShapeSchema<TOutput> {
  const reserved: ReadonlySet<string> = new Set(Object.keys(entries));
  const nested = flattenedEntries(entries);
  const schema = v.pipe(
    looseRecord(entries),
    v.transform((raw): TOutput => withExtra(build(raw), unmodelled(raw, reserved, nested))),
  );
  return Object.assign(schema, { reserved });
}

/**
 * An object schema that keeps unknown keys and, unlike `v.looseObject` alone, refuses arrays (an
 * array is never what a payload's object means, and its indices must not become fields).
 *
 * @example
 * ```ts
 * v.safeParse(looseRecord({ body: v.optional(v.string()) }), []).success; // false
 * ```
 */
// @__NO_SIDE_EFFECTS__
export function looseRecord<const TEntries extends v.ObjectEntries>(entries: TEntries, message?: v.ErrorMessage<v.LooseObjectIssue>) {
  return v.pipe(
    v.custom<unknown>(
      (input) => !Array.isArray(input),
      (issue) => `Expected an object but received ${describe(issue.input)}.`,
    ),
    v.looseObject(entries, message),
  );
}

/**
 * How a value is named in issue messages: `"yesterday"`, `123`, `null`, `an array`.
 *
 * @example
 * ```ts
 * describe("yesterday"); // '"yesterday"'
 * ```
 */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object" && value !== null) return "an object";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}
