/**
 * @module
 * Operator `filter`: keeps the records for which `expression` is true; a
 * result that is not a boolean rejects the record.
 */
import type { OperatorFunctionDefinition } from '../api';
import { compileExpression, RecordRejectedError } from '../expressions/compileExpression';
import { readProperties } from './properties';

export const filterOperator: OperatorFunctionDefinition = {
  operatorType: 'Operator',
  typeName: 'filter',
  description: 'Keeps records for which a boolean CEL expression is true',
  create(ctx) {
    const source = readProperties(ctx.stepName, ctx.properties).string('expression');
    const expression = compileExpression(source);
    return {
      processRecord(value, key, out) {
        const keep = expression(value, key);
        if (keep === true) out.emit(value);
        else if (keep !== false)
          throw new RecordRejectedError(
            `filter expression returned ${JSON.stringify(keep)}, not a boolean`,
          );
      },
    };
  },
};
