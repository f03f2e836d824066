/**
 * @module
 * Failures of talking to the JobManager, one class per thing a caller acts on.
 */

/** The JobManager did not answer (refused, reset, timed out): retry with backoff. */
export class JobManagerUnreachableError extends Error {
  override readonly name = 'JobManagerUnreachableError';
  constructor(url: string, cause: unknown) {
    super(`JobManager unreachable at ${url}: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
    });
  }
}

/** The JobManager answered with an error status or a body that breaks the contract. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    message: string,
    /** HTTP status, or 0 when the status was fine but the body was not. */
    readonly status: number,
  ) {
    super(message);
  }
}

/** True for failures that retrying later can cure: network trouble and 5xx/429 answers. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof JobManagerUnreachableError) return true;
  return error instanceof ProtocolError && (error.status >= 500 || error.status === 429);
}
