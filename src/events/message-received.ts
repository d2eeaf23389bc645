import type { ProfileContact } from "./parts.js";
import type { EventBase } from "./event-base.js";
import type { Message } from "./message.js";

/**
 * A customer wrote to the business number (`messages` field, one event per `value.messages[]`
 * item): the live inbound half of a coexistence conversation.
 *
 * @example
 * ```ts
 * if (event.type === "MessageReceived") console.log(`${event.contact?.profileName} → business`);
 * ```
 */
export interface MessageReceived extends EventBase {
  readonly type: "MessageReceived";
  readonly message: Message;
  /** The sender's profile from `value.contacts`, where present. */
  readonly contact?: ProfileContact;
}
