/**
 * Authentication end to end through the app: token lifecycle, expiry,
 * revocation, throttling of repeated failures, and what never leaks.
 */
import { Writable } from 'node:stream';
import type { CreatedTokenDto, JobDetailDto, ProblemDetails, TokenDto } from '@flinknet/contracts';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, jobDefinition, removeDir, type TestApp } from '../testing/fixtures';

let t: TestApp | undefined;
afterEach(() => {
  t?.dispose();
  if (t) removeDir(t.dataDir);
  t = undefined;
});

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

async function createApiToken(
  app: TestApp,
  body: Record<string, unknown>,
): Promise<CreatedTokenDto> {
  const res = await app.call('POST', '/api/jobmanager/tokens', body);
  expect(res.status).toBe(201);
  return (await res.json()) as CreatedTokenDto;
}

describe('token lifecycle', () => {
  it('shows a secret once at creation, never in the list, and stores only its hash', async () => {
    t = createTestApp();
    const created = await createApiToken(t, { name: 'ci', role: 'operator' });
    expect(created.token).toMatch(/^fnk_[A-Za-z0-9_-]{43}$/);
    const listRes = await t.call('GET', '/api/jobmanager/tokens');
    const listed = (await listRes.json()) as TokenDto[];
    expect(listed.map((x) => x.name)).toContain('ci');
    expect(JSON.stringify(listed)).not.toContain(created.token);
    const stored = t.store.listTokens().find((x) => x.tokenId === created.tokenId);
    expect(stored?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(t.store.listTokens())).not.toContain(created.token);
  });

  it('authenticates with the new token, records its last use, and refuses it once deleted', async () => {
    t = createTestApp();
    const created = await createApiToken(t, { name: 'viewer', role: 'viewer' });
    const ok = await t.call('GET', '/api/jobmanager/jobs', undefined, bearer(created.token));
    expect(ok.status).toBe(200);
    expect(
      t.store.listTokens().find((x) => x.tokenId === created.tokenId)?.lastUsedAt,
    ).not.toBeNull();
    expect((await t.call('DELETE', `/api/jobmanager/tokens/${created.tokenId}`)).status).toBe(204);
    const revoked = await t.call('GET', '/api/jobmanager/jobs', undefined, bearer(created.token));
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('answers 401 "expired" once a token passes its expiry', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    t = createTestApp({ now: () => clock });
    const created = await createApiToken(t, { name: 'short', role: 'viewer', expiresInMs: 60_000 });
    expect(created.expiresAt).toBe('2026-01-01T00:01:00.000Z');
    expect(
      (await t.call('GET', '/api/jobmanager/jobs', undefined, bearer(created.token))).status,
    ).toBe(200);
    clock += 60_000;
    const expired = await t.call('GET', '/api/jobmanager/jobs', undefined, bearer(created.token));
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as ProblemDetails).detail).toBe('the token has expired');
  });

  it('answers 403 with both roles when the role is too low, and 401 for a malformed header', async () => {
    t = createTestApp();
    const viewer = await createApiToken(t, { name: 'v', role: 'viewer' });
    const res = await t.call(
      'POST',
      '/api/jobmanager/submit',
      jobDefinition(),
      bearer(viewer.token),
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      code: 'FORBIDDEN',
      role: 'viewer',
      neededRole: 'operator',
    });
    expect(t.store.listJobs({ limit: 10 }).items).toEqual([]);
    for (const header of [
      `Basic ${viewer.token}`,
      `Bearer`,
      `Bearer ${viewer.token} extra`,
      'fnk_x',
    ])
      expect(
        (await t.call('GET', '/api/jobmanager/jobs', undefined, { authorization: header })).status,
      ).toBe(401);
  });

  it('lets a taskmanager token speak the protocol but read nothing else', async () => {
    t = createTestApp();
    const tm = await createApiToken(t, { name: 'tm', role: 'taskmanager' });
    const register = await t.call(
      'POST',
      '/internal/v1/register',
      { taskManagerId: 'tm-9', address: 'x', slots: 1, version: 't', operators: [] },
      bearer(tm.token),
    );
    expect(register.status).toBe(200);
    expect((await t.call('GET', '/api/jobmanager/jobs', undefined, bearer(tm.token))).status).toBe(
      403,
    );
  });
});

