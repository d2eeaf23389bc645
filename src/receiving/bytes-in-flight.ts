/**
 * The bytes of request bodies held in memory at once, across every handler of the process: a
 * forged flood (bodies with wrong signatures are read before they can be judged) must not exhaust
 * memory. A request that would go past the bound is answered 503 with `Retry-After`, and Meta
 * retries it later.
 *
 * @module
 */

/**
 * The default bound on body bytes held at once: 16 bodies of the default 4 MiB `maxBytes`.
 *
 * @example
 * ```ts
 * createNodeHandler({ secret, maxBytesInFlight: DEFAULT_MAX_BYTES_IN_FLIGHT / 2 });
 * ```
 */
export const DEFAULT_MAX_BYTES_IN_FLIGHT = 64 * 1024 * 1024;

let held = 0;

/**
 * How many body bytes the handlers hold right now (for monitoring and tests).
 *
 * @example
 * ```ts
 * metrics.gauge("webhook_body_bytes_in_flight", bytesInFlight());
 * ```
 */
export function bytesInFlight(): number {
  return held;
}

/**
 * Whether a body of `bytes` could be read now under `bound` (nothing is taken): a request that
 * declares a length past it is answered before it is read.
 *
 * @example
 * ```ts
 * fitsInFlight(Number(request.headers["content-length"]), DEFAULT_MAX_BYTES_IN_FLIGHT);
 * ```
 */
export function fitsInFlight(bytes: number, bound: number): boolean {
  return held + bytes <= bound;
}

/**
 * One request's share of the bound: bytes are taken as they are read, and all given back once the
 * request is answered.
 *
 * @example
 * ```ts
 * const budget = new BodyBudget(DEFAULT_MAX_BYTES_IN_FLIGHT);
 * if (!budget.take(chunk.byteLength)) answer503();
 * budget.release();
 * ```
 */
export class BodyBudget {
  private taken = 0;
  /** Whether a `take` was refused: the request is answered 503. */
  refused = false;

  /** @param bound - the most bytes all requests together may hold. */
  constructor(private readonly bound: number) {}

  /** Takes `bytes` more; `false` (and nothing taken) when that would pass the bound. */
  take(bytes: number): boolean {
    if (!(held + bytes <= this.bound)) {
      this.refused = true;
      return false;
    }
    held += bytes;
    this.taken += bytes;
    return true;
  }

  /** Gives back everything this request took (once; later calls do nothing). */
  release(): void {
    held -= this.taken;
    this.taken = 0;
  }
}
