/**
 * @module
 * Straight-line JavaScript for the hottest CEL subset: field access,
 * literals, arithmetic, comparisons, boolean logic, ternaries, list and map
 * literals and string concatenation become one generated function, so a
 * record costs a few property reads instead of a closure call per AST node.
 *
 * Safety: user text never reaches the generated source except as
 * `JSON.stringify`-escaped string literals (field names, map keys, string
 * constants); numbers are emitted only when finite, everything else goes
 * through a constants array. The only identifiers the source names are the
 * parameters `value` and `key`, temporaries `tN` and the helpers below. Every
 * field read checks `Object.hasOwn`, exactly as the closure path does, and
 * errors go through the same helpers, so both paths reject the same records
 * with the same messages. Nodes outside the subset are compiled by the
 * closure compiler (fastPath.ts) and called from the generated code.
 */
import { RecordRejectedError } from './errors';
import {
  bool,
  comparable,
  deepEqual,
  type Eval,
  field,
  literal,
  type Node,
  numbers,
  reject,
  typeName,
  Unsupported,
} from './fastPath';

/** A generated expression: evaluates one record (and its key on keyed steps; undefined reads as null). */
export type GeneratedExpression = (value: unknown, key?: unknown) => unknown;

/** Past this much source the closures are as good and the compile costs more. */
const MAX_SOURCE_LENGTH = 64_000;

function plus(x: unknown, y: unknown): unknown {
  if (Array.isArray(x) && Array.isArray(y)) return [...x, ...y];
  return reject(`no such overload: ${typeName(x)} + ${typeName(y)}`);
}

function negate(x: unknown): never {
  return reject(`no such overload: -${typeName(x)}`);
}

function fail(reason: unknown): never {
  throw new RecordRejectedError(typeof reason === 'string' ? reason : JSON.stringify(reason));
}

const HELPERS = {
  bool,
  comparable,
  deepEqual,
  fail,
  field,
  hasOwn: Object.hasOwn,
  isArray: Array.isArray,
  negate,
  numbers,
  plus,
  reject,
} as const;

const HELPER_NAMES = Object.keys(HELPERS);

/** A JS string literal for any text: the only way user text enters the source. */
function str(text: string): string {
  return JSON.stringify(text);
}

class Generator {
  constructor(private readonly compileClosure: (node: Node) => Eval) {}

  private lines: string[] = [];
  private temps = 0;
  /** Field reads already emitted on this path (`t0."seq"` -> temp): expressions are pure, so a repeat is the same value. */
  private reads = new Map<string, string>();
  usesKey = false;
  readonly closures: Eval[] = [];
  readonly constants: unknown[] = [];
  usesScope = false;

