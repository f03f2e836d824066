import type {
  JobDetailDto,
  JobOverviewDto,
  JobStatusDto,
  ProblemDetails,
  VertexMetricsDto,
} from '@flinknet/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTestApp,
  jobDefinition,
  removeDir,
  type TestApp,
  waitFor,
} from '../testing/fixtures';
import { completeCheckpoint, startRunningJob } from '../testing/runningJob';
import { ScriptedTaskManager } from '../testing/scriptedTaskManager';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
let t: TestApp;

afterEach(() => {
  t.dispose();
  removeDir(t.dataDir);
});

async function submit(body: unknown = jobDefinition(), headers?: Record<string, string>) {
  return t.call('POST', '/api/jobmanager/submit', body, headers);
}

describe('POST /api/jobmanager/submit', () => {
  it('answers 201 with the CREATED status and a Location, and stores the transition', async () => {
    t = createTestApp();
    const res = await submit();
    expect(res.status).toBe(201);
    const body = (await res.json()) as JobStatusDto;
    expect(body).toMatchObject({
      jobName: 'clicks',
      status: 'CREATED',
      attempt: 0,
      restartCount: 0,
      allowedActions: ['cancel'],
    });
    expect(res.headers.get('location')).toBe(`/api/jobmanager/jobs/${body.jobId}`);
    expect(t.store.listTransitions(body.jobId).map((tr) => tr.to)).toEqual(['CREATED']);
  });

  it('answers 422 with the path of every bad field', async () => {
    t = createTestApp();
    const bad = jobDefinition();
    (bad.steps[0] as { operatorType: string }).operatorType = 'Sink';
    const res = await submit(bad);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as ProblemDetails;
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.path)).toContain('steps/0/operatorType');
  });

  it('rejects unknown fields with 422 (strict objects)', async () => {
    t = createTestApp();
    const res = await submit({ ...jobDefinition(), colour: 'blue' });
    expect(res.status).toBe(422);
  });

  it('returns the same job for the same Idempotency-Key and body, 422 for another body', async () => {
    t = createTestApp();
    const first = (await (
      await submit(jobDefinition(), { 'idempotency-key': 'k1' })
    ).json()) as JobStatusDto;
    const again = await submit(jobDefinition(), { 'idempotency-key': 'k1' });
    expect(again.status).toBe(201);
    expect(((await again.json()) as JobStatusDto).jobId).toBe(first.jobId);
    const other = await submit(jobDefinition({ jobName: 'other' }), { 'idempotency-key': 'k1' });
    expect(other.status).toBe(422);
    expect(((await other.json()) as ProblemDetails).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(t.store.listJobs({ limit: 10 }).items).toHaveLength(1);
  });

  it('accepts an operator nobody offers while no TaskManager is registered, and 422s it once one is', async () => {
    t = createTestApp();
    const exotic = jobDefinition();
    exotic.steps[1]!.typeName = 'exotic';
    expect((await submit(exotic)).status).toBe(201);
    await new ScriptedTaskManager({ id: 'tm-1', fetch: t.fetch }).register();
    const res = await submit(exotic);
    expect(res.status).toBe(422);
    expect(((await res.json()) as ProblemDetails).errors).toEqual([
      { path: 'steps/1/typeName', message: 'no registered TaskManager offers Operator:exotic' },
    ]);
  });

  it('answers 415 for a body that is not JSON, 400 for malformed JSON and 413 over the limit', async () => {
    t = createTestApp({ bodyLimitBytes: 2048 });
    const text = await t.fetch('/api/jobmanager/submit', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(text.status).toBe(415);
    expect(((await text.json()) as ProblemDetails).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const malformed = await t.fetch('/api/jobmanager/submit', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"jobName":',
    });
    expect(malformed.status).toBe(400);
    const big = await submit({ ...jobDefinition(), jobName: 'x'.repeat(5000) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as ProblemDetails).code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('GET /api/jobmanager/jobs', () => {
  it('lists newest first, pages with a Link header and filters by status and name', async () => {
    t = createTestApp();
    for (const name of ['a-one', 'b-two', 'a-three'])
      await submit(jobDefinition({ jobName: name }));
    const first = await t.call('GET', '/api/jobmanager/jobs?limit=2');
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as JobOverviewDto[];
    expect(page1.map((j) => j.jobName)).toEqual(['a-three', 'b-two']);
    expect(page1[0]).toMatchObject({
      status: 'CREATED',
      parallelism: 2,
      tasksTotal: 4,
      startTime: null,
    });
    const link = first.headers.get('link');
    expect(link).toMatch(/^<\/api\/jobmanager\/jobs\?limit=2&cursor=[^>]+>; rel="next"$/);
    const next = await t.call('GET', link!.slice(1, link!.indexOf('>')));
    expect(((await next.json()) as JobOverviewDto[]).map((j) => j.jobName)).toEqual(['a-one']);
    expect(next.headers.get('link')).toBeNull();
    const named = (await (
      await t.call('GET', '/api/jobmanager/jobs?name=a-')
    ).json()) as JobOverviewDto[];
    expect(named).toHaveLength(2);
    const running = (await (
      await t.call('GET', '/api/jobmanager/jobs?status=RUNNING,FAILED')
    ).json()) as JobOverviewDto[];
    expect(running).toEqual([]);
  });

  it('answers 422 for an unknown state and 400 for a cursor it did not issue', async () => {
    t = createTestApp();
    expect((await t.call('GET', '/api/jobmanager/jobs?status=SLEEPING')).status).toBe(422);
    expect((await t.call('GET', '/api/jobmanager/jobs?limit=0')).status).toBe(422);
    expect((await t.call('GET', '/api/jobmanager/jobs?cursor=garbage')).status).toBe(400);
  });
});

describe('GET /api/jobmanager/jobs/{jobId} and /status', () => {
  it('answers the detail with definition, graph and transitions', async () => {
    t = createTestApp();
    const { jobId } = (await (await submit()).json()) as JobStatusDto;
    const res = await t.call('GET', `/api/jobmanager/jobs/${jobId}`);
    expect(res.status).toBe(200);
    const detail = (await res.json()) as JobDetailDto;
    expect(detail.definition.steps.map((s) => s.name)).toEqual(['source', 'double', 'out']);
    expect(detail.jobGraph.vertices.map((v) => v.parallelism)).toEqual([2, 1, 1]);
    expect(detail.transitions).toEqual([expect.objectContaining({ from: null, to: 'CREATED' })]);
    const status = (await (
      await t.call('GET', `/api/jobmanager/jobs/${jobId}/status`)
    ).json()) as JobStatusDto;
    expect(status).toMatchObject({ jobId, status: 'CREATED' });
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    t = createTestApp();
    const malformed = await t.call('GET', '/api/jobmanager/jobs/not-a-uuid/status');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as ProblemDetails).code).toBe('INVALID_ID');
    const unknown = await t.call('GET', `/api/jobmanager/jobs/${UNKNOWN}`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ProblemDetails).code).toBe('NOT_FOUND');
  });
});

describe('GET /api/jobmanager/jobs/{jobId}/metrics', () => {
  it('sums the reported task metrics per vertex and lists every subtask', async () => {
    t = createTestApp();
    const job = await startRunningJob(t);
    const metrics = {
      recordsIn: 10,
      recordsOut: 7,
      backpressureRatio: 0.25,
      stateSizeBytes: 100,
      dlqRecords: 1,
    };
    await job.tm.heartbeat({
      tasks: job.deploy.tasks.map((task) => ({
        jobId: job.jobId,
        attempt: job.deploy.attempt,
        ...task,
        state: 'RUNNING' as const,
        metrics,
      })),
    });
    const res = await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/metrics`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as VertexMetricsDto[];
    expect(body.map((v) => v.vertexId)).toEqual(['source', 'double', 'out']);
    expect(body[0]).toMatchObject({
      parallelism: 2,
      recordsIn: 20,
      recordsOut: 14,
      backpressureRatio: 0.25,
      stateSizeBytes: 200,
    });
    expect(body[0]!.subtasks[1]).toMatchObject({
      subtaskIndex: 1,
      taskManagerId: 'tm-1',
      status: 'RUNNING',
      dlqRecords: 1,
    });
    expect((await t.call('GET', `/api/jobmanager/jobs/${UNKNOWN}/metrics`)).status).toBe(404);
  });
});

describe('job actions', () => {
  it('stop answers 202 STOPPING, sends the savepoint and then finish, and ends FINISHED', async () => {
    t = createTestApp();
    const job = await startRunningJob(t);
    const res = await t.call('POST', `/api/jobmanager/jobs/${job.jobId}/stop`);
    expect(res.status).toBe(202);
    expect(((await res.json()) as JobStatusDto).status).toBe('STOPPING');
    await job.tm.heartbeat();
    const savepoint = job.tm.last('checkpoint', job.jobId)!;
    expect(savepoint.kind).toBe('SAVEPOINT');
    await job.tm.heartbeat({ checkpointAcks: ScriptedTaskManager.acks(job.deploy, savepoint) });
    expect(job.tm.last('finish', job.jobId)).toMatchObject({ attempt: job.deploy.attempt });
    await job.tm.heartbeat({ tasks: ScriptedTaskManager.reports(job.deploy, 'FINISHED') });
    expect(t.store.getJob(job.jobId)?.status).toBe('FINISHED');
  });

  it('answers 409 with the current state when the job is FINISHED', async () => {
    t = createTestApp();
    const job = await startRunningJob(t);
    await job.tm.heartbeat({ tasks: ScriptedTaskManager.reports(job.deploy, 'FINISHED') });
    for (const [method, action] of [
      ['POST', 'stop'],
      ['POST', 'cancel'],
      ['PUT', 'scale'],
    ] as const) {
      const res = await t.call(
        method,
        `/api/jobmanager/jobs/${job.jobId}/${action}`,
        action === 'scale' ? { desiredParallelism: 2 } : undefined,
      );
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ code: 'ILLEGAL_STATE', state: 'FINISHED' });
    }
  });

  it('cancel answers 202 and the job is CANCELED once the tasks confirm', async () => {
    t = createTestApp();
    const job = await startRunningJob(t);
    const res = await t.call('POST', `/api/jobmanager/jobs/${job.jobId}/cancel`);
    expect(res.status).toBe(202);
    expect(((await res.json()) as JobStatusDto).status).toBe('CANCELLING');
    await job.tm.heartbeat();
    expect(job.tm.last('cancel', job.jobId)).toMatchObject({ attempt: job.deploy.attempt });
    await job.tm.heartbeat({ tasks: ScriptedTaskManager.reports(job.deploy, 'CANCELED') });
    expect(t.store.getJob(job.jobId)?.status).toBe('CANCELED');
  });

  it('cancel becomes CANCELED after the cancel timeout when the tasks never confirm, with the tasks recorded CANCELED', async () => {
    t = createTestApp({ cancelTimeoutMs: 50 });
    const job = await startRunningJob(t);
    await t.call('POST', `/api/jobmanager/jobs/${job.jobId}/cancel`);
    await waitFor(() => t.store.getJob(job.jobId)?.status === 'CANCELED', 'the cancel timeout');
    const metrics = (await (
      await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/metrics`)
    ).json()) as VertexMetricsDto[];
    expect(new Set(metrics.flatMap((v) => v.subtasks.map((s) => s.status)))).toEqual(
      new Set(['CANCELED']),
    );
    const transitions = t.store.listTransitions(job.jobId);
    expect(transitions.at(-1)?.reason).toBe('tasks did not confirm within 50 ms');
  });

  it('cancel of a CREATED job is CANCELED at once, and 404 for an unknown job', async () => {
    t = createTestApp();
    const { jobId } = (await (await submit()).json()) as JobStatusDto;
    const res = await t.call('POST', `/api/jobmanager/jobs/${jobId}/cancel`);
    expect(res.status).toBe(202);
    expect(((await res.json()) as JobStatusDto).status).toBe('CANCELED');
    expect((await t.call('POST', `/api/jobmanager/jobs/${UNKNOWN}/cancel`)).status).toBe(404);
  });

  it('restart redeploys with attempt + 1 restoring the given completed checkpoint', async () => {
    t = createTestApp();
    const job = await startRunningJob(t);
    const checkpointId = await completeCheckpoint(t, job);
    const res = await t.call('POST', `/api/jobmanager/jobs/${job.jobId}/restart`, { checkpointId });
    expect(res.status).toBe(202);
    const status = (await res.json()) as JobStatusDto;
    expect(status).toMatchObject({ status: 'RUNNING', attempt: job.deploy.attempt + 1 });
    await job.tm.heartbeat();
    expect(job.tm.last('cancel', job.jobId)).toMatchObject({ attempt: job.deploy.attempt });
    expect(job.tm.last('deploy', job.jobId)).toMatchObject({
      attempt: job.deploy.attempt + 1,
      restore: { checkpointId },
    });
  });

  it('restart answers 404 for an unknown checkpoint and 409 for one that is not COMPLETED', async () => {
    t = createTestApp();
    const job = await startRunningJob(t);
    expect(
      (await t.call('POST', `/api/jobmanager/jobs/${job.jobId}/restart`, { checkpointId: 99 }))
        .status,
    ).toBe(404);
    const pending = (await (
      await t.call('POST', `/api/jobmanager/jobs/${job.jobId}/checkpoints`)
    ).json()) as { checkpointId: number };
    const res = await t.call('POST', `/api/jobmanager/jobs/${job.jobId}/restart`, {
      checkpointId: pending.checkpointId,
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'CONFLICT', checkpointStatus: 'IN_PROGRESS' });
  });

  it('scale takes a savepoint, then redeploys the step at the new parallelism restoring it', async () => {
    t = createTestApp();
    const job = await startRunningJob(t);
    const res = await t.call('PUT', `/api/jobmanager/jobs/${job.jobId}/scale`, {
      operatorName: 'double',
      desiredParallelism: 3,
    });
    expect(res.status).toBe(202);
    expect(((await res.json()) as JobStatusDto).status).toBe('RUNNING');
    await job.tm.heartbeat();
    const savepoint = job.tm.last('checkpoint', job.jobId)!;
    expect(savepoint).toMatchObject({ kind: 'SAVEPOINT' });
    await job.tm.heartbeat({ checkpointAcks: ScriptedTaskManager.acks(job.deploy, savepoint) });
    const redeploy = job.tm.last('deploy', job.jobId)!;
    expect(redeploy.attempt).toBe(job.deploy.attempt + 1);
    expect(redeploy.restore).toEqual({ checkpointId: savepoint.checkpointId });
    expect(redeploy.jobGraph.vertices.map((v) => v.parallelism)).toEqual([2, 3, 1]);
    expect(t.store.getJob(job.jobId)?.jobGraph.vertices[1]?.parallelism).toBe(3);
  });

  it('scale answers 422 for a step that does not exist and for a bad parallelism', async () => {
    t = createTestApp();
    const job = await startRunningJob(t);
    const unknown = await t.call('PUT', `/api/jobmanager/jobs/${job.jobId}/scale`, {
      operatorName: 'nope',
      desiredParallelism: 2,
    });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as ProblemDetails).errors).toEqual([
      { path: 'operatorName', message: 'no step named "nope"' },
    ]);
    const zero = await t.call('PUT', `/api/jobmanager/jobs/${job.jobId}/scale`, {
      desiredParallelism: 0,
    });
    expect(zero.status).toBe(422);
    expect(((await zero.json()) as ProblemDetails).errors?.[0]?.path).toBe('desiredParallelism');
    expect((await t.call('PUT', `/api/jobmanager/jobs/${job.jobId}/scale`)).status).toBe(422);
  });
});
