import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { type GeneratedExpression, generateExpression } from './codegen';
import { compileExpression } from './compileExpression';
import { RecordRejectedError } from './errors';
import { compileNode } from './fastPath';

const env = new Environment({ homogeneousAggregateLiterals: false })
  .registerVariable('value', 'dyn')
  .registerVariable('key', 'dyn');

function generate(source: string): GeneratedExpression {
  const ast = (env.parse(source) as unknown as { ast: unknown }).ast;
  const generated = generateExpression(ast, compileNode);
  if (generated === null) throw new Error(`not generated: ${source}`);
  return generated;
}

/** Runs the closure compiler on the same AST: the reference the generated code must match. */
function closures(source: string): (value: unknown) => unknown {
  const ast = (env.parse(source) as unknown as { ast: unknown }).ast;
  const evaluate = compileNode(ast as Parameters<typeof compileNode>[0]);
  return (value) => evaluate({ value, key: null });
}

function outcome(fn: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: fn() };
  } catch (error) {
    expect(error).toBeInstanceOf(RecordRejectedError);
    return { error: (error as Error).message };
  }
}

const records: unknown[] = [
  { seq: 12, key: 'k2', flag: true, nested: { n: 1.5 }, tags: ['a'] },
  { seq: 0, key: '', flag: false, nested: { n: -1 }, tags: [] },
  { seq: 'twelve', key: 3, flag: 'yes', nested: null },
  {},
  null,
  [1, 2],
  'text',
  7,
];

describe('generateExpression', () => {
  it.each([
    'value.seq',
    'value.nested.n * 2 + 1',
    'value.seq % 3 != 0',
    'value.seq / value.nested.n',
    'value.seq / 0',
    'value.seq % 0',
    'value.key + "!"',
    '"<" + value.key + ">"',
    'value.seq > 10 && value.key == "k2"',
    'value.missing > 1 || value.flag',
    'value.missing > 1 && value.flag',
    'value.flag || value.missing > 1',
    '!value.flag',
    '-value.seq',
    'value.seq >= 12 ? "big" : "small"',
    'value.seq < value.key',
    'value.nested == {"n": 1.5}',
    '{"seq": value.seq, "key": value.key, "double": value.seq * 2}',
    '[value.seq, 1, "x"]',
    'value["nested"]["n"]',
    'value.tags[0]',
    'size(value.tags) == 1',
    'value.flag ? fail("flagged " + value.key) : value.seq',
  ])('matches the closure compiler on %s, for every kind of record', (source) => {
    const generated = generate(source);
    const reference = closures(source);
    for (const record of records) {
      expect(outcome(() => generated(record, null))).toEqual(outcome(() => reference(record)));
    }
  });

  it('is the path compileExpression takes for the common subset', () => {
    const ast = (env.parse('value.seq * 2') as unknown as { ast: unknown }).ast;
    expect(generateExpression(ast, compileNode)?.name).toBe('celExpression');
    expect(compileExpression('value.seq * 2')({ seq: 4 })).toBe(8);
  });

  it('sees `key` on keyed steps', () => {
    expect(generate('key + ":" + value.key')({ key: 'a' }, 'K')).toBe('K:a');
  });

  describe('sandbox', () => {
    const hostile = [
      '"); globalThis.pwned = 1; ("',
      "'); globalThis.pwned = 1; ('",
      '`; globalThis.pwned = 1; `',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder is the attack tried here
      '${globalThis.pwned = 1}',
      '*/ globalThis.pwned = 1; /*',
      '\u2028globalThis.pwned = 1\u2029',
      '\\"); globalThis.pwned = 1; //',
      '] = 1; globalThis.pwned = 1; x[',
    ];

    function celString(text: string): string {
      // A CEL string literal with the same text: JSON escaping is valid CEL escaping.
      return JSON.stringify(text);
    }

    it.each(hostile)('keeps a string literal as data: %s', (text) => {
      const result = generate(`value.key + ${celString(text)}`)({ key: '' }, null);
      expect(result).toBe(text);
      expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
    });

    it.each(hostile)('keeps a field name as data: %s', (text) => {
      const read = generate(`value[${celString(text)}]`);
      expect(read({ [text]: 'found' }, null)).toBe('found');
      expect(() => read({}, null)).toThrow(RecordRejectedError);
      expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
    });

    it.each(hostile)('keeps a map key as data: %s', (text) => {
      const result = generate(`{${celString(text)}: value.seq}`)({ seq: 1 }, null);
      expect(result).toEqual({ [text]: 1 });
      expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
    });

    it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
      'rejects the prototype field %s instead of reading it',
      (name) => {
        expect(() => generate(`value.${name}`)({ seq: 1 }, null)).toThrow(/No such key/);
        expect(() => generate(`value["${name}"]`)({ seq: 1 }, null)).toThrow(/No such key/);
      },
    );

    it('reads no field of a class instance through its prototype', () => {
      expect(() => generate('value.getTime')(new Date(0), null)).toThrow(/No such key/);
    });

    it('builds a __proto__ map key as an own field, never as the prototype', () => {
      const result = compileExpression('{"__proto__": {"polluted": true}, "a": value.seq}')({
        seq: 1,
      }) as Record<string, unknown>;
      expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
      expect(Object.hasOwn(result, '__proto__')).toBe(true);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('emits no identifier from the expression into the source', () => {
      const source = generate('value.process + value.require').toString();
      expect(source).not.toMatch(/[^"]process/);
      expect(source).not.toMatch(/[^"]require/);
    });
  });
});
