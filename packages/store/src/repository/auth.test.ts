import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlreadyExistsError, InvalidCursorError } from '../errors';
import type { Store } from '../openStore';
import { allPages, FakeClock, TempStores } from '../test-support/fixtures';

describe('tokens and audit log', () => {
  let temp: TempStores;
  let clock: FakeClock;
  let store: Store;
  beforeEach(() => {
    temp = new TempStores();
    clock = new FakeClock();
    store = temp.open('auth.db', { now: clock.now });
  });
  afterEach(() => temp.cleanup());

  const token = (tokenId: string, hash = `hash-${tokenId}`) =>
    store.createToken({
      tokenId,
      name: `${tokenId} token`,
      role: 'operator',
      hash,
      expiresAt: null,
    });

  it('creates a token and finds it by hash only', () => {
    expect(token('t1')).toEqual({
      tokenId: 't1',
      name: 't1 token',
      role: 'operator',
      hash: 'hash-t1',
      createdAt: '2026-01-01T00:00:00.000Z',
      expiresAt: null,
      lastUsedAt: null,
    });
    expect(store.findTokenByHash('hash-t1')?.tokenId).toBe('t1');
    expect(store.findTokenByHash('t1')).toBeUndefined();
  });

  it('normalises the expiry time', () => {
    const t = store.createToken({
      tokenId: 't2',
      name: 'ci',
      role: 'viewer',
      hash: 'h2',
      expiresAt: '2026-02-01T01:00:00+01:00',
    });
    expect(t.expiresAt).toBe('2026-02-01T00:00:00.000Z');
  });

  it('refuses a duplicate token id or hash', () => {
    token('t1');
    expect(() => token('t1', 'other-hash')).toThrow(AlreadyExistsError);
    expect(() => token('t2', 'hash-t1')).toThrow(AlreadyExistsError);
    expect(store.countTokens()).toBe(1);
  });

  it('lists, counts, touches and deletes tokens', () => {
    token('t1');
    clock.advance(1);
    token('t2');
    expect(store.listTokens().map((t) => t.tokenId)).toEqual(['t1', 't2']);
    expect(store.countTokens()).toBe(2);
    clock.advance(1000);
    store.touchToken('t2');
    expect(store.findTokenByHash('hash-t2')?.lastUsedAt).toBe('2026-01-01T00:00:01.001Z');
    store.touchToken('ghost');
    expect(store.deleteToken('t1')).toBe(true);
    expect(store.deleteToken('t1')).toBe(false);
    expect(store.countTokens()).toBe(1);
  });

  it('appends audit entries and pages them newest first', () => {
    for (let i = 0; i < 5; i++) {
      clock.advance(1);
      store.appendAudit({
        tokenId: 't1',
        role: 'admin',
        method: 'POST',
        route: '/api/jobmanager/submit',
        jobId: null,
        status: 200 + i,
        requestId: `r${i}`,
      });
    }
    store.appendAudit({
      tokenId: null,
      role: null,
      method: 'GET',
      route: '/healthz',
      jobId: null,
      status: 401,
      requestId: null,
      at: '2025-12-31T23:00:00Z',
    });
    const entries = allPages((cursor) => store.listAudit({ limit: 2, cursor }));
    expect(entries.map((e) => e.status)).toEqual([401, 204, 203, 202, 201, 200]);
    expect(entries[0]?.at).toBe('2025-12-31T23:00:00.000Z');
    expect(entries[1]).toMatchObject({
      tokenId: 't1',
      role: 'admin',
      method: 'POST',
      requestId: 'r4',
      at: '2026-01-01T00:00:00.005Z',
    });
    expect(() => store.listAudit({ limit: 2, cursor: 'xyz' })).toThrow(InvalidCursorError);
  });
});
