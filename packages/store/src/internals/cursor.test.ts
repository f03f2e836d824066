import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../errors';
import { decodeCursor, encodeCursor } from './cursor';

describe('keyset cursors', () => {
  it('round-trips the sort keys of the list that issued it, URL-safe', () => {
    const cursor = encodeCursor('jobs', ['2026-01-01T00:00:00.000Z', 'a/b+c?']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('jobs', cursor, ['s', 's'] as const)).toEqual([
      '2026-01-01T00:00:00.000Z',
      'a/b+c?',
    ]);
  });

  it('rejects a cursor of another list, of another shape, or not a cursor at all', () => {
    const logs = encodeCursor('logs', [42]);
    const bad = [
      () => decodeCursor('dlq', logs, ['n'] as const),
      () => decodeCursor('logs', logs, ['s'] as const),
      () => decodeCursor('logs', logs, ['n', 'n'] as const),
      () => decodeCursor('logs', encodeCursor('logs', [1.5]), ['n'] as const),
      () => decodeCursor('logs', 'not a cursor', ['n'] as const),
      () => decodeCursor('logs', Buffer.from('{"a":1}').toString('base64url'), ['n'] as const),
      () => decodeCursor('logs', '', ['n'] as const),
    ];
    for (const decode of bad) expect(decode).toThrow(InvalidCursorError);
  });
});
