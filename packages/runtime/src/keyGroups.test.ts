import { describe, expect, it } from 'vitest';
import {
  keyGroupOf,
  keyGroupRange,
  murmurHash,
  operatorIndexForKeyGroup,
  stringHashCode,
  subtaskForIndex,
} from './keyGroups';

describe('stringHashCode', () => {
  it('matches Java String.hashCode', () => {
    expect(stringHashCode('')).toBe(0);
    expect(stringHashCode('a')).toBe(97);
    expect(stringHashCode('hello')).toBe(99162322);
    // Overflows to a negative int like Java does.
    expect(stringHashCode('polygenelubricants')).toBe(-2147483648);
  });
});

describe('murmurHash', () => {
  it('is never negative, including for Integer.MIN_VALUE', () => {
    for (const code of [0, 1, -1, 2147483647, -2147483648, 99162322, -123456789]) {
      expect(murmurHash(code)).toBeGreaterThanOrEqual(0);
      expect(Number.isInteger(murmurHash(code))).toBe(true);
    }
  });

  it('is deterministic', () => {
    expect(murmurHash(42)).toBe(murmurHash(42));
  });
});

describe('keyGroupOf', () => {
  it('puts every key in 0..maxParallelism-1 and spreads keys over the groups', () => {
    const counts = new Array<number>(128).fill(0);
    for (let i = 0; i < 12_800; i++) {
      const group = keyGroupOf(`k${i}`, 128);
      expect(group).toBeGreaterThanOrEqual(0);
      expect(group).toBeLessThan(128);
      counts[group]!++;
    }
    // Roughly uniform: every group gets something, none gets 3x its share.
    expect(Math.min(...counts)).toBeGreaterThan(0);
    expect(Math.max(...counts)).toBeLessThan(300);
  });

  it('hashes numbers and their text alike', () => {
    expect(keyGroupOf(7)).toBe(keyGroupOf('7'));
  });
});

describe('key-group ranges', () => {
  it.each([1, 2, 3, 4, 5, 7, 64, 100, 128])(
    'cover 0..127 exactly once at parallelism %i, consistent with operatorIndexForKeyGroup',
    (parallelism) => {
      let next = 0;
      for (let index = 0; index < parallelism; index++) {
        const { start, end } = keyGroupRange(index, parallelism, 128);
        expect(start).toBe(next);
        expect(end).toBeGreaterThanOrEqual(start);
        for (let group = start; group <= end; group++)
          expect(operatorIndexForKeyGroup(group, parallelism, 128)).toBe(index);
        next = end + 1;
      }
      expect(next).toBe(128);
    },
  );

  it('follows Flink for parallelism 3 of 128 (0-42, 43-85, 86-127)', () => {
    expect([0, 1, 2].map((i) => keyGroupRange(i, 3, 128))).toEqual([
      { start: 0, end: 42 },
      { start: 43, end: 85 },
      { start: 86, end: 127 },
    ]);
  });

  it('refuses a parallelism above maxParallelism or an index out of range', () => {
    expect(() => keyGroupRange(0, 129, 128)).toThrow(/maxParallelism/);
    expect(() => keyGroupRange(3, 3, 128)).toThrow(/outside/);
  });
});

describe('subtaskForIndex', () => {
  it('deals 128 splits to 3 subtasks in contiguous ranges', () => {
    const owners = Array.from({ length: 128 }, (_, i) => subtaskForIndex(i, 128, 3));
    expect(owners.filter((o) => o === 0)).toHaveLength(43);
    expect(owners).toEqual([...owners].sort());
  });
});
