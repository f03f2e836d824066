import { describe, expect, it } from 'vitest';
import { compileExpression, ExpressionError, RecordRejectedError } from './compileExpression';
import { compileKeySelector } from './keySelector';

const record = { seq: 12, key: 'k2', tags: ['a', 'b'], nested: { n: 1.5 } };

describe('compileExpression', () => {
  it.each([
    ['value.seq % 2 == 0', true],
    ['value.seq * 2 + 1', 25],
    ['value.seq / 8', 1.5],
    ['value.key + "!"', 'k2!'],
    ['value.seq > 10 && value.key == "k2"', true],
    ['!(value.seq < 10) ? "big" : "small"', 'big'],
    ['size(value.tags)', 2],
    ['"a" in value.tags', true],
    ['has(value.nested) && !has(value.missing)', true],
    ['value.key.startsWith("k")', true],
    ['value["nested"]["n"] * 2', 3],
    ['-value.seq', -12],
    ['{"id": value.seq, "tag": value.tags[1]}', { id: 12, tag: 'b' }],
    ['[value.seq, 1, "x"]', [12, 1, 'x']],
  ])('evaluates %s', (source, expected) => {
    expect(compileExpression(source)(record)).toEqual(expected);
  });

  it('returns JSON numbers, not bigints, from interpreted CEL too (macros)', () => {
    const result = compileExpression('value.tags.map(t, size(t) + 1)')(record);
    expect(result).toEqual([2, 2]);
  });

  it('sees `key` on keyed steps', () => {
    expect(compileExpression('key + "-" + string(value.seq)')(record, 'K')).toBe('K-12');
  });

  it('rejects the record with the reason given to fail()', () => {
    const expression = compileExpression('value.seq > 10 ? fail("too big: " + value.key) : value');
    expect(() => expression(record)).toThrow(new RecordRejectedError('too big: k2'));
    expect(expression({ seq: 1, key: 'k1' })).toEqual({ seq: 1, key: 'k1' });
  });

  it('rejects a record without the field it reads', () => {
    expect(() => compileExpression('value.missing + 1')(record)).toThrow(RecordRejectedError);
  });

  it('rejects a type mismatch instead of coercing', () => {
    expect(() => compileExpression('value.key > 3')(record)).toThrow(/no such overload/);
  });

  it('refuses an expression that does not parse, with the reason', () => {
    expect(() => compileExpression('value.seq +')).toThrow(ExpressionError);
    expect(() => compileExpression('')).toThrow(ExpressionError);
  });

  describe('sandbox', () => {
    it.each([
      'value.constructor',
      'value.__proto__',
      'value["constructor"]',
      'value["__proto__"]',
      'value.tags.constructor',
      'value.key.constructor',
    ])('gives no prototype access through %s', (source) => {
      let result: unknown;
      try {
        result = compileExpression(source)(record);
      } catch (error) {
        expect(error).toBeInstanceOf(Error);
        return;
      }
      // If it evaluates at all, it must not hand out a function or a prototype.
      expect(typeof result).not.toBe('function');
      expect(result).not.toBe(Object.prototype);
    });

    it.each([
      'process',
      'globalThis',
      'require("fs")',
      'this',
      'eval("1")',
      'Function("return process")()',
      'import("fs")',
    ])('refuses %s at compile time', (source) => {
      expect(() => compileExpression(source)).toThrow(ExpressionError);
    });

    it('cannot reach a prototype by building a map with a __proto__ key', () => {
      const result = compileExpression('{"__proto__": {"polluted": true}}')(record) as Record<
        string,
        unknown
      >;
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    });
  });
});

describe('compileKeySelector', () => {
  it('reads a field, or evaluates an expression', () => {
    expect(compileKeySelector('field:key')(record)).toBe('k2');
    expect(compileKeySelector('field:nested.n')(record)).toBe(1.5);
    expect(compileKeySelector('expr:value.seq % 3')(record)).toBe(0);
  });

  it('rejects a record without the key field', () => {
    expect(() => compileKeySelector('field:user')(record)).toThrow(/no field "user"/);
  });

  it('refuses malformed selectors and prototype fields', () => {
    expect(() => compileKeySelector('key')).toThrow(ExpressionError);
    expect(() => compileKeySelector('field:__proto__')).toThrow(ExpressionError);
  });
});
