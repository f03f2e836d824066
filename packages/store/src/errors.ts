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

/** An argument the repository cannot use (a bad limit, an unparsable time); the message names it. */
export class InvalidInputError extends StoreError {
  override name = 'InvalidInputError';
  constructor(message: string) {
    super(message, 'INVALID_INPUT');
  }
}

/** A row with this id (job, idempotency key, token) already exists; the driver's error is on `cause`. */
export class AlreadyExistsError extends StoreError {
  override name = 'AlreadyExistsError';
  constructor(what: string, id: string, options?: { cause?: unknown }) {
    super(`${what} ${id} already exists`, 'ALREADY_EXISTS', options);
  }
}

/** A checkpoint that cannot take this step: completing a failed one, failing a completed one, completing before every task acknowledged. */
export class CheckpointStateError extends StoreError {
  override name = 'CheckpointStateError';
  constructor(
    readonly jobId: string,
    readonly checkpointId: number,
    detail: string,
  ) {
    super(`checkpoint ${checkpointId} of job ${jobId} ${detail}`, 'CHECKPOINT_STATE');
  }
}

/** True for any error the repository threw on purpose (as opposed to a driver failure). */
export function isStoreError(error: unknown): error is StoreError {
  return error instanceof StoreError;
}
