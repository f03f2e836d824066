/**
 * @module
 * Timestamps as stored: `Date#toISOString` UTC text, which sorts as time.
 */
import { InvalidInputError } from '../errors';

/** Normalises an ISO-8601 time (any offset) to the stored UTC form; `field` names it in the error. */
export function toStoredTime(value: string, field: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new InvalidInputError(`${field} is not an ISO-8601 time: ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}
