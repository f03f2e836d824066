/**
 * @module
 * A closure compiler for the common subset of CEL, over the AST that
 * cel-js has already parsed and checked: field access, literals, comparison,
 * arithmetic, logic, ternaries, list and map literals, `in`, `size`, `has`,
 * string tests and `fail`. The closures evaluate ~10x faster than walking the
 * AST per record. Numbers are JSON numbers (doubles) throughout. Anything
 * outside the subset returns null and the expression runs on cel-js itself.
 * codegen.ts inlines the hottest part of this subset and calls these
 * closures for the rest.
 */
import { RecordRejectedError } from './errors';

/** A node of cel-js's AST. */
export interface Node {
  op: string;
  args: unknown;
}

export interface Scope {
  value: unknown;
  key: unknown;
}

export type Eval = (scope: Scope) => unknown;

/** Thrown while compiling when a node leaves the supported subset. */
export class Unsupported extends Error {}

/** Rejects the current record with `message`. */
export function reject(message: string): never {
  throw new RecordRejectedError(message);
}

/** CEL's name of a JSON value's type, for error messages. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'object') return 'map';
  return typeof v;
}

/** True for an object literal or JSON object (no class instances, no arrays). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Reads an own field or list element, rejecting the record when it is missing. */
export function field(target: unknown, name: unknown): unknown {
  if (Array.isArray(target)) {
    if (typeof name !== 'number' || !Number.isInteger(name))
      reject(`list index must be an integer, got ${typeName(name)}`);
    if (name < 0 || name >= target.length) reject(`index out of range: ${name}`);
    return target[name];
  }
  if (target === null || typeof target !== 'object')
    reject(`cannot select "${String(name)}" from ${typeName(target)}`);
  const key = typeof name === 'string' ? name : String(name);
  // Own data only: nothing reachable through a prototype (constructor, __proto__, methods).
  if (!Object.hasOwn(target, key)) reject(`No such key: ${key}`);
  return (target as Record<string, unknown>)[key];
}

/** CEL equality of two JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bl = b as unknown[];
    return a.length === bl.length && a.every((x, i) => deepEqual(x, bl[i]));
  }
  const ak = Object.keys(a);
  const bo = b as Record<string, unknown>;
  return (
    ak.length === Object.keys(bo).length &&
    ak.every((k) => Object.hasOwn(bo, k) && deepEqual((a as Record<string, unknown>)[k], bo[k]))
  );
}

/** A CEL literal as a JSON value; Unsupported for bytes and other kinds. */
export function literal(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    return v;
  throw new Unsupported();
}

/** Rejects an ordering between values that are not both numbers or both strings. */
export function comparable(a: unknown, b: unknown, op: string): void {
  const ta = typeof a;
  if (ta !== typeof b || (ta !== 'number' && ta !== 'string'))
    reject(`no such overload: ${typeName(a)} ${op} ${typeName(b)}`);
}

/** Rejects arithmetic unless both operands are numbers. */
export function numbers(a: unknown, b: unknown, op: string): void {
  if (typeof a !== 'number' || typeof b !== 'number')
    reject(`no such overload: ${typeName(a)} ${op} ${typeName(b)}`);
}

/** Rejects a non-boolean operand of a logical operator. */
export function bool(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') reject(`${what} needs a bool, got ${typeName(v)}`);
  return v;
}

