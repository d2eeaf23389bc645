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
 * A schema for one raw object: validates `entries` (unknown keys allowed), then builds the output
 * with `build` and keeps the unknown keys under `extra`.
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
  const schema = v.pipe(
    looseRecord(entries),
    v.transform((raw): TOutput => {
      const out = build(raw);
      const extra = extraKeys(raw, reserved);
      return extra === undefined ? out : ({ ...out, extra } as TOutput);
    }),
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
