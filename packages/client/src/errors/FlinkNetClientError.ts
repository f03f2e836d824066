/**
 * @module
 * The base of every error the SDK throws on purpose, so a caller can tell
 * "the SDK gave up" from a bug in their own code with one check.
 */

// A registered symbol survives the dual-package hazard (ESM and CJS copies of
// the SDK in one process), where `instanceof` would not.
const BRAND = Symbol.for('flinknet.client.error');

/** Base class of FlinkNetError, TimeoutError, NetworkError and UnexpectedStatusError. */
export class FlinkNetClientError extends Error {
  readonly [BRAND] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** True for any error thrown by the SDK on purpose (API, timeout, network, unexpected status). */
export function isFlinkNetClientError(error: unknown): error is FlinkNetClientError {
  return (
    typeof error === 'object' && error !== null && (error as { [BRAND]?: unknown })[BRAND] === true
  );
}
