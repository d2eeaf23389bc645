import type { ProfileContact } from "./parts.js";
import type { EventBase } from "./event-base.js";
import type { Message } from "./message.js";

/**
 * The business sent a message from the WhatsApp Business app or a linked device
 * (`smb_message_echoes`, one event per echo). The customer is `message.to` / `message.toUserId`.
 *
 * @example
 * ```ts
 * if (event.type === "MessageEchoed") console.log(`business → ${event.message.to}`);
 * ```
 */
export interface MessageEchoed extends EventBase {
  readonly type: "MessageEchoed";
  readonly message: Message;
  /** The customer's profile, where the change lists it in `contacts`. */
  readonly contact?: ProfileContact;
}
