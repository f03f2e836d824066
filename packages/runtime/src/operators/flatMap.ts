/**
 * @module
 * Operator `flat-map`: `expression` yields an array; each element becomes a
 * record. Without an expression the record itself must be an array.
 */
import type { OperatorFunctionDefinition } from '../api';
import { compileExpression, RecordRejectedError } from '../expressions/compileExpression';
import { readProperties } from './properties';

export const flatMapOperator: OperatorFunctionDefinition = {
  operatorType: 'Operator',
  typeName: 'flat-map',
  description:
    'Splits an array (a CEL expression, or the record itself) into one record per element',
  create(ctx) {
    const source = readProperties(ctx.stepName, ctx.properties).optionalString('expression');
    const expression = source === undefined ? null : compileExpression(source);
    return {
      processRecord(value, key, out) {
        const items = expression === null ? value : expression(value, key);
        if (!Array.isArray(items))
          throw new RecordRejectedError(`flat-map needs an array, got ${typeof items}`);
        for (const item of items) out.emit(item);
      },
    };
  },
};
