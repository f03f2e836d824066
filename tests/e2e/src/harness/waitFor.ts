/**
 * @module
 * Waiting on conditions with a deadline instead of sleeping.
 */

/** Thrown by a probe when waiting longer cannot help (e.g. the job already FAILED). */
export class StopWaiting extends Error {
  override readonly name = 'StopWaiting';
}

/** Polls `probe` every 20 ms until it returns a truthy value (which is returned) or the deadline passes. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      if (error instanceof StopWaiting) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
