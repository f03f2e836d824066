/**
 * @module
 * Errors the repository throws that a caller can act on.
 */
import type { JobState } from '@flinknet/contracts';

/** Base class of repository errors; the driver's error, if any, is on `cause`. */
export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The row the caller named does not exist. */
export class NotFoundError extends StoreError {
  override name = 'NotFoundError';
  constructor(what: string, id: string | number) {
    super(`${what} ${id} not found`, 'NOT_FOUND');
  }
}

/** A transition the state machine or the caller's `from` does not allow. */
export class IllegalTransitionError extends StoreError {
  override name = 'IllegalTransitionError';
  constructor(
    readonly jobId: string,
    readonly state: JobState,
    readonly to: JobState,
  ) {
    super(`job ${jobId} is ${state} and cannot move to ${to}`, 'ILLEGAL_STATE');
  }
}

/** A cursor that this list did not issue. */
export class InvalidCursorError extends StoreError {
  override name = 'InvalidCursorError';
  constructor() {
    super('invalid cursor', 'INVALID_CURSOR');
  }
}
