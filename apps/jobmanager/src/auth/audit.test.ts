/**
 * The audit log: every mutating request, refused or not, with who, what and
 * how it ended; readable by admins only, newest first, in pages.
 */
import type { AuditEntryDto, JobStatusDto } from '@flinknet/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTestApp,
  createToken,
  jobDefinition,
  removeDir,
  type TestApp,
} from '../testing/fixtures';

let t: TestApp;
afterEach(() => {
  t.dispose();
  removeDir(t.dataDir);
});

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

async function audit(app: TestApp, query = ''): Promise<AuditEntryDto[]> {
  const res = await app.call('GET', `/api/jobmanager/audit${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as AuditEntryDto[];
}

describe('GET /api/jobmanager/audit', () => {
  it('records a submit and a cancel with token id, role, route, job and result', async () => {
    t = createTestApp();
    const operator = createToken(t.store, 'operator');
    const operatorId = t.store.listTokens().find((x) => x.role === 'operator')!.tokenId;
    const submit = await t.call(
      'POST',
      '/api/jobmanager/submit',
      jobDefinition(),
      bearer(operator),
    );
    const { jobId } = (await submit.json()) as JobStatusDto;
    await t.call('POST', `/api/jobmanager/jobs/${jobId}/cancel`, undefined, bearer(operator));
    const [cancel, created] = await audit(t);
    expect(created).toMatchObject({
      tokenId: operatorId,
      role: 'operator',
      method: 'POST',
      route: '/api/jobmanager/submit',
      jobId,
      status: 201,
    });
    expect(cancel).toMatchObject({
      tokenId: operatorId,
      route: '/api/jobmanager/jobs/{jobId}/cancel',
      jobId,
      status: 202,
    });
    expect(created!.requestId).toEqual(expect.any(String));
    expect(Date.parse(created!.at)).not.toBeNaN();
  });

  it('records refused requests too: 401 without a token id, 403 with the too-low role', async () => {
    t = createTestApp();
    const viewer = createToken(t.store, 'viewer');
    await t.request('/api/jobmanager/submit', { method: 'POST' });
    await t.call('POST', '/api/jobmanager/submit', jobDefinition(), bearer(viewer));
    const [forbidden, anonymous] = await audit(t);
    expect(anonymous).toMatchObject({ tokenId: null, role: null, status: 401, jobId: null });
    expect(forbidden).toMatchObject({
      role: 'viewer',
      status: 403,
      route: '/api/jobmanager/submit',
    });
  });

  it('commits a submit with its entry: one per answer, replays included, none for a job not stored', async () => {
    t = createTestApp();
    const headers = { 'idempotency-key': 'same-job' };
    const first = await t.call('POST', '/api/jobmanager/submit', jobDefinition(), headers);
    const replay = await t.call('POST', '/api/jobmanager/submit', jobDefinition(), headers);
    const { jobId } = (await first.json()) as JobStatusDto;
    expect(((await replay.json()) as JobStatusDto).jobId).toBe(jobId);
    // Same key, other body: refused inside the write, whose entry (if any) rolls back with it.
    const reused = await t.call(
      'POST',
      '/api/jobmanager/submit',
      jobDefinition({ jobName: 'other' }),
      headers,
    );
    expect(reused.status).toBe(422);
    const entries = await audit(t);
    expect(entries.map((e) => [e.status, e.jobId])).toEqual([
      [422, null],
      [201, jobId],
      [201, jobId],
    ]);
    expect(t.store.listJobs({ limit: 10 }).items.map((j) => j.jobId)).toEqual([jobId]);
  });

  it('does not record reads', async () => {
    t = createTestApp();
    await t.call('GET', '/api/jobmanager/jobs');
    await t.call('GET', '/api/jobmanager/tokens');
    expect(await audit(t)).toEqual([]);
  });

  it('pages newest first with a Link header', async () => {
    t = createTestApp();
    for (let i = 0; i < 3; i++)
      await t.call('POST', '/api/jobmanager/tokens', { name: `t${i}`, role: 'viewer' });
    const first = await t.call('GET', '/api/jobmanager/audit?limit=2');
    const page1 = (await first.json()) as AuditEntryDto[];
    expect(page1.map((e) => e.id)).toEqual([3, 2]);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toBeDefined();
    const page2 = (await (await t.call('GET', next!)).json()) as AuditEntryDto[];
    expect(page2.map((e) => e.id)).toEqual([1]);
  });

  it('is for admins only', async () => {
    t = createTestApp();
    const operator = createToken(t.store, 'operator');
    expect((await t.call('GET', '/api/jobmanager/audit', undefined, bearer(operator))).status).toBe(
      403,
    );
  });
});
