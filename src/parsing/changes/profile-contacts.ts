/**
 * `value.contacts`: the customers' profiles that `messages` and `smb_message_echoes` changes list,
 * matched to each message by phone number or user id.
 *
 * @module
 */
import { profileContactSchema, type ProfileContact } from "../../schemas/value-parts.js";
import { joinPath } from "../path.js";
import { runSchema } from "../parse-run.js";
import { readItems, type ChangeContext } from "./change-context.js";

/** The parsed profiles of a change, and which of them some message used. */
export class ProfileContacts {
  private readonly contacts: { contact: ProfileContact; raw: unknown; used: boolean }[] = [];

  /** Reads `value.contacts`; invalid entries become issues. */
  constructor(value: Record<string, unknown>, context: ChangeContext) {
    const items = readItems(value, "contacts", context) ?? [];
    const path = joinPath(context.path, "contacts");
    items.forEach((raw, index) => {
      const contact = runSchema(profileContactSchema, raw, joinPath(path, index), context.depth + 2, context.run);
      if (contact !== undefined) this.contacts.push({ contact, raw, used: false });
    });
  }

  /** The profile of the customer with this number or user id, if listed. */
  find(phoneNumber: string | undefined, userId: string | undefined): ProfileContact | undefined {
    const entry = this.contacts.find(
      ({ contact }) =>
        (phoneNumber !== undefined && contact.phoneNumber === phoneNumber) || (userId !== undefined && contact.userId === userId),
    );
    if (entry === undefined) return undefined;
    entry.used = true;
    return entry.contact;
  }

  /** The raw entries no message matched (kept in an `UnhandledChange`). */
  unused(): unknown[] {
    return this.contacts.filter((entry) => !entry.used).map((entry) => entry.raw);
  }
}
