/**
 * @module
 * Slows down repeated authentication failures from one address: after
 * `freeFailures` failures inside `windowMs`, each further attempt waits
 * longer (doubling up to `maxDelayMs`), so guessing tokens is impractical
 * while a legitimate client that mistyped once is not hurt.
 */

export interface FailureThrottleOptions {
  /** Failures allowed without delay inside the window. Default 5. */
  freeFailures?: number;
  /** How long failures are remembered. Default 60 s. */
  windowMs?: number;
  /** Upper bound of the delay. Default 2 s. */
  maxDelayMs?: number;
  /** Addresses tracked at most (oldest dropped first). Default 10,000. */
  maxAddresses?: number;
  now?: () => number;
}

interface Entry {
  failures: number;
  firstAt: number;
}

/** Tracks auth failures per address and says how long to delay the next answer. */
export class FailureThrottle {
  readonly #entries = new Map<string, Entry>();
  readonly #options: Required<FailureThrottleOptions>;

  constructor(options: FailureThrottleOptions = {}) {
    this.#options = {
      freeFailures: 5,
      windowMs: 60_000,
      maxDelayMs: 2_000,
      maxAddresses: 10_000,
      now: Date.now,
      ...options,
    } satisfies Required<FailureThrottleOptions>;
  }

  /** Milliseconds to wait before answering this address (0 when it has not failed much). */
  delayFor(address: string): number {
    const entry = this.#current(address);
    if (!entry) return 0;
    const excess = entry.failures - this.#options.freeFailures;
    if (excess < 0) return 0;
    return Math.min(this.#options.maxDelayMs, 100 * 2 ** Math.min(excess, 16));
  }

  /** Records a failed authentication. */
  fail(address: string): void {
    const entry = this.#current(address);
    if (entry) {
      entry.failures++;
      return;
    }
    if (this.#entries.size >= this.#options.maxAddresses) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(address, { failures: 1, firstAt: this.#options.now() });
  }

  /** A success forgets the address's failures. */
  succeed(address: string): void {
    this.#entries.delete(address);
  }

  #current(address: string): Entry | undefined {
    const entry = this.#entries.get(address);
    if (entry && this.#options.now() - entry.firstAt > this.#options.windowMs) {
      this.#entries.delete(address);
      return undefined;
    }
    return entry;
  }
}
