/**
 * The small shapes that events and messages share: kept extras, API errors, customer profiles,
 * address-book contacts, ad referrals. Each is declared here once; the schemas in `src/schemas`
 * are checked against these interfaces, so the types users read are the types the parser builds.
 *
 * @module
 */

/**
 * Keys of a payload object that this library keeps but does not model, exactly as received
 * (Meta adds fields without notice). Every modelled object has an optional `extra`; a key that is
 * modelled never appears in it.
 *
 * @example
 * ```ts
 * if (message.type === "text") console.log(message.text.extra?.["preview_url"]);
 * ```
 */
export type Extra = Readonly<Record<string, unknown>>;

/**
 * Who sent a message, seen from the business: `inbound` from the customer, `outbound` from the
 * business (the app, a linked device, or the API).
 *
 * @example
 * ```ts
 * const direction: Direction = "outbound";
 * ```
 */
export type Direction = "inbound" | "outbound";

/**
 * An error Meta reports, for example `{ code: 131051, title: "Message type unknown" }` on an
 * unsupported message or `{ code: 2593109, ... }` when history sharing is turned off.
 *
 * @example
 * ```ts
 * const error: ApiError = { code: 131051, title: "Message type unknown" };
 * ```
 */
export interface ApiError {
  /** Meta's numeric error code. */
  readonly code: number;
  readonly title?: string;
  readonly message?: string;
  /** `error_data.details`. */
  readonly details?: string;
  /** A link to Meta's documentation of the error. */
  readonly href?: string;
  readonly extra?: Extra;
}

/**
 * The customer's WhatsApp profile as a change lists it in `value.contacts[]`, attached to the
 * events it describes (matched by phone number, user id or parent user id).
 *
 * @example
 * ```ts
 * const contact: ProfileContact = { phoneNumber: "16505551234", profileName: "Ana" };
 * ```
 */
export interface ProfileContact {
  /** `wa_id`, as digits. */
  readonly phoneNumber?: string;
  /** The business-scoped user id (BSUID). */
  readonly userId?: string;
  /** The parent BSUID of a managed business portfolio. */
  readonly parentUserId?: string;
  /** `profile.name`. */
  readonly profileName?: string;
  /** `profile.username`: an attribute of the person, never an identifier. */
  readonly username?: string;
  readonly extra?: Extra;
}

/**
 * A contact as the business's phone address book has it (`smb_app_state_sync`). Identified by
 * `phoneNumber`, or by the business-scoped `userId` when there is no number. `countryCode` comes
 * from the payload, else from the user id's prefix (`BR.2186...` → `"BR"`).
 *
 * @example
 * ```ts
 * const contact: AddressBookContact = { phoneNumber: "16505551234", fullName: "Ana Lima", firstName: "Ana" };
 * ```
 */
export interface AddressBookContact {
  readonly phoneNumber?: string;
  readonly userId?: string;
  readonly parentUserId?: string;
  readonly fullName?: string;
  readonly firstName?: string;
  readonly username?: string;
  readonly countryCode?: string;
  readonly extra?: Extra;
}

/**
 * The identifiers of one customer as an event names them: any of them may be absent.
 *
 * @example
 * ```ts
 * const recipient: CustomerIds = { phoneNumber: "16505551234", userId: "US.13491208655302741918" };
 * ```
 */
export interface CustomerIds {
  readonly phoneNumber?: string;
  readonly userId?: string;
  readonly parentUserId?: string;
}

/**
 * Where a customer came from when they wrote after tapping a click-to-WhatsApp ad (`referral`).
 *
 * @example
 * ```ts
 * const referral: Referral = { sourceType: "ad", sourceId: "120208", ctwaClid: "ARAk..." };
 * ```
 */
export interface Referral {
  readonly sourceUrl?: string;
  readonly sourceId?: string;
  /** `ad` or `post`. */
  readonly sourceType?: string;
  readonly headline?: string;
  readonly body?: string;
  /** `image` or `video`. */
  readonly mediaType?: string;
  readonly imageUrl?: string;
  readonly videoUrl?: string;
  readonly thumbnailUrl?: string;
  /** The click id, for attributing the conversation to the ad. */
  readonly ctwaClid?: string;
  /** `welcome_message.text`. */
  readonly welcomeMessageText?: string;
  readonly extra?: Extra;
}
