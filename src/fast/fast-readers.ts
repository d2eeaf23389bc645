/**
 * The readers the fast paths share. Each writes one output field and returns `false` when the
 * value is anything the schemas would have to judge, so the fast path can decline.
 *
 * @module
 */
import { keyCount } from "../core/object-keys.js";
import { isForbiddenKey } from "../core/hostile-input.js";
import { isWellFormedId, normalizePhone } from "../core/normalize.js";

/** A raw JSON object. */
export type Raw = Record<string, unknown>;
/** An output object under construction. */
export type Out = Record<string, unknown>;

/**
 * An output with the key `K`: the readers below take the key they write and an output that has
 * it, so a reader that writes a key the event type does not have fails to compile (an output typed
 * by its event's keys, as `MessageOut` is, shares no key with `{ K?: unknown }` for a wrong `K`).
 */
export type OutWith<K extends string> = { [P in K]?: unknown };

/** Every key of any member of a union (`keyof` of a union gives only the shared ones). */
type KeysOfUnion<T> = T extends unknown ? keyof T : never;

/** An output under construction for the type `T` (any member of a union): only `T`'s own keys may be written. */
export type OutOf<T> = { -readonly [K in KeysOfUnion<T> & string]?: unknown };

/**
 * Copies unknown primitive keys into `out.extra`, as the schemas do. Declines (false) on a
 * forbidden key or on any nested object other than `skip` (the content and `history_context`, read
 * on their own): the schemas walk those for hostile keys and depth, so the fast path leaves them to
 * the schemas.
 */
export function copyExtras(raw: Raw, modelled: ReadonlySet<string>, out: OutWith<"extra">, skip?: string, skipToo?: string): boolean {
  let extra: Out | undefined;
  for (const key in raw) {
    if (key === skip || key === skipToo) continue;
    const value = raw[key];
    if (typeof value === "object" && value !== null) return false;
    if (modelled.has(key)) continue;
    if (isForbiddenKey(key)) return false;
    (extra ??= {})[key] = value;
  }
  if (extra !== undefined) out.extra = extra;
  return true;
}

/** A phone number as digits: `undefined` when absent or `""`, `null` when it is not one. */
export function phoneOf(value: unknown): string | undefined | null {
  if (value === undefined) return undefined;
  return typeof value === "string" ? normalizePhone(value) : null;
}

/** A phone number as digits; `""` is absent. */
export function readPhone<K extends string>(value: unknown, key: K, out: OutWith<K>): boolean {
  const digits = phoneOf(value);
  if (digits === null) return false;
  if (digits !== undefined) out[key] = digits;
  return true;
}

/** An optional string where `""` means absent (names): the schemas' `optionalText`. */
export function readOptionalText<K extends string>(value: unknown, key: K, out: OutWith<K>): boolean {
  if (value === undefined || value === "") return true;
  if (typeof value !== "string") return false;
  out[key] = value;
  return true;
}

/** An optional string kept as given, `""` included (captions, hashes): `v.optional(text)` in the schemas. */
export function readOptionalString<K extends string>(value: unknown, key: K, out: OutWith<K>): boolean {
  if (value === undefined) return true;
  if (typeof value !== "string") return false;
  out[key] = value;
  return true;
}

/** An optional boolean. */
export function readOptionalFlag<K extends string>(value: unknown, key: K, out: OutWith<K>): boolean {
  if (value === undefined) return true;
  if (typeof value !== "boolean") return false;
  out[key] = value;
  return true;
}

/** An optional id where `""` means absent (user ids, phone number ids); declines an id that cannot be stored: the schemas' `optionalId`. */
export function readOptionalId<K extends string>(value: unknown, key: K, out: OutWith<K>): boolean {
  if (value === undefined || value === "") return true;
  if (typeof value !== "string" || !isWellFormedId(value)) return false;
  out[key] = value;
  return true;
}

/** A non-empty string that can be an id. */
export function isId(value: unknown): value is string {
  return typeof value === "string" && value !== "" && isWellFormedId(value);
}

/**
 * Whether an object's keys other than `read` are all allowed and primitive (nothing the schemas
 * must walk). `readCount` is how many of `read` the object holds: when those are all its keys, the
 * answer is yes without testing each key.
 */
export function onlyPrimitiveExtras(raw: Raw, read: readonly string[], readCount: number): boolean {
  if (keyCount(raw) === readCount) return true;
  for (const key in raw) {
    if (read.includes(key)) continue;
    const value = raw[key];
    if (isForbiddenKey(key) || (typeof value === "object" && value !== null)) return false;
  }
  return true;
}
