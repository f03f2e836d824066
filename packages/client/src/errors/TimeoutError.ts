/**
 * @module
 * The call (all attempts included) or a wait did not finish in time.
 */
import { FlinkNetClientError } from './FlinkNetClientError';

/** Thrown when `timeoutMs` of a call or of `waitForStatus` runs out. */
export class TimeoutError extends FlinkNetClientError {
  readonly timeoutMs: number;

  constructor(what: string, timeoutMs: number) {
    super(`${what} timed out after ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}
