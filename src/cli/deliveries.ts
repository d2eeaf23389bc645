/**
 * What `serve` remembers of each request to `/webhook`, for the live inspector: a short summary of
 * every recent delivery, and the raw body, events and issues of the newest ones (within a byte
 * budget, so a long session cannot exhaust memory).
 *
 * @module
 */
import type { ForwardResult } from "./forward.js";
import { fieldOfEvent, type CoexistenceEvent, type ParseIssue, type WebhookOutcome } from "../index.js";

/** How the signature of a delivery was judged. */
export type SignatureVerdict = "valid" | "invalid" | "not checked" | "not read";

/** One delivery, as the inspector lists it. */
export interface DeliverySummary {
  readonly id: number;
  /** What the app answered when the delivery was forwarded (`serve --forward-to`). */
  readonly forward?: ForwardResult;
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
  /** The event types it made. */
  readonly types: string[];
  readonly events: number;
  readonly issues: number;
  /** What the book could not place of its events, and why (one line per reason). */
  readonly unplaced: string[];
  readonly bytes: number;
}

/** One delivery in full: its summary, raw body (as text), events and issues. */
export interface DeliveryDetail extends DeliverySummary {
  /** The request headers kept with it (content type, user agent, signature; never cookies). */
  readonly headers: Readonly<Record<string, string>>;
  /** `undefined` once the body fell out of the budget. */
  readonly body: string | undefined;
  readonly parsed: CoexistenceEvent[] | undefined;
  readonly issueList: ParseIssue[] | undefined;
}

function fieldsOf(events: readonly CoexistenceEvent[]): string[] {
  const fields = new Set<string>();
  for (const event of events) fields.add(fieldOfEvent(event));
  return [...fields].sort();
}

/** The signature verdict an outcome implies. */
export function verdictOf(method: string, outcome: WebhookOutcome, signed: boolean): SignatureVerdict {
  if (method !== "POST" || outcome.status === 405 || outcome.status === 413) return "not read";
  if (outcome.status === 401) return "invalid";
  return signed ? "valid" : "not checked";
}

interface Stored {
  summary: DeliverySummary;
  /** The request's kept headers (see resend.ts: never cookies or credentials). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as received: all that is kept (its text and events are made again on demand). */
  raw: Uint8Array | undefined;
}

/** Where the log tells what it adds (the journal beside a snapshot: delivery-journal.ts). */
export interface DeliveryRecorder {
  added(summary: DeliverySummary, raw: Uint8Array | undefined, headers: Readonly<Record<string, string>>): void;
  forwarded(id: number, result: ForwardResult): void;
}

/** What a kept body parses to, as the receiver parsed it. */
export type Reparse = (raw: Uint8Array) => { events: CoexistenceEvent[]; issues: ParseIssue[] };

/**
 * The recent deliveries. Only the raw bodies are kept (their text and events are made again when a
 * delivery is opened), so the byte budget counts exactly what is held; refused deliveries (anything
 * but 200) have a budget of their own, so unsigned junk never pushes accepted deliveries out.
 */
export class DeliveryLog {
  private readonly stored: Stored[] = [];
  private next = 1;
  private readonly kept = { accepted: 0, refused: 0 };
  private journal: DeliveryRecorder | undefined;

  /**
   * @param reparse - how a kept body is parsed again when it is opened.
   * @param capacity - how many summaries to keep.
   * @param byteBudget - how many bytes of accepted bodies to keep (the newest first).
   * @param refusedBudget - how many bytes of refused bodies to keep.
   */
  constructor(
    private readonly reparse: Reparse,
    private readonly capacity = 500,
    private readonly byteBudget = 32 * 1024 * 1024,
    private readonly refusedBudget = 4 * 1024 * 1024,
  ) {}

