import type { JobStatusDto, LogEntryDto, SnapshotResponse } from '@flinknet/contracts';
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

let t: TestApp;

afterEach(() => {
  t.dispose();
  removeDir(t.dataDir);
});

describe('TaskManager protocol', () => {
  it('register answers the heartbeat settings and the protocol version', async () => {
    t = createTestApp({ heartbeatIntervalMs: 200, heartbeatTimeoutMs: 2000 });
    const tm = new ScriptedTaskManager({ id: 'tm-1', fetch: t.fetch });
    expect(await tm.register()).toEqual({
      taskManagerId: 'tm-1',
      heartbeatIntervalMs: 200,
      heartbeatTimeoutMs: 2000,
      protocolVersion: 1,
    });
    expect(t.store.getTaskManager('tm-1')).toMatchObject({ state: 'ACTIVE', slots: 4 });
  });

  it('rejects a malformed registration with 422 and an over-long TaskManager id with 400', async () => {
    t = createTestApp();
    const res = await t.call('POST', '/internal/v1/register', {
      taskManagerId: 'tm 1',
      address: 'x',
      slots: 0,
      version: '1',
      operators: [],
    });
    expect(res.status).toBe(422);
    expect(
      ((await res.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path).sort(),
    ).toEqual(['slots', 'taskManagerId']);
    expect(
      (await t.call('GET', `/internal/v1/taskmanagers/${'x'.repeat(65)}/commands?waitMs=0`)).status,
    ).toBe(400);
  });

  it('heartbeat answers registered: false to an unknown TaskManager', async () => {
    t = createTestApp();
    const res = await t.call('POST', '/internal/v1/heartbeat', { taskManagerId: 'ghost' });
    expect(await res.json()).toEqual({ registered: false, commands: [] });
  });

  it('a long-poll returns within milliseconds of a command being queued', async () => {
    t = createTestApp();
    const tm = new ScriptedTaskManager({ id: 'tm-1', fetch: t.fetch });
    await tm.register();
    const started = Date.now();
    const polled = tm.poll(10_000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const submitted = (await (
      await t.call('POST', '/api/jobmanager/submit', jobDefinition())
    ).json()) as JobStatusDto;
    const response = await polled;
    expect(response.commands).toEqual([
      expect.objectContaining({ type: 'deploy', jobId: submitted.jobId, attempt: 1 }),
    ]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('ignores task reports and acknowledgements of a stale attempt', async () => {
    t = createTestApp();
    const job = await startRunningJob(t);
    await t.call('POST', `/api/jobmanager/jobs/${job.jobId}/restart`);
    await job.tm.heartbeat();
    const before = t.controller.staleReports;
    await job.tm.heartbeat({ tasks: ScriptedTaskManager.reports(job.deploy, 'FAILED', 'zombie') });
    expect(t.controller.staleReports).toBe(before + job.deploy.tasks.length);
    expect(t.store.getJob(job.jobId)).toMatchObject({
      status: 'RUNNING',
      attempt: job.deploy.attempt + 1,
      restartCount: 0,
    });
  });

  it('answers a task of a superseded attempt that still reports RUNNING with a cancel of that attempt', async () => {
    t = createTestApp();
    const job = await startRunningJob(t);
    await t.call('POST', `/api/jobmanager/jobs/${job.jobId}/restart`);
    await job.tm.heartbeat();
    const response = await job.tm.heartbeat({
      tasks: ScriptedTaskManager.reports(job.deploy, 'RUNNING'),
    });
    expect(response.commands).toEqual([
      { type: 'cancel', jobId: job.jobId, attempt: job.deploy.attempt },
    ]);
    expect(t.store.getJob(job.jobId)?.attempt).toBe(job.deploy.attempt + 1);
  });

  it('a task failure restarts the job from the latest checkpoint under the restart strategy', async () => {
    t = createTestApp();
    const job = await startRunningJob(
      t,
      jobDefinition({ restartStrategy: { attempts: 1, delayMs: 0 } }),
    );
    const checkpointId = await completeCheckpoint(t, job);
    await job.tm.heartbeat({
      tasks: [{ ...ScriptedTaskManager.reports(job.deploy, 'FAILED', 'division by zero')[0]! }],
    });
    const redeploy = await waitFor(async () => {
      await job.tm.heartbeat();
      return job.tm.last('deploy', job.jobId)?.attempt === 2
        ? job.tm.last('deploy', job.jobId)
        : undefined;
    }, 'the redeploy');
    expect(redeploy.restore).toEqual({ checkpointId });
    expect(t.store.getJob(job.jobId)).toMatchObject({
      status: 'RUNNING',
      restartCount: 1,
      errorMessage: expect.stringContaining('division by zero'),
    });
    const transitions = t.store.listTransitions(job.jobId).map((tr) => tr.to);
    expect(transitions).toEqual(['CREATED', 'RUNNING', 'FAILING', 'RESTARTING', 'RUNNING']);

    await job.tm.heartbeat({
      tasks: [{ ...ScriptedTaskManager.reports(redeploy, 'FAILED', 'again')[0]! }],
    });
    const failed = t.store.getJob(job.jobId)!;
    expect(failed.status).toBe('FAILED');
    expect(failed.errorMessage).toContain('again');
    const logs = (await (
      await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/logs?level=ERROR`)
    ).json()) as LogEntryDto[];
    expect(logs.some((l) => l.message.includes('root cause') && l.message.includes('again'))).toBe(
      true,
    );
  });

  it('serves the snapshot of a completed checkpoint by vertex and subtask; 404 for an unknown one', async () => {
    t = createTestApp();
    const job = await startRunningJob(t);
    const checkpointId = await completeCheckpoint(t, job);
    const res = await t.call('GET', `/internal/v1/jobs/${job.jobId}/checkpoints/${checkpointId}`);
    expect(res.status).toBe(200);
    const snapshot = (await res.json()) as SnapshotResponse;
    expect(snapshot.checkpointId).toBe(checkpointId);
    expect(snapshot.vertices.source).toEqual([
      { task: 'source[0]', offset: checkpointId * 10 },
      { task: 'source[1]', offset: checkpointId * 10 },
    ]);
    expect(
      (await t.call('GET', `/internal/v1/jobs/${job.jobId}/checkpoints/${checkpointId + 5}`))
        .status,
    ).toBe(404);
  });

  it('accepts internal bodies above the public limit', async () => {
    t = createTestApp({ bodyLimitBytes: 1024 });
    const tm = new ScriptedTaskManager({
      id: 'tm-1',
      fetch: t.fetch,
      operators: Array.from({ length: 100 }, (_, i) => `Operator:op-${i}`),
    });
    await expect(tm.register()).resolves.toMatchObject({ taskManagerId: 'tm-1' });
  });
});
