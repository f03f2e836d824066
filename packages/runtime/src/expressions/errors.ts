/**
 * @module
 * Errors of the expression language.
 */

/** Thrown by `fail("reason")` or a failing expression: the record is rejected with that reason. */
export class RecordRejectedError extends Error {
  override readonly name = 'RecordRejectedError';
}

/** The expression does not parse or type-check. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
}
