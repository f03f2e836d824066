import { JobId } from '@flinknet/contracts';
import { describe, expect, it } from 'vitest';
import { timeOrderedUuid } from './timeOrderedId';

describe('timeOrderedUuid', () => {
  it('makes valid, distinct UUIDv7 ids that sort in creation order', () => {
    const ids = Array.from({ length: 20_000 }, () => timeOrderedUuid());
    for (const id of ids.slice(0, 100)) {
      expect(JobId.safeParse(id).success).toBe(true);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]!);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('carries the creation time in its first 48 bits', () => {
    // Ahead of every id made so far in this process: ids never go back in time.
    const at = Date.now() + 3_600_000;
    const id = timeOrderedUuid(at);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('stays ordered when the clock steps back or one millisecond holds more ids than the counter', () => {
    const t = Date.parse('2030-01-01T00:00:00.000Z');
    const ids = [timeOrderedUuid(t)];
    for (let i = 0; i < 5000; i++) ids.push(timeOrderedUuid(t));
    ids.push(timeOrderedUuid(t - 60_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