/** Compiles one AST node to a closure; throws Unsupported outside the subset. */
export function compileNode(node: Node): Eval {
  const args = node.args as unknown[];
  switch (node.op) {
    case 'value': {
      const v = literal(node.args);
      return () => v;
    }
    case 'id':
      if (node.args === 'value') return (s) => s.value;
      if (node.args === 'key') return (s) => s.key;
      throw new Unsupported();
    case '.': {
      const targetNode = args[0] as Node;
      const name = args[1];
      if (typeof name !== 'string') throw new Unsupported();
      // The hot path of every expression: inlined own-field reads, `field` only for errors and lists.
      if (targetNode.op === 'id' && targetNode.args === 'value') {
        return (s) => {
          const t = s.value;
          if (typeof t === 'object' && t !== null && Object.hasOwn(t, name) && !Array.isArray(t)) {
            return (t as Record<string, unknown>)[name];
          }
          return field(t, name);
        };
      }
      const target = compileNode(targetNode);
      return (s) => {
        const t = target(s);
        if (typeof t === 'object' && t !== null && Object.hasOwn(t, name) && !Array.isArray(t)) {
          return (t as Record<string, unknown>)[name];
        }
        return field(t, name);
      };
    }
    case '[]': {
      const target = compileNode(args[0] as Node);
      const index = compileNode(args[1] as Node);
      return (s) => field(target(s), index(s));
    }
    case '==':
    case '!=': {
      const a = compileNode(args[0] as Node);
      const b = compileNode(args[1] as Node);
      const negate = node.op === '!=';
      return (s) => {
        const x = a(s);
        const y = b(s);
        const equal =
          x === y || (typeof x === 'object' && typeof y === 'object' && deepEqual(x, y));
        return negate ? !equal : equal;
      };
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const a = compileNode(args[0] as Node);
      const b = compileNode(args[1] as Node);
      const op = node.op;
      return op === '<'
        ? (s) => {
            const x = a(s);
            const y = b(s);
            comparable(x, y, op);
            return (x as number) < (y as number);
          }
        : op === '<='
          ? (s) => {
              const x = a(s);
              const y = b(s);
              comparable(x, y, op);
              return (x as number) <= (y as number);
            }
          : op === '>'
            ? (s) => {
                const x = a(s);
                const y = b(s);
                comparable(x, y, op);
                return (x as number) > (y as number);
              }
            : (s) => {
                const x = a(s);
                const y = b(s);
                comparable(x, y, op);
                return (x as number) >= (y as number);
              };
    }
    case '+': {
      const a = compileNode(args[0] as Node);
      const b = compileNode(args[1] as Node);
      return (s) => {
        const x = a(s);
        const y = b(s);
        if (typeof x === 'number' && typeof y === 'number') return x + y;
        if (typeof x === 'string' && typeof y === 'string') return x + y;
        if (Array.isArray(x) && Array.isArray(y)) return [...x, ...y];
        return reject(`no such overload: ${typeName(x)} + ${typeName(y)}`);
      };
    }
    case '-':
    case '*':
    case '/':
    case '%': {
      const a = compileNode(args[0] as Node);
      const b = compileNode(args[1] as Node);
      const op = node.op;
      const fn =
        op === '-'
          ? (x: number, y: number) => x - y
          : op === '*'
            ? (x: number, y: number) => x * y
            : op === '/'
              ? (x: number, y: number) => (y === 0 ? reject('division by zero') : x / y)
              : (x: number, y: number) => (y === 0 ? reject('modulus by zero') : x % y);
      return (s) => {
        const x = a(s);
        const y = b(s);
        numbers(x, y, op);
        return fn(x as number, y as number);
      };
    }
    case '&&':
    case '||': {
      const a = compileNode(args[0] as Node);
      const b = compileNode(args[1] as Node);
      const and = node.op === '&&';
      return (s) => {
        // CEL's commutative logic: an error on one side is absorbed when the other side decides.
        let x: unknown;
        try {
          x = a(s);
        } catch (error) {
          if (bool(b(s), node.op) === !and) return !and;
          throw error;
        }
        if (bool(x, node.op) === !and) return !and;
        return bool(b(s), node.op);
      };
    }
    case '!_': {
      const a = compileNode(node.args as Node);
      return (s) => !bool(a(s), '!');
    }
    case '-_': {
      const a = compileNode(node.args as Node);
      return (s) => {
        const x = a(s);
        if (typeof x !== 'number') reject(`no such overload: -${typeName(x)}`);
        return -x;
      };
    }
    case '?:': {
      const c = compileNode(args[0] as Node);
      const t = compileNode(args[1] as Node);
      const f = compileNode(args[2] as Node);
      return (s) => (bool(c(s), 'ternary condition') ? t(s) : f(s));
    }
    case 'list': {
      const items = args.map((n) => compileNode(n as Node));
      return (s) => items.map((item) => item(s));
    }
    case 'map': {
      const entries = (args as unknown as Array<[Node, Node]>).map(
        ([k, v]) => [compileNode(k), compileNode(v)] as const,
      );
      const count = entries.length;
      return (s) => {
        const out: Record<string, unknown> = {};
        for (let i = 0; i < count; i++) {
          const entry = entries[i]!;
          const key = entry[0](s);
          if (typeof key !== 'string')
            reject(`map keys must be strings here, got ${typeName(key)}`);
          // Plain assignment keeps V8's fast object shapes; only "__proto__" needs defineProperty.
          if (key === '__proto__') {
            Object.defineProperty(out, key, {
              value: entry[1](s),
              enumerable: true,
              writable: true,
              configurable: true,
            });
          } else out[key] = entry[1](s);
        }
        return out;
      };
    }
    case 'in': {
      const a = compileNode(args[0] as Node);
      const b = compileNode(args[1] as Node);
      return (s) => {
        const x = a(s);
        const y = b(s);
        if (Array.isArray(y)) return y.some((item) => item === x || deepEqual(item, x));
        if (isPlainObject(y)) return typeof x === 'string' && Object.hasOwn(y, x);
        return reject(`no such overload: ${typeName(x)} in ${typeName(y)}`);
      };
    }
    case 'call': {
      const [name, callArgs] = args as [string, Node[]];
      if (name === 'fail' && callArgs.length === 1) {
        const reason = compileNode(callArgs[0]!);
        return (s) => {
          const r = reason(s);
          throw new RecordRejectedError(typeof r === 'string' ? r : JSON.stringify(r));
        };
      }
      if (name === 'has' && callArgs.length === 1 && callArgs[0]!.op === '.') {
        const [targetNode, fieldName] = callArgs[0]!.args as [Node, string];
        const target = compileNode(targetNode);
        return (s) => {
          const t = target(s);
          if (!isPlainObject(t)) reject(`has() needs a map, got ${typeName(t)}`);
          return Object.hasOwn(t, fieldName);
        };
      }
      if (name === 'size' && callArgs.length === 1) {
        const a = compileNode(callArgs[0]!);
        return (s) => {
          const x = a(s);
          if (typeof x === 'string') return [...x].length;
          if (Array.isArray(x)) return x.length;
          if (isPlainObject(x)) return Object.keys(x).length;
          return reject(`no such overload: size(${typeName(x)})`);
        };
      }
      throw new Unsupported();
    }
    case 'rcall': {
      const [name, receiver, callArgs] = args as [string, Node, Node[]];
      if (
        (name === 'startsWith' || name === 'endsWith' || name === 'contains') &&
        callArgs.length === 1
      ) {
        const r = compileNode(receiver);
        const a = compileNode(callArgs[0]!);
        return (s) => {
          const x = r(s);
          const y = a(s);
          if (typeof x !== 'string' || typeof y !== 'string')
            reject(`no such overload: ${typeName(x)}.${name}(${typeName(y)})`);
          return name === 'startsWith'
            ? x.startsWith(y)
            : name === 'endsWith'
              ? x.endsWith(y)
              : x.includes(y);
        };
      }
      throw new Unsupported();
    }
    default:
      throw new Unsupported();
  }
}

/** Compiles the AST to closures, or returns null when it leaves the supported subset. */
export function compileFastPath(ast: unknown): Eval | null {
  try {
    return compileNode(ast as Node);
  } catch (error) {
    if (error instanceof Unsupported || error instanceof TypeError) return null;
    throw error;
  }
}
