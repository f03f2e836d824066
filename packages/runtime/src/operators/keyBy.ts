/**
 * @module
 * Operator `key-by`: passes records on unchanged; the edge after it routes
 * them by the key of the step's outputKeying (`field:<name>`) or of its
 * `expression`, computed once per record by the output router.
 */
import type { OperatorFunctionDefinition } from '../api';
import { compileExpression } from '../expressions/compileExpression';

export const keyByOperator: OperatorFunctionDefinition = {
  operatorType: 'Operator',
  typeName: 'key-by',
  description: 'Keys records by outputKeying (field:<name>) or a CEL expression',
  create(ctx) {
    const expression = ctx.properties.expression;
    if (ctx.step.outputKeying === undefined) {
      if (typeof expression !== 'string' || expression === '') {
        throw new Error(
          `step "${ctx.stepName}": key-by needs outputKeying.serializedKeySelector or operatorProperties.expression`,
        );
      }
      // Compile here too, so a bad expression fails the step with its name.
      compileExpression(expression);
    }
    return {
      processRecord(value, _key, out) {
        out.emit(value);
      },
    };
  },
};
