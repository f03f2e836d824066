/**
 * @module
 * Retry pacing for an unreachable JobManager.
 */

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
}

/** Delay before retry number `failures` (1-based): doubling from 100 ms, capped at 2 s. */
export function backoffDelay(failures: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? 100;
  const max = options.maxMs ?? 2000;
  if (failures < 1) return 0;
  return Math.min(max, initial * 2 ** Math.min(failures - 1, 30));
}

/** Resolves after `ms`, or early (without error) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Calls `fn` up to `attempts` times, backing off between tries while `retryable(error)` holds. */
export async function retry<T>(
  fn: () => Promise<T>,
  attempts: number,
  retryable: (error: unknown) => boolean,
): Promise<T> {
  for (let failures = 1; ; failures++) {
    try {
      return await fn();
    } catch (error) {
      if (failures >= attempts || !retryable(error)) throw error;
      await sleep(backoffDelay(failures));
    }
  }
}
