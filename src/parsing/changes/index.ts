/**
 * The parser for each webhook field (see `webhook-fields.ts`, the registry).
 *
 * @module
 */
import type { ChangeContext } from "./change-context.js";
import { FIELD_PARSERS, isParsedField } from "../webhook-fields.js";
import { parseUnhandledChange } from "./unhandled-change.js";

/** Parses one change value into events and issues, by its field. */
export function parseChangeValue(value: unknown, context: ChangeContext): void {
  if (isParsedField(context.field)) FIELD_PARSERS[context.field](value, context);
  else parseUnhandledChange(value, context);
}

export type { ChangeContext } from "./change-context.js";