  /** Emits the statements of `node` and returns a side-effect-free JS operand holding its value. */
  operand(node: Node): string {
    const args = node.args as unknown[];
    switch (node.op) {
      case 'value':
        return this.constant(literal(node.args));
      case 'id':
        if (node.args === 'value') return 'value';
        if (node.args === 'key') {
          this.usesKey = true;
          return 'key';
        }
        throw new Unsupported();
      case '.': {
        const name = args[1];
        if (typeof name !== 'string') throw new Unsupported();
        const t = this.operand(args[0] as Node);
        const n = str(name);
        const seen = this.reads.get(`${t}.${n}`);
        if (seen !== undefined) return seen;
        const r = this.temp();
        this.reads.set(`${t}.${n}`, r);
        // Own data only, as in fastPath's `field`: nothing reachable through a prototype.
        this.emit(
          `if (typeof ${t} === "object" && ${t} !== null && !isArray(${t}) && hasOwn(${t}, ${n})) ${r} = ${t}[${n}]; else ${r} = field(${t}, ${n});`,
        );
        return r;
      }
      case '[]': {
        const index = args[1] as Node;
        // value["name"] reads like value.name; computed indexes (lists, keys) go to the closures.
        if (index.op === 'value' && typeof index.args === 'string')
          return this.operand({ op: '.', args: [args[0], index.args] });
        return this.closure(node);
      }
      case '==':
      case '!=': {
        const [an, bn] = args as [Node, Node];
        const a = this.operand(an);
        const b = this.operand(bn);
        const r = this.temp();
        // A primitive literal never deep-equals an object: identity decides.
        const equal =
          an.op === 'value' || bn.op === 'value'
            ? `${a} === ${b}`
            : `${a} === ${b} || (typeof ${a} === "object" && typeof ${b} === "object" && deepEqual(${a}, ${b}))`;
        this.emit(`${r} = ${node.op === '!=' ? `!(${equal})` : equal};`);
        return r;
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const a = this.operand(args[0] as Node);
        const b = this.operand(args[1] as Node);
        const r = this.temp();
        this.emit(
          `if (!(typeof ${a} === "number" && typeof ${b} === "number") && !(typeof ${a} === "string" && typeof ${b} === "string")) comparable(${a}, ${b}, ${str(node.op)});`,
        );
        this.emit(`${r} = ${a} ${node.op} ${b};`);
        return r;
      }
      case '+': {
        const a = this.operand(args[0] as Node);
        const b = this.operand(args[1] as Node);
        const r = this.temp();
        this.emit(
          `if ((typeof ${a} === "number" && typeof ${b} === "number") || (typeof ${a} === "string" && typeof ${b} === "string")) ${r} = ${a} + ${b}; else ${r} = plus(${a}, ${b});`,
        );
        return r;
      }
      case '-':
      case '*':
      case '/':
      case '%': {
        const [an, bn] = args as [Node, Node];
        const a = this.operand(an);
        const b = this.operand(bn);
        const r = this.temp();
        this.emit(
          `if (typeof ${a} !== "number" || typeof ${b} !== "number") numbers(${a}, ${b}, ${str(node.op)});`,
        );
        const literalDivisor = bn.op === 'value' && typeof literal(bn.args) === 'number';
        if ((node.op === '/' || node.op === '%') && !(literalDivisor && literal(bn.args) !== 0)) {
          const what = node.op === '/' ? 'division by zero' : 'modulus by zero';
          this.emit(`if (${b} === 0) reject(${str(what)});`);
        }
        this.emit(`${r} = ${a} ${node.op} ${b};`);
        return r;
      }
      case '&&':
      case '||':
        return this.logic(node.op, args[0] as Node, args[1] as Node);
      case '!_': {
        const a = this.operand(node.args as Node);
        const r = this.temp();
        this.emit(`if (typeof ${a} !== "boolean") bool(${a}, "!");`);
        this.emit(`${r} = !${a};`);
        return r;
      }
      case '-_': {
        const a = this.operand(node.args as Node);
        const r = this.temp();
        this.emit(`if (typeof ${a} !== "number") negate(${a});`);
        this.emit(`${r} = -${a};`);
        return r;
      }
      case '?:': {
        const c = this.operand(args[0] as Node);
        const r = this.temp();
        this.emit(`if (typeof ${c} !== "boolean") bool(${c}, "ternary condition");`);
        const whenTrue = this.block(args[1] as Node, r);
        const whenFalse = this.block(args[2] as Node, r);
        this.emit(`if (${c}) {`, ...whenTrue, '} else {', ...whenFalse, '}');
        return r;
      }
      case 'list': {
        const items = args.map((n) => this.operand(n as Node));
        const r = this.temp();
        this.emit(`${r} = [${items.join(', ')}];`);
        return r;
      }
      case 'map': {
        const entries = args as Array<[Node, Node]>;
        const constantKeys = entries.every(
          ([k]) => k.op === 'value' && typeof k.args === 'string' && k.args !== '__proto__',
        );
        if (!constantKeys) return this.closure(node);
        const values = entries.map(([, v]) => this.operand(v));
        const r = this.temp();
        // One object literal: V8 gives every record of this expression the same fast shape.
        const props = entries.map(([k], i) => `${str(k.args as string)}: ${values[i]}`);
        this.emit(`${r} = {${props.join(', ')}};`);
        return r;
      }
      case 'call': {
        const [name, callArgs] = args as [string, Node[]];
        if (name === 'fail' && callArgs.length === 1) {
          const reason = this.operand(callArgs[0]!);
          this.emit(`fail(${reason});`);
          return 'undefined';
        }
        return this.closure(node);
      }
      default:
        return this.closure(node);
    }
  }

