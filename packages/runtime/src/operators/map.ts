/**
 * @module
 * Operator `map`: emits the value of `expression` for each record.
 */
import type { OperatorFunctionDefinition } from '../api';
import { compileExpression } from '../expressions/compileExpression';
import { readProperties } from './properties';

export const mapOperator: OperatorFunctionDefinition = {
  operatorType: 'Operator',
  typeName: 'map',
  description: 'Emits the value of a CEL expression over `value` (and `key`)',
  create(ctx) {
    const expression = compileExpression(
      readProperties(ctx.stepName, ctx.properties).string('expression'),
    );
    return {
      processRecord(value, key, out) {
        out.emit(expression(value, key));
      },
    };
  },
};
