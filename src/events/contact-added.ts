import type { AddressBookContact, Extra } from "./parts.js";
import type { EventBase } from "./event-base.js";

/**
 * A contact was added to, or edited in, the business phone's address book (`smb_app_state_sync`,
 * action `add`).
 *
 * @example
 * ```ts
 * if (event.type === "ContactAdded") console.log(event.contact.fullName, event.timestamp);
 * ```
 */
export interface ContactAdded extends EventBase {
  readonly type: "ContactAdded";
  /** The contact as the phone has it now. */
  readonly contact: AddressBookContact;
  /** When the phone made the change (unix seconds). */
  readonly timestamp: number;
  /** The item's keys this library does not model, as received (its `metadata`'s under `extra.metadata`). */
  readonly extra?: Extra;
}
