/**
 * The one way the schemas turn a raw snake_case object into its camelCase output: known keys are
 * validated and renamed, absent optional fields are left out, and unknown keys are kept as received.
 *
 * @module
 */
import * as v from "valibot";
import { isForbiddenKey } from "../parsing/hostile-input.js";

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

/** `full_name` → `fullName`. */
export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * The keys an object's extras must not use: its raw keys, their camelCase forms and any other output
 * name. An unknown key that collides with an output name is left out, so it can never overwrite or
 * impersonate a typed field.
 */
export function reservedKeys(rawKeys: readonly string[], outputKeys: readonly string[] = []): ReadonlySet<string> {
  return new Set([...rawKeys, ...rawKeys.map(camelCase), ...outputKeys]);
}

/**
 * The unknown keys of a raw object, as received (Meta adds fields without notice; they are kept).
 *
 * @example
 * ```ts
 * extraKeys({ body: "hi", preview_url: true }, new Set(["body"])); // { preview_url: true }
 * ```
 */
export function extraKeys(input: Record<string, unknown>, reserved: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in input) {
    if (!reserved.has(key) && !isForbiddenKey(key) && Object.hasOwn(input, key)) out[key] = input[key];
  }
  return out;
}

/**
 * A schema made by {@link shape}: its output type, and the keys that are not extras.
 * (Typed by its output alone, so declaration files stay small.)
 */
export type ShapeSchema<TOutput> = v.GenericSchema<unknown, TOutput> & { readonly reserved: ReadonlySet<string> };

/**
 * A schema for one raw object: validates `entries` (unknown keys allowed), then builds the output
 * with `build` and adds the unknown keys. The schema's `reserved` set names the keys that are not
 * extras (the fast path uses the same set).
 *
 * @param entries - the raw keys and their schemas.
 * @param build - maps the validated raw object to the output (camelCase, absent fields left out).
 * @param outputKeys - output names that are not the camelCase of a raw key.
 * @example
 * ```ts
 * const text = shape({ body: v.string() }, (raw) => ({ body: raw.body }));
 * v.parse(text, { body: "hi", preview_url: true }); // { body: "hi", preview_url: true }
 * ```
 */
// @__NO_SIDE_EFFECTS__
export function shape<const TEntries extends v.ObjectEntries, TOutput extends object>(
  entries: TEntries,
  build: (raw: v.InferOutput<v.LooseObjectSchema<TEntries, undefined>>) => TOutput,
  outputKeys: readonly string[] = [],
): ShapeSchema<TOutput> {
  const reserved = reservedKeys(Object.keys(entries), outputKeys);
  const schema = v.pipe(
    v.looseObject(entries),
    v.transform((raw): TOutput => Object.assign(build(raw), extraKeys(raw, reserved))),
  );
  return Object.assign(schema, { reserved });
}

/**
 * A plain object taken as it is (for contents this library keeps raw, such as `interactive`).
 *
 * @example
 * ```ts
 * v.parse(rawObject, { type: "button_reply" }); // the same object
 * ```
 */
export const rawObject = v.custom<Record<string, unknown>>(
  (input) => typeof input === "object" && input !== null && !Array.isArray(input),
  (issue) => `Expected an object but received ${describe(issue.input)}.`,
);

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