describe('throttling of repeated failures', () => {
  it('delays answers to an address after its free failures, and forgets them after a success', async () => {
    t = createTestApp({ auth: { throttle: { freeFailures: 2, maxDelayMs: 150 } } });
    const bad = bearer(`fnk_${'A'.repeat(43)}`);
    const timed = async (headers: Record<string, string>) => {
      const started = performance.now();
      const res = await t!.call('GET', '/api/jobmanager/jobs', undefined, headers);
      return { status: res.status, ms: performance.now() - started };
    };
    await timed(bad);
    await timed(bad);
    const slowed = await timed(bad);
    expect(slowed.status).toBe(401);
    // A lower bound only: the throttle waits at least 100 ms once the free failures are used up.
    expect(slowed.ms).toBeGreaterThanOrEqual(95);
    // No token at all is not a guess: answered at once, and not counted.
    expect((await t.request('/api/jobmanager/jobs')).status).toBe(401);
    expect((await timed(bearer(t.adminToken))).status).toBe(200);
  });
});

describe('secrets never leak', () => {
  it('keeps token secrets out of the request log, error answers and job detail', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    t = createTestApp({
      logger: pino({ level: 'debug' }, sink),
      auth: { throttle: { freeFailures: 100 } },
    });
    const operator = await createApiToken(t, { name: 'op', role: 'operator' });
    // A user pasting a secret into a definition (an http sink header, say) does not see it echoed back.
    const definition = jobDefinition();
    const steps = definition.steps.map((s, i) =>
      i === 1
        ? { ...s, operatorProperties: { ...s.operatorProperties, note: `Bearer ${t!.adminToken}` } }
        : s,
    );
    const submit = await t.call(
      'POST',
      '/api/jobmanager/submit',
      { ...definition, steps },
      bearer(operator.token),
    );
    expect(submit.status).toBe(201);
    const { jobId } = (await submit.json()) as { jobId: string };
    const detail = await t.call(
      'GET',
      `/api/jobmanager/jobs/${jobId}`,
      undefined,
      bearer(operator.token),
    );
    const detailText = JSON.stringify((await detail.json()) as JobDetailDto);
    expect(detailText).toContain('Bearer fnk_[redacted]');
    const almost = `${operator.token.slice(0, -1)}${operator.token.endsWith('A') ? 'B' : 'A'}`;
    const refused = await t.call('GET', '/api/jobmanager/jobs', undefined, bearer(almost));
    const refusedText = await refused.text();
    const forbidden = await t.call(
      'GET',
      '/api/jobmanager/audit',
      undefined,
      bearer(operator.token),
    );
    const forbiddenText = await forbidden.text();
    expect(lines.length).toBeGreaterThan(3);
    for (const secret of [operator.token, almost, t.adminToken]) {
      expect(lines.join('')).not.toContain(secret);
      expect(detailText).not.toContain(secret);
      expect(refusedText).not.toContain(secret);
      expect(forbiddenText).not.toContain(secret);
    }
  });
});

describe('public documents', () => {
  it('serves /healthz, /readyz, the OpenAPI document and the docs page without a token', async () => {
    t = createTestApp();
    for (const path of [
      '/healthz',
      '/readyz',
      '/api/jobmanager/openapi.json',
      '/api/jobmanager/docs',
    ])
      expect((await t.request(path)).status, path).toBe(200);
    const doc = (await (await t.request('/api/jobmanager/openapi.json')).json()) as {
      paths: Record<string, Record<string, { 'x-role'?: string }>>;
    };
    expect(doc.paths['/api/jobmanager/audit']?.get?.['x-role']).toBe('admin');
  });
});
