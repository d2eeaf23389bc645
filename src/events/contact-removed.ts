import type { AddressBookContact, Extra } from "./parts.js";
import type { EventBase } from "./event-base.js";

/**
 * A contact was removed from the business phone's address book (`smb_app_state_sync`, action `remove`).
 *
 * @example
 * ```ts
 * if (event.type === "ContactRemoved") console.log(event.contact.phoneNumber ?? event.contact.userId);
 * ```
 */
export interface ContactRemoved extends EventBase {
  readonly type: "ContactRemoved";
  /** Who was removed: the phone number, or the business-scoped user id (names are omitted on removal). */
  readonly contact: AddressBookContact;
  /** When the phone made the change (unix seconds). */
  readonly timestamp: number;
  /** The item's keys this library does not model, as received (its `metadata`'s under `extra.metadata`). */
  readonly extra?: Extra;
}
