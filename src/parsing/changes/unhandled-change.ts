/**
 * Changes of fields this library does not model: kept whole in an `UnhandledChange`.
 *
 * @module
 */
import * as v from "valibot";
import { valueMetadataSchema } from "../../schemas/value-parts.js";
import { checkHostileInput } from "../../core/hostile-input.js";
import { isObject } from "../../core/parse-run.js";
import { eventBase, type ChangeContext } from "./change-context.js";

/** Emits the change as an `UnhandledChange` with its raw value (after the hostile-input checks). */
export function parseUnhandledChange(value: unknown, context: ChangeContext): void {
  const { run } = context;
  if (!checkHostileInput(value, context.path, context.depth, run.maxDepth, run.issues)) return;
  const metadata = isObject(value) ? v.safeParse(valueMetadataSchema, value.metadata) : undefined;
  const base = eventBase(context, metadata?.success === true ? metadata.output : {});
  run.events.push({ type: "UnhandledChange", ...base, field: context.field, value });
}
