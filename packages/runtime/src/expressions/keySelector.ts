/**
 * @module
 * Key selectors of keyed edges: `field:<name>` (an own field of the record,
 * dotted paths allowed) or `expr:<CEL expression>`.
 */
import { compileExpression, ExpressionError, RecordRejectedError } from './compileExpression';

export type KeySelector = (value: unknown) => unknown;

/** Compiles a serializedKeySelector once; the function throws RecordRejectedError for a record without a usable key. */
export function compileKeySelector(serialized: string): KeySelector {
  if (serialized.startsWith('field:')) {
    const path = serialized.slice('field:'.length).split('.');
    if (
      path.some(
        (part) =>
          part === '' || part === '__proto__' || part === 'constructor' || part === 'prototype',
      )
    ) {
      throw new ExpressionError(`invalid key selector ${JSON.stringify(serialized)}`);
    }
    return (value) => {
      let current: unknown = value;
      for (const part of path) {
        if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) {
          throw new RecordRejectedError(`record has no field "${path.join('.')}" to key by`);
        }
        current = (current as Record<string, unknown>)[part];
      }
      return checkKey(current);
    };
  }
  if (serialized.startsWith('expr:')) {
    const expression = compileExpression(serialized.slice('expr:'.length));
    return (value) => checkKey(expression(value));
  }
  throw new ExpressionError(
    `key selector must be "field:<name>" or "expr:<expression>", got ${JSON.stringify(serialized)}`,
  );
}

function checkKey(key: unknown): unknown {
  if (key === undefined || key === null)
    throw new RecordRejectedError('the key of the record is null');
  return key;
}