  /** Records a delivery; returns its summary. */
  add(
    method: string,
    outcome: WebhookOutcome,
    signed: boolean,
    raw: Uint8Array | undefined,
    unplaced: string[] = [],
    headers: Readonly<Record<string, string>> = {},
  ): DeliverySummary {
    const summary: DeliverySummary = {
      id: this.next++,
      at: new Date().toISOString(),
      method,
      status: outcome.status,
      answer: outcome.status === 200 || outcome.body.length > 300 ? "" : outcome.body,
      signature: verdictOf(method, outcome, signed),
      ...(outcome.reason === undefined ? {} : { signatureFailure: outcome.reason }),
      fields: fieldsOf(outcome.events),
      types: [...new Set(outcome.events.map((event) => event.type))].sort(),
      events: outcome.events.length,
      issues: outcome.issues.length,
      unplaced,
      bytes: raw?.byteLength ?? 0,
    };
    this.keep(summary, raw, headers);
    this.journal?.added(summary, raw, headers);
    return summary;
  }

  /**
   * Takes back a delivery a journal kept (on start), within the same capacity and budgets.
   *
   * @param forward - what the app answered, when the journal has it.
   */
  restore(summary: DeliverySummary, raw: Uint8Array | undefined, headers: Readonly<Record<string, string>>): void {
    this.keep({ ...summary, bytes: raw?.byteLength ?? 0 }, raw, headers);
    this.next = Math.max(this.next, summary.id + 1);
  }

  /** Every delivery kept, oldest first, as a journal rewrites them. */
  entries(): readonly { summary: DeliverySummary; raw: Uint8Array | undefined; headers: Readonly<Record<string, string>> }[] {
    return this.stored;
  }

  /** Journals what is added from now on (`serve --snapshot`: deliveries survive a restart). */
  journalTo(journal: DeliveryRecorder): void {
    this.journal = journal;
  }

  private keep(summary: DeliverySummary, raw: Uint8Array | undefined, headers: Readonly<Record<string, string>>): void {
    const entry: Stored = { summary, raw, headers };
    this.stored.push(entry);
    const pool = poolOf(summary);
    this.kept[pool] += summary.bytes;
    if (this.stored.length > this.capacity) this.forget(this.stored.shift() as Stored);
    const budget = pool === "accepted" ? this.byteBudget : this.refusedBudget;
    for (const old of this.stored) {
      if (this.kept[pool] <= budget) break;
      if (old.raw !== undefined && old !== entry && poolOf(old.summary) === pool) this.forget(old);
    }
  }

  /** How many body bytes are kept now, accepted and refused. */
  keptBytes(): { readonly accepted: number; readonly refused: number } {
    return { ...this.kept };
  }

  private forget(entry: Stored): void {
    if (entry.raw === undefined) return;
    this.kept[poolOf(entry.summary)] -= entry.summary.bytes;
    entry.raw = undefined;
  }

  /** Every summary kept, newest first. */
  summaries(): DeliverySummary[] {
    return this.stored.map((entry) => entry.summary).reverse();
  }

  /** Keeps what the app answered to a forwarded delivery; returns the updated summary (`undefined` once forgotten). */
  attachForward(id: number, forward: ForwardResult): DeliverySummary | undefined {
    const entry = this.stored.find((each) => each.summary.id === id);
    if (entry === undefined) return undefined;
    entry.summary = { ...entry.summary, forward };
    this.journal?.forwarded(id, forward);
    return entry.summary;
  }

  /** One delivery in full, or `undefined` when it is not kept. */
  detail(id: number): DeliveryDetail | undefined {
    const entry = this.stored.find((each) => each.summary.id === id);
    if (entry === undefined) return undefined;
    const { raw, summary, headers } = entry;
    if (raw === undefined) return { ...summary, headers, body: undefined, parsed: undefined, issueList: undefined };
    // A body the receiver parsed (200, or 400 for one that did not parse) is parsed again; others never were.
    const parsed = summary.status === 200 || summary.status === 400 ? this.reparse(raw) : { events: [], issues: [] };
    return { ...summary, headers, body: new TextDecoder().decode(raw), parsed: parsed.events, issueList: parsed.issues };
  }

  /** A kept delivery's raw body and headers, to send again; `undefined` once its body is not kept. */
  resendable(id: number): { readonly raw: Uint8Array; readonly headers: Readonly<Record<string, string>> } | undefined {
    const entry = this.stored.find((each) => each.summary.id === id);
    return entry?.raw === undefined ? undefined : { raw: entry.raw, headers: entry.headers };
  }
}

/** Which budget a delivery's body counts against. */
function poolOf(summary: DeliverySummary): "accepted" | "refused" {
  return summary.status === 200 ? "accepted" : "refused";
}
