/**
 * The auth matrix, generated from the route table: every route x every kind
 * of caller gets exactly the answer its `role` says.
 */
import { PROBLEM_CONTENT_TYPE, type Role, roleSatisfies } from '@flinknet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createToken, removeDir, type TestApp } from '../testing/fixtures';
import { ALL_ROUTES, sampleRequest } from '../testing/routeRequests';
import { generateTokenSecret } from './tokenSecrets';

type Caller = 'no token' | 'bad token' | 'expired' | Role;
const CALLERS: Caller[] = [
  'no token',
  'bad token',
  'expired',
  'viewer',
  'operator',
  'admin',
  'taskmanager',
];

let t: TestApp;
const secrets = new Map<Caller, string>();

beforeAll(() => {
  // The matrix sends many bad tokens from one address on purpose: no slowing down here.
  t = createTestApp({ auth: { throttle: { freeFailures: Number.MAX_SAFE_INTEGER } } });
  for (const role of ['viewer', 'operator', 'admin', 'taskmanager'] as const)
    secrets.set(role, createToken(t.store, role));
  secrets.set(
    'expired',
    createToken(t.store, 'operator', new Date(Date.now() - 1000).toISOString()),
  );
  secrets.set('bad token', generateTokenSecret());
});
afterAll(() => {
  t.dispose();
  removeDir(t.dataDir);
});

/** What a caller must get: 401, 403, or anything but those two. */
function expected(need: string, caller: Caller): 401 | 403 | 'allowed' {
  if (need === 'public') return 'allowed';
  if (caller === 'no token' || caller === 'bad token' || caller === 'expired') return 401;
  return roleSatisfies(caller, need as Role) ? 'allowed' : 403;
}

const cases = ALL_ROUTES.flatMap((def) =>
  CALLERS.map((caller) => ({ def, caller, want: expected(def.role, caller) })),
);

describe('auth matrix (every route of the table x every caller)', () => {
  it('covers every route of the table', () => {
    expect(new Set(cases.map((c) => c.def.name)).size).toBe(ALL_ROUTES.length);
    expect(cases.length).toBe(ALL_ROUTES.length * CALLERS.length);
  });

  it.each(
    cases.map((c) => [`${c.def.method.toUpperCase()} ${c.def.path}`, c.caller, c.want, c] as const),
  )('%s as %s answers %s', async (_route, caller, want, { def }) => {
    const { path, init } = sampleRequest(def);
    const headers = new Headers(init.headers);
    const secret = secrets.get(caller);
    if (secret !== undefined) headers.set('authorization', `Bearer ${secret}`);
    const res = await t.request(path, { ...init, headers });
    if (want === 'allowed') {
      expect([401, 403]).not.toContain(res.status);
      await res.body?.cancel();
      return;
    }
    expect(res.status).toBe(want);
    expect(res.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE);
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe(want === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN');
    if (want === 401) {
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="flinknet"/);
      if (caller !== 'no token')
        expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    } else {
      expect(res.headers.get('www-authenticate')).toBeNull();
      expect(problem.detail).toContain(def.role);
    }
    if (secret !== undefined) expect(JSON.stringify(problem)).not.toContain(secret);
  });
});
