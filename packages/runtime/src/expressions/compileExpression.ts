/**
 * @module
 * The sandboxed expression language of map, filter, flat-map, key-by and
 * dedupe: CEL (Common Expression Language) through @marcbachmann/cel-js. An
 * expression is parsed once per task into an AST interpreter; it sees only
 * `value` (and `key` on keyed steps) and the function `fail(reason)`. CEL has
 * no access to globals, `process`, `require` or prototypes: member access only
 * reads own fields of plain data, and unknown identifiers are compile errors.
 *
 * JSON numbers are JS doubles while CEL literals are ints, so the environment
 * adds mixed double/int arithmetic and equality (`value.seq % 2 == 0` works),
 * and results are converted back to plain JSON values (ints to numbers).
 * The common subset runs as generated JavaScript or compiled closures (see
 * codegen.ts and fastPath.ts); the rest is interpreted by cel-js.
 */
import { Environment } from '@marcbachmann/cel-js';
import { generateExpression } from './codegen';
import { ExpressionError, RecordRejectedError } from './errors';
import { compileFastPath, compileNode } from './fastPath';

export { ExpressionError, RecordRejectedError };

/** A compiled expression: evaluates against one record. */
export type CompiledExpression = (value: unknown, key?: unknown) => unknown;

const MAX_EXPRESSION_LENGTH = 4000;

function buildEnvironment(): Environment {
  const env = new Environment({
    homogeneousAggregateLiterals: false,
    limits: {
      maxAstNodes: 2000,
      maxDepth: 64,
      maxListElements: 1000,
      maxMapEntries: 1000,
      maxCallArguments: 16,
    },
  })
    .registerVariable('value', 'dyn')
    .registerVariable('key', 'dyn')
    .registerFunction('fail(string): dyn', (reason: string) => {
      throw new RecordRejectedError(reason);
    });
  const num = (x: unknown): number => Number(x);
  const arithmetic: Array<[string, (a: number, b: number) => unknown]> = [
    ['+', (a, b) => a + b],
    ['-', (a, b) => a - b],
    ['*', (a, b) => a * b],
    ['/', (a, b) => a / b],
    ['%', (a, b) => a % b],
    ['==', (a, b) => a === b],
    ['!=', (a, b) => a !== b],
  ];
  const register = (signature: string, handler: (a: unknown, b: unknown) => unknown) => {
    try {
      env.registerOperator(signature, handler);
    } catch {
      // Already built in (e.g. `int == double`): CEL's own overload stays.
    }
  };
  for (const [op, fn] of arithmetic) {
    register(`double ${op} int`, (a, b) => fn(num(a), num(b)));
    register(`int ${op} double`, (a, b) => fn(num(a), num(b)));
  }
  // `%` on doubles is not in CEL; JSON integers arrive as doubles.
  register('double % double', (a, b) => num(a) % num(b));
  return env;
}

let sharedEnvironment: Environment | null = null;

/**
 * Compiles a CEL expression once; the returned function evaluates it for a
 * record. Throws ExpressionError when it does not parse.
 * @example compileExpression('value.seq % 2 == 0')({ seq: 4 }) // true
 */
export function compileExpression(source: string): CompiledExpression {
  if (typeof source !== 'string' || source.trim() === '')
    throw new ExpressionError('expression must be a non-empty string');
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  }
  sharedEnvironment ??= buildEnvironment();
  let program: (context: Record<string, unknown>) => unknown;
  try {
    program = sharedEnvironment.parse(source) as unknown as (
      context: Record<string, unknown>,
    ) => unknown;
  } catch (error) {
    throw new ExpressionError(`invalid expression ${JSON.stringify(source)}: ${firstLine(error)}`);
  }
  // Type-check once: unknown identifiers (process, globalThis, ...) and functions (require, eval) are refused here.
  const checked = sharedEnvironment.check(source) as { valid: boolean; error?: unknown };
  if (!checked.valid)
    throw new ExpressionError(
      `invalid expression ${JSON.stringify(source)}: ${firstLine(checked.error)}`,
    );
  // One context object per compiled expression: no allocation per record.
  const context: Record<string, unknown> = { value: null, key: null };
  const ast = (program as unknown as { ast: unknown }).ast;
  const generated = generateExpression(ast, compileNode);
  // No wrapper: the generated function is what the operators call per record.
  if (generated !== null) return generated;
  const fast = compileFastPath(ast);
  if (fast !== null) {
    const scope = { value: null as unknown, key: null as unknown };
    return (value: unknown, key?: unknown): unknown => {
      scope.value = value;
      scope.key = key ?? null;
      return fast(scope);
    };
  }
  return (value: unknown, key?: unknown): unknown => {
    context.value = value;
    context.key = key ?? null;
    let result: unknown;
    try {
      result = program(context);
    } catch (error) {
      if (error instanceof RecordRejectedError) throw error;
      const cause = (error as { cause?: unknown }).cause;
      if (cause instanceof RecordRejectedError) throw cause;
      throw new RecordRejectedError(
        `expression ${JSON.stringify(source)} failed: ${firstLine(error)}`,
      );
    }
    return toPlain(result);
  };
}

/** Converts CEL results (bigint ints, Maps) to plain JSON values. */
export function toPlain(value: unknown): unknown {
  switch (typeof value) {
    case 'bigint':
      return Number(value);
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        let copy: unknown[] | null = null;
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          const plain = typeof item === 'object' || typeof item === 'bigint' ? toPlain(item) : item;
          if (plain !== item) {
            copy ??= value.slice();
            copy[i] = plain;
          }
        }
        return copy ?? value;
      }
      if (value instanceof Map) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of value) out[String(k)] = toPlain(v);
        return out;
      }
      if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      if (value instanceof Date) return value.toISOString();
      let copy: Record<string, unknown> | null = null;
      for (const k of Object.keys(value)) {
        const item = (value as Record<string, unknown>)[k];
        const plain = typeof item === 'object' || typeof item === 'bigint' ? toPlain(item) : item;
        if (plain !== item) {
          copy ??= { ...(value as Record<string, unknown>) };
          copy[k] = plain;
        }
      }
      return copy ?? value;
    }
    default:
      return value;
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
