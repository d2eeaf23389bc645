/**
 * Schema of an `account_update` value that is a lifecycle event.
 *
 * @module
 */
import * as v from "valibot";
import type { AccountLifecycleChanged } from "../events/account-lifecycle-changed.js";
import { ACCOUNT_LIFECYCLE_EVENTS } from "../events/account-lifecycle-changed.js";
import type { EventBase } from "../events/event-base.js";
import { compact, describe, flat, shape } from "./object-shape.js";
import { lenientPhone, optionalId, optionalText } from "./scalars.js";

/** A lifecycle event as parsed, before the change adds its business and time; `wabaInfoId` is `waba_info.waba_id`, which the change reconciles with the envelope's. */
export type ParsedLifecycle = Omit<AccountLifecycleChanged, "type" | keyof EventBase | "timestamp"> & { readonly wabaInfoId?: string };

/** Schema of `{ event, disconnection_info?, waba_info?, phone_number? }` for a lifecycle event. */
export const accountLifecycleSchema = /* @__PURE__ */ shape(
  {
    event: v.picklist(ACCOUNT_LIFECYCLE_EVENTS, (issue) => `Expected a lifecycle event but received ${describe(issue.input)}.`),
    disconnection_info: v.optional(
      shape({ reason: optionalText, initiated_by: optionalText }, (raw) => compact({ reason: raw.reason, initiatedBy: raw.initiated_by })),
    ),
    waba_info: v.optional(flat({ waba_id: optionalId, owner_business_id: optionalId })),
    phone_number: v.optional(lenientPhone),
  },
  (raw): ParsedLifecycle =>
    compact({
      event: raw.event,
      disconnection: raw.disconnection_info,
      ownerBusinessId: raw.waba_info?.owner_business_id,
      phoneNumber: raw.phone_number,
      wabaInfoId: raw.waba_info?.waba_id,
    }),
);
