import fc from "fast-check";

type Json = unknown;
type Path = (string | number)[];

/** Every path to a value inside a JSON document (the root excluded). */
export function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => [[...prefix, index], ...pathsOf(item, [...prefix, index])]);
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
  }
  return [];
}

/** One way to damage a document at a path. */
export type Mutation =
  | { readonly kind: "delete" }
  | { readonly kind: "retype"; readonly value: Json }
  | { readonly kind: "duplicate" }
  | { readonly kind: "forbidden-key"; readonly key: "__proto__" | "constructor" | "prototype" };

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: "delete" as const }),
  fc.jsonValue({ maxDepth: 2 }).map((value) => ({ kind: "retype" as const, value })),
  fc.constant({ kind: "duplicate" as const }),
  fc.constantFrom("__proto__", "constructor", "prototype").map((key) => ({ kind: "forbidden-key" as const, key })),
);

/** A deep copy of `document` with `mutation` applied at `path` (structuredClone keeps own `__proto__` keys safe). */
export function mutate(document: Json, path: Path, mutation: Mutation): Json {
  const copy = structuredClone(document);
  if (path.length === 0) return copy;
  // A JSON container, indexed by the path's keys (numbers for arrays, strings for objects).
  let parent = copy as Record<string | number, Json> & Json[];
  for (const key of path.slice(0, -1)) parent = parent[key] as typeof parent;
  const last = path[path.length - 1] as string | number;
  switch (mutation.kind) {
    case "delete":
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
      break;
    case "retype":
      parent[last] = mutation.value;
      break;
    case "duplicate":
      if (Array.isArray(parent)) parent.splice(last as number, 0, structuredClone(parent[last as number]));
      else parent[`${String(last)}_copy`] = structuredClone(parent[last]);
      break;
    case "forbidden-key": {
      const target = parent[last];
      if (typeof target === "object" && target !== null && !Array.isArray(target)) {
        Object.defineProperty(target, mutation.key, { value: { polluted: true }, enumerable: true, writable: true, configurable: true });
      } else parent[last] = JSON.parse(`{"${mutation.key}":{"polluted":true}}`);
      break;
    }
  }
  return copy;
}

/** A document and a random mutation of it, as fast-check input. */
export function mutatedArbitrary(document: Json): fc.Arbitrary<Json> {
  const paths = pathsOf(document);
  return fc.tuple(fc.constantFrom(...paths), mutationArbitrary, fc.boolean()).map(([path, mutation, twice]) => {
    const once = mutate(document, path, mutation);
    return twice ? mutate(once, path.slice(0, -1), { kind: "duplicate" }) : once;
  });
}
