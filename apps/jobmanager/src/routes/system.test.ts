import type {
  ClusterOverviewDto,
  CreatedTokenDto,
  ProblemDetails,
  TaskManagerInfo,
  TokenDto,
} from '@flinknet/contracts';
import { ROUTES } from '@flinknet/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, removeDir, type TestApp } from '../testing/fixtures';
import { startRunningJob } from '../testing/runningJob';
import { ScriptedTaskManager } from '../testing/scriptedTaskManager';

let t: TestApp;

afterEach(() => {
  t.dispose();
  removeDir(t.dataDir);
});

describe('cluster routes', () => {
  it('lists TaskManagers with slots, free slots, heartbeat age and operators', async () => {
    t = createTestApp();
    await startRunningJob(t);
    const res = await t.call('GET', '/api/jobmanager/taskmanagers');
    expect(res.status).toBe(200);
    const [tm] = (await res.json()) as TaskManagerInfo[];
    expect(tm).toMatchObject({
      taskManagerId: 'tm-1',
      state: 'ACTIVE',
      slotsTotal: 4,
      slotsFree: 2,
      version: 'test',
    });
    expect(tm!.operators).toContain('Source:sequence');
    expect(tm!.heartbeatAgeMs).toBeGreaterThanOrEqual(0);
  });

  it('answers the cluster overview counts', async () => {
    t = createTestApp();
    await startRunningJob(t);
    await t.call('POST', '/api/jobmanager/submit', {
      jobName: 'waits',
      steps: [
        { name: 's', operatorType: 'Source', typeName: 'sequence', parallelism: 9 },
        { name: 'k', operatorType: 'Sink', typeName: 'discard' },
      ],
    });
    const overview = (await (
      await t.call('GET', '/api/jobmanager/overview')
    ).json()) as ClusterOverviewDto;
    expect(overview).toMatchObject({
      taskManagers: 1,
      slotsTotal: 4,
      slotsAvailable: 2,
      jobsRunning: 1,
      jobsFinished: 0,
      version: '0.1.0',
    });
    expect(overview.jobsByState).toMatchObject({ RUNNING: 1, CREATED: 1 });
  });
});

describe('token routes', () => {
  it('creates a token showing its secret once, lists it without the secret, and deletes it', async () => {
    t = createTestApp();
    const res = await t.call('POST', '/api/jobmanager/tokens', {
      name: 'ci',
      role: 'operator',
      expiresInMs: 60_000,
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as CreatedTokenDto;
    expect(created).toMatchObject({ name: 'ci', role: 'operator' });
    expect(created.token).toMatch(/^fnk_/);
    expect(created.expiresAt).not.toBeNull();
    const listed = (await (await t.call('GET', '/api/jobmanager/tokens')).json()) as TokenDto[];
    // The first token is the fixture's admin token.
    expect(listed).toEqual([
      expect.objectContaining({ name: 'test admin', role: 'admin' }),
      expect.objectContaining({ tokenId: created.tokenId, name: 'ci' }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect((await t.call('DELETE', `/api/jobmanager/tokens/${created.tokenId}`)).status).toBe(204);
    expect((await t.call('DELETE', `/api/jobmanager/tokens/${created.tokenId}`)).status).toBe(404);
    expect(
      (await t.call('POST', '/api/jobmanager/tokens', { name: 'x', role: 'god' })).status,
    ).toBe(422);
  });
});

describe('route hooks', () => {
  it('sees the matched route definition, so auth can read its role', async () => {
    const seen: string[] = [];
    t = createTestApp({
      routeHooks: [
        (x) => {
          seen.push(`${x.route?.name}:${x.route?.role}`);
        },
      ],
    });
    await t.call('GET', '/api/jobmanager/tokens');
    await t.call('GET', '/healthz');
    expect(seen).toEqual(['tokens.list:admin', 'system.health:public']);
  });
});

describe('system routes', () => {
  it('answers liveness, readiness and Prometheus metrics', async () => {
    t = createTestApp();
    expect(await (await t.call('GET', '/healthz')).json()).toEqual({ status: 'ok' });
    await new ScriptedTaskManager({ id: 'tm-1', fetch: t.fetch }).register();
    expect(await (await t.call('GET', '/readyz')).json()).toEqual({
      status: 'ready',
      taskManagers: 1,
    });
    const metrics = await t.call('GET', '/metrics');
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toContain(
      'flinknet_http_requests_total{method="GET",route="/readyz",status="200"} 1',
    );
    expect(text).toContain('flinknet_jobs{state="RUNNING"} 0');
    expect(text).toContain('flinknet_taskmanagers 1');
    // The duration histogram: cumulative buckets up to +Inf, sum and count of the same requests.
    const readyz = 'method="GET",route="/readyz"';
    expect(text).toContain('# TYPE flinknet_http_request_duration_seconds histogram');
    expect(text).toMatch(
      new RegExp(`flinknet_http_request_duration_seconds_bucket\\{le="30",${readyz}\\} 1\n`),
    );
    expect(text).toContain(`flinknet_http_request_duration_seconds_bucket{le="+Inf",${readyz}} 1`);
    expect(text).toContain(`flinknet_http_request_duration_seconds_count{${readyz}} 1`);
    expect(text).toMatch(
      /flinknet_http_request_duration_seconds_sum\{method="GET",route="\/readyz"\} 0\.\d+/,
    );
    // Paths no route knows share one label, so a scan cannot grow the series without bound.
    await t.call('GET', '/no/such/path');
    expect(await (await t.call('GET', '/metrics')).text()).toContain(
      'flinknet_http_requests_total{method="GET",route="unmatched",status="404"} 1',
    );
  });

  it('answers 503 problem+json when the database is closed', async () => {
    t = createTestApp();
    t.store.close();
    const res = await t.call('GET', '/readyz');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    t.store.close = () => undefined;
  });

  it('serves an OpenAPI 3.1 document listing every route of the table, and a docs page', async () => {
    t = createTestApp();
    const doc = (await (await t.call('GET', '/api/jobmanager/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const operationIds = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    expect(operationIds.sort()).toEqual(ROUTES.map((r) => r.name).sort());
    expect(doc.paths['/api/jobmanager/jobs/{jobId}/scale']?.put?.operationId).toBe('jobs.scale');
    const docs = await t.call('GET', '/api/jobmanager/docs');
    expect(docs.headers.get('content-type')).toContain('text/html');
    const html = await docs.text();
    expect(html).toContain('/api/jobmanager/openapi.json');
    expect(html).not.toMatch(/<script[^>]+src=/);
  });

  it('answers problem+json 404 for unknown paths and 405 with Allow for a wrong method', async () => {
    t = createTestApp();
    const missing = await t.call('GET', '/api/jobmanager/nothing');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ProblemDetails).code).toBe('NOT_FOUND');
    const wrong = await t.call('DELETE', '/api/jobmanager/submit');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(await wrong.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED', status: 405 });
  });

  it('never leaks a stack trace on an unexpected error', async () => {
    t = createTestApp();
    t.store.listTokens = () => {
      throw new Error('secret internals at /src/file.ts:12');
    };
    const res = await t.call('GET', '/api/jobmanager/tokens');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret internals');
    expect(JSON.parse(text)).toMatchObject({ code: 'INTERNAL', status: 500 });
  });
});