  /** CEL's commutative && and ||: an error on one side is absorbed when the other side decides. */
  private logic(op: '&&' | '||', an: Node, bn: Node): string {
    const decides = op === '||' ? 'true' : 'false';
    const r = this.temp();
    const failed = this.temp();
    const error = this.temp();
    const x = this.temp();
    const left = this.capture(() => this.operand(an));
    const right = this.capture(() => this.operand(bn));
    this.emit(
      `${failed} = false;`,
      'try {',
      ...left.lines,
      `${x} = ${left.result};`,
      `} catch (e) { ${failed} = true; ${error} = e; }`,
      `if (!${failed} && typeof ${x} !== "boolean") bool(${x}, ${str(op)});`,
      `if (!${failed} && ${x} === ${decides}) ${r} = ${decides};`,
      'else {',
      ...right.lines,
      `if (typeof ${right.result} !== "boolean") bool(${right.result}, ${str(op)});`,
      `if (${failed} && ${right.result} !== ${decides}) throw ${error};`,
      `${r} = ${right.result};`,
      '}',
    );
    return r;
  }

  /** The statements of `node` assigning its value to `target`, for a branch. */
  private block(node: Node, target: string): string[] {
    const { lines, result } = this.capture(() => this.operand(node));
    return [...lines, `${target} = ${result};`];
  }

  /** Emits into a separate block (a branch, a try): its reads are not reused after it. */
  private capture(fn: () => string): { lines: string[]; result: string } {
    const outer = this.lines;
    const outerReads = this.reads;
    this.lines = [];
    this.reads = new Map(outerReads);
    try {
      const result = fn();
      return { lines: this.lines, result };
    } finally {
      this.lines = outer;
      this.reads = outerReads;
    }
  }

  /** A node the generator does not inline: the closure compiler's function, called with the scope. */
  private closure(node: Node): string {
    this.closures.push(this.compileClosure(node));
    this.usesScope = true;
    const r = this.temp();
    this.emit(`${r} = c[${this.closures.length - 1}](s);`);
    return r;
  }

  private constant(v: unknown): string {
    if (typeof v === 'string') return str(v);
    if (v === null || typeof v === 'boolean') return String(v);
    if (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0)) return `(${String(v)})`;
    this.constants.push(v);
    return `k[${this.constants.length - 1}]`;
  }

  private temp(): string {
    return `t${this.temps++}`;
  }

  private emit(...lines: string[]): void {
    for (const line of lines) this.lines.push(line);
  }

  /** The body of the generated function. */
  source(result: string): string {
    const temps = Array.from({ length: this.temps }, (_, i) => `t${i}`);
    return [
      temps.length > 0 ? `let ${temps.join(', ')};` : '',
      // Keyed steps pass the key; elsewhere `key` is null, as CEL sees it.
      this.usesKey || this.usesScope ? 'if (key === undefined) key = null;' : '',
      this.usesScope ? 'const s = { value, key };' : '',
      ...this.lines,
      `return ${result};`,
    ].join('\n');
  }
}

/**
 * Generates one JavaScript function for the AST, or returns null when it (or
 * a part the closures cannot run either) leaves the supported subset.
 * @param closureCompiler fastPath's node compiler, for the parts not inlined
 */
export function generateExpression(
  ast: unknown,
  closureCompiler: (node: Node) => Eval,
): GeneratedExpression | null {
  const gen = new Generator(closureCompiler);
  let body: string;
  try {
    const result = gen.operand(ast as Node);
    body = gen.source(result);
  } catch (error) {
    if (error instanceof Unsupported || error instanceof TypeError) return null;
    throw error;
  }
  if (body.length > MAX_SOURCE_LENGTH) return null;
  let factory: (h: typeof HELPERS, c: Eval[], k: unknown[]) => GeneratedExpression;
  try {
    factory = new Function(
      'h',
      'c',
      'k',
      `"use strict";\nconst { ${HELPER_NAMES.join(', ')} } = h;\nreturn function celExpression(value, key) {\n${body}\n};`,
    ) as typeof factory;
  } catch (error) {
    // --disallow-code-generation-from-strings (EvalError), or a generator bug the tests missed
    // (SyntaxError): the closures run the same subset, only slower.
    if (error instanceof EvalError || error instanceof SyntaxError) return null;
    throw error;
  }
  return factory(HELPERS, gen.closures, gen.constants);
}
