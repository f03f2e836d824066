import { describe, expect, it } from 'vitest';
import { FailureThrottle } from './failureThrottle';

describe('FailureThrottle', () => {
  it('does not delay the first failures, then doubles the delay up to the cap', () => {
    let now = 0;
    const throttle = new FailureThrottle({ freeFailures: 2, maxDelayMs: 1000, now: () => now });
    expect(throttle.delayFor('a')).toBe(0);
    throttle.fail('a');
    expect(throttle.delayFor('a')).toBe(0);
    throttle.fail('a');
    expect(throttle.delayFor('a')).toBe(100);
    throttle.fail('a');
    expect(throttle.delayFor('a')).toBe(200);
    for (let i = 0; i < 10; i++) throttle.fail('a');
    expect(throttle.delayFor('a')).toBe(1000);
    expect(throttle.delayFor('b')).toBe(0);
    now = 61_000;
    expect(throttle.delayFor('a')).toBe(0);
  });

  it('forgets an address after a success', () => {
    const throttle = new FailureThrottle({ freeFailures: 0 });
    throttle.fail('a');
    expect(throttle.delayFor('a')).toBeGreaterThan(0);
    throttle.succeed('a');
    expect(throttle.delayFor('a')).toBe(0);
  });

  it('tracks a bounded number of addresses', () => {
    const throttle = new FailureThrottle({ freeFailures: 0, maxAddresses: 2 });
    throttle.fail('a');
    throttle.fail('b');
    throttle.fail('c');
    expect(throttle.delayFor('a')).toBe(0);
    expect(throttle.delayFor('c')).toBeGreaterThan(0);
  });
});
