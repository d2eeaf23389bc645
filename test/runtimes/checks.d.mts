import type * as Library from "../../src/index.js";

/** Runs the cross-runtime checks against a loaded copy of the library. */
export function runChecks(library: typeof Library, fixtures: readonly { name: string; text: string }[]): Promise<unknown>;
