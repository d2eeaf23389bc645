/**
 * What `serve` remembers of each request to `/webhook`, for the live inspector: a short summary of
 * every recent delivery, and the raw body, events and issues of the newest ones (within a byte
 * budget, so a long session cannot exhaust memory).
 *
 * @module
 */
import type { CoexistenceEvent, ParseIssue, WebhookOutcome } from "../index.js";

/** How the signature of a delivery was judged. */
export type SignatureVerdict = "valid" | "invalid" | "not checked" | "not read";

/** One delivery, as the inspector lists it. */
export interface DeliverySummary {
  readonly id: number;
  /** When it arrived (ISO 8601). */
  readonly at: string;
  readonly method: string;
  readonly status: number;
  /** The answer's body, when it was short text (a refusal's reason). */
  readonly answer: string;
  readonly signature: SignatureVerdict;
  /** Why the signature was refused (401): `missing`, `malformed` or `mismatch`. */
  readonly signatureFailure?: string;
  /** The webhook fields its events came from. */
  readonly fields: string[];
  readonly events: number;
  readonly issues: number;
  /** What the book could not place of its events, and why (one line per reason). */
  readonly unplaced: string[];
  readonly bytes: number;
}

/** One delivery in full: its summary, raw body (as text), events and issues. */
export interface DeliveryDetail extends DeliverySummary {
  /** `undefined` once the body fell out of the budget. */
  readonly body: string | undefined;
  readonly parsed: CoexistenceEvent[] | undefined;
  readonly issueList: ParseIssue[] | undefined;
}

/** The webhook field each event type comes from (those that carry no `field` of their own): a new type must be named here. */
const FIELD_OF: Readonly<Record<Exclude<CoexistenceEvent["type"], "UnhandledChange" | "ErrorsReported">, string>> = {
  ContactAdded: "smb_app_state_sync",
  ContactRemoved: "smb_app_state_sync",
  MessageEchoed: "smb_message_echoes",
  HistoryChunk: "history",
  HistoryDeclined: "history",
  HistoryMedia: "history",
  MessageReceived: "messages",
  MessageStatusUpdated: "messages",
  UserIdChanged: "user_id_update",
  UserPreferencesUpdated: "user_preferences",
};

function fieldsOf(events: readonly CoexistenceEvent[]): string[] {
  const fields = new Set<string>();
  for (const event of events) fields.add(event.type === "UnhandledChange" || event.type === "ErrorsReported" ? event.field : FIELD_OF[event.type]);
  return [...fields].sort();
}

/** The signature verdict an outcome implies. */
export function verdictOf(method: string, outcome: WebhookOutcome, signed: boolean): SignatureVerdict {
  if (method !== "POST" || outcome.status === 405 || outcome.status === 413) return "not read";
  if (outcome.status === 401) return "invalid";
  return signed ? "valid" : "not checked";
}

interface Stored {
  readonly summary: DeliverySummary;
  body: string | undefined;
  parsed: CoexistenceEvent[] | undefined;
  issueList: ParseIssue[] | undefined;
}

/** The recent deliveries. */
export class DeliveryLog {
  private readonly stored: Stored[] = [];
  private next = 1;
  private keptBytes = 0;

  /**
   * @param capacity - how many summaries to keep.
   * @param byteBudget - how many bytes of raw bodies to keep (the newest first).
   */
  constructor(
    private readonly capacity = 500,
    private readonly byteBudget = 32 * 1024 * 1024,
  ) {}

  /** Records a delivery; returns its summary. */
  add(method: string, outcome: WebhookOutcome, signed: boolean, raw: Uint8Array | undefined, unplaced: string[] = []): DeliverySummary {
    const summary: DeliverySummary = {
      id: this.next++,
      at: new Date().toISOString(),
      method,
      status: outcome.status,
      answer: outcome.status === 200 || outcome.body.length > 300 ? "" : outcome.body,
      signature: verdictOf(method, outcome, signed),
      ...(outcome.reason === undefined ? {} : { signatureFailure: outcome.reason }),
      fields: fieldsOf(outcome.events),
      events: outcome.events.length,
      issues: outcome.issues.length,
      unplaced,
      bytes: raw?.byteLength ?? 0,
    };
    const body = raw === undefined ? undefined : new TextDecoder().decode(raw);
    this.stored.push({ summary, body, parsed: outcome.events, issueList: outcome.issues });
    this.keptBytes += summary.bytes;
    if (this.stored.length > this.capacity) this.forget(this.stored.shift() as Stored);
    for (const old of this.stored) {
      if (this.keptBytes <= this.byteBudget) break;
      if (old.body !== undefined && old !== this.stored.at(-1)) this.forget(old);
    }
    return summary;
  }

  private forget(entry: Stored): void {
    if (entry.body === undefined) return;
    this.keptBytes -= entry.summary.bytes;
    entry.body = undefined;
    entry.parsed = undefined;
    entry.issueList = undefined;
  }

  /** Every summary kept, newest first. */
  summaries(): DeliverySummary[] {
    return this.stored.map((entry) => entry.summary).reverse();
  }

  /** One delivery in full, or `undefined` when it is not kept. */
  detail(id: number): DeliveryDetail | undefined {
    const entry = this.stored.find((each) => each.summary.id === id);
    return entry === undefined ? undefined : { ...entry.summary, body: entry.body, parsed: entry.parsed, issueList: entry.issueList };
  }
}
