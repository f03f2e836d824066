import { describe, expect, it } from 'vitest';
import { backoffDelay, retry } from './backoff';
import { isRetryable, ProtocolError } from './errors';

describe('backoffDelay', () => {
  it('doubles from 100 ms and stops at 2 s', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map((n) => backoffDelay(n))).toEqual([
      100, 200, 400, 800, 1600, 2000, 2000,
    ]);
  });
});

describe('retry', () => {
  it('retries retryable failures up to the attempt limit and returns the first success', async () => {
    let calls = 0;
    const value = await retry(
      async () => {
        calls++;
        if (calls < 3) throw new ProtocolError('answered 503', 503);
        return 'ok';
      },
      4,
      isRetryable,
    );
    expect([value, calls]).toEqual(['ok', 3]);
  });

  it('gives up at once on an error retrying cannot cure', async () => {
    let calls = 0;
    const failing = retry(
      async () => {
        calls++;
        throw new ProtocolError('answered 404', 404);
      },
      4,
      isRetryable,
    );
    await expect(failing).rejects.toThrow('answered 404');
    expect(calls).toBe(1);
  });
});
