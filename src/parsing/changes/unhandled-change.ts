/**
 * Changes of fields this library does not model: kept whole in an `UnhandledChange`.
 *
 * @module
 */
import * as v from "valibot";
import { compact } from "../../schemas/object-shape.js";
import { valueMetadataSchema } from "../../schemas/value-parts.js";
import { checkHostileInput } from "../hostile-input.js";
import { isObject } from "../parse-run.js";
import type { ChangeContext } from "./change-context.js";

/** Emits the change as an `UnhandledChange` with its raw value (after the hostile-input checks). */
export function parseUnhandledChange(value: unknown, context: ChangeContext): void {
  const { run } = context;
  if (!checkHostileInput(value, context.path, context.depth, run.maxDepth, run.issues)) return;
  const metadata = isObject(value) ? v.safeParse(valueMetadataSchema, value.metadata) : undefined;
  run.events.push({
    type: "UnhandledChange",
    ...compact({
      source: context.source,
      wabaId: context.wabaId,
      phoneNumberId: metadata?.success === true ? metadata.output.phoneNumberId : undefined,
      displayPhoneNumber: metadata?.success === true ? metadata.output.displayPhoneNumber : undefined,
      deliveryId: context.deliveryId,
    }),
    field: context.field,
    value,
  });
}
