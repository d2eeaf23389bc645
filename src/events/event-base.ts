/**
 * What every event carries: where it came from and which business it is about.
 *
 * @module
 */

/**
 * Which envelope a body came in: Meta's Cloud API webhook or 360dialog's partner webhook.
 *
 * @example
 * ```ts
 * const source: EventSource = "360dialog";
 * ```
 */
export type EventSource = "meta" | "360dialog";

/**
 * The fields every event has.
 *
 * @example
 * ```ts
 * const base: EventBase = { source: "meta", wabaId: "102290129340398", phoneNumberId: "106540352242922", displayPhoneNumber: "15550783881" };
 * ```
 */
export interface EventBase {
  /** The envelope the body came in. */
  readonly source: EventSource;
  /**
   * The WhatsApp Business Account id (`entry[].id`, or 360dialog's `data.id`). Absent when the body
   * names none (a 360dialog body without `data.id`, an entry without `id`, or {@link parseChange}
   * given no `wabaId`): the events still come out.
   */
  readonly wabaId?: string;
  /** The business phone number id (`value.metadata.phone_number_id`), where the payload has metadata. */
  readonly phoneNumberId?: string;
  /** The business phone number as digits (`value.metadata.display_phone_number`), where the payload has metadata and the number is one (a provider's placeholder such as `"DISPLAY_PHONE_NUMBER"` is left out). */
  readonly displayPhoneNumber?: string;
  /** 360dialog's delivery id (the envelope `id`): a dedupe key for that delivery. */
  readonly deliveryId?: string;
}
