import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type {
  CheckpointDetailDto,
  CheckpointInfoDto,
  LogEntryDto,
  ProblemDetails,
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

describe('checkpoints', () => {
  it('POST answers 202 IN_PROGRESS; COMPLETED only after every subtask acknowledged, with the snapshot on disk', async () => {
    t = createTestApp();
    const job = await startRunningJob(t);
    const res = await t.call('POST', `/api/jobmanager/jobs/${job.jobId}/checkpoints`);
    expect(res.status).toBe(202);
    const triggered = (await res.json()) as CheckpointInfoDto;
    expect(triggered).toMatchObject({
      status: 'IN_PROGRESS',
      kind: 'CHECKPOINT',
      reason: 'manual',
      total: 4,
      acknowledged: 0,
    });
    await job.tm.heartbeat();
    const command = job.tm.last('checkpoint', job.jobId)!;
    const acks = ScriptedTaskManager.acks(job.deploy, command);
    await job.tm.heartbeat({ checkpointAcks: acks.slice(0, 3) });
    const partial = (await (
      await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/checkpoints/${command.checkpointId}`)
    ).json()) as CheckpointDetailDto;
    expect(partial).toMatchObject({ status: 'IN_PROGRESS', acknowledged: 3 });
    expect(partial.tasks.filter((task) => task.acknowledged)).toHaveLength(3);
    await job.tm.heartbeat({ checkpointAcks: acks.slice(3) });
    const detail = (await (
      await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/checkpoints/${command.checkpointId}`)
    ).json()) as CheckpointDetailDto;
    expect(detail).toMatchObject({ status: 'COMPLETED', acknowledged: 4, total: 4 });
    expect(detail.sizeBytes).toBeGreaterThan(0);
    expect(
      existsSync(join(t.dataDir, 'checkpoints', job.jobId, `${command.checkpointId}.json`)),
    ).toBe(true);
    await job.tm.heartbeat();
    expect(job.tm.last('checkpointComplete', job.jobId)).toMatchObject({
      checkpointId: command.checkpointId,
    });
  });

  it('lists checkpoints newest first with a Link to the next page and a status filter', async () => {
    t = createTestApp();
    const job = await startRunningJob(t);
    const ids = [
      await completeCheckpoint(t, job),
      await completeCheckpoint(t, job),
      await completeCheckpoint(t, job),
    ];
    const first = await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/checkpoints?limit=2`);
    expect(first.status).toBe(200);
    expect(((await first.json()) as CheckpointInfoDto[]).map((c) => c.checkpointId)).toEqual([
      ids[2],
      ids[1],
    ]);
    const link = first.headers.get('link')!;
    const rest = (await (
      await t.call('GET', link.slice(1, link.indexOf('>')))
    ).json()) as CheckpointInfoDto[];
    expect(rest.map((c) => c.checkpointId)).toEqual([ids[0]]);
    const failed = (await (
      await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/checkpoints?status=FAILED`)
    ).json()) as CheckpointInfoDto[];
    expect(failed).toEqual([]);
  });

  it('counts ended checkpoints in the Prometheus metrics', async () => {
    t = createTestApp();
    const job = await startRunningJob(t);
    await completeCheckpoint(t, job);
    const text = await (await t.call('GET', '/metrics')).text();
    expect(text).toContain('flinknet_checkpoints_total{status="COMPLETED"} 1');
  });

  it('keeps only the last N completed checkpoints and deletes the files of pruned ones', async () => {
    t = createTestApp({ checkpointsRetained: 2 });
    const job = await startRunningJob(t);
    const ids = [
      await completeCheckpoint(t, job),
      await completeCheckpoint(t, job),
      await completeCheckpoint(t, job),
    ];
    const listed = (await (
      await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/checkpoints`)
    ).json()) as CheckpointInfoDto[];
    expect(listed.map((c) => c.checkpointId)).toEqual([ids[2], ids[1]]);
    expect(existsSync(join(t.dataDir, 'checkpoints', job.jobId, `${ids[0]}.json`))).toBe(false);
  });

  it('fails a declined checkpoint with the reason and one that times out', async () => {
    t = createTestApp({ checkpointTimeoutMs: 100 });
    const job = await startRunningJob(t);
    const declined = (await (
      await t.call('POST', `/api/jobmanager/jobs/${job.jobId}/checkpoints`)
    ).json()) as CheckpointInfoDto;
    const task = job.deploy.tasks[0]!;
    await job.tm.heartbeat({
      checkpointDeclines: [
        {
          jobId: job.jobId,
          attempt: job.deploy.attempt,
          ...task,
          checkpointId: declined.checkpointId,
          reason: 'disk full',
        },
      ],
    });
    const afterDecline = (await (
      await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/checkpoints/${declined.checkpointId}`)
    ).json()) as CheckpointDetailDto;
    expect(afterDecline.status).toBe('FAILED');
    expect(afterDecline.failureReason).toContain('disk full');
    const slow = (await (
      await t.call('POST', `/api/jobmanager/jobs/${job.jobId}/checkpoints`)
    ).json()) as CheckpointInfoDto;
    const timedOut = await waitFor(async () => {
      const cp = (await (
        await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/checkpoints/${slow.checkpointId}`)
      ).json()) as CheckpointDetailDto;
      return cp.status === 'FAILED' ? cp : undefined;
    }, 'the checkpoint timeout');
    expect(timedOut.failureReason).toBe('timed out after 100 ms');
  });

  it('triggers periodic checkpoints at the job interval', async () => {
    t = createTestApp();
    const job = await startRunningJob(t, jobDefinition({ checkpointIntervalMs: 100 }));
    await waitFor(async () => {
      await job.tm.heartbeat();
      return job.tm.last('checkpoint', job.jobId)?.kind === 'CHECKPOINT';
    }, 'a periodic checkpoint');
    expect(t.store.listCheckpoints(job.jobId, { limit: 10 }).items[0]?.reason).toBe('periodic');
  });

  it('answers 409 when the job is not RUNNING and 404 for unknown jobs and checkpoints', async () => {
    t = createTestApp();
    const submitted = await t.call('POST', '/api/jobmanager/submit', jobDefinition());
    const { jobId } = (await submitted.json()) as { jobId: string };
    const res = await t.call('POST', `/api/jobmanager/jobs/${jobId}/checkpoints`);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'ILLEGAL_STATE', state: 'CREATED' });
    expect((await t.call('GET', `/api/jobmanager/jobs/${UNKNOWN}/checkpoints`)).status).toBe(404);
    expect((await t.call('GET', `/api/jobmanager/jobs/${jobId}/checkpoints/7`)).status).toBe(404);
    const bad = await t.call('GET', `/api/jobmanager/jobs/${jobId}/checkpoints/abc`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ProblemDetails).errors?.[0]?.path).toBe('params/checkpointId');
  });
});

describe('GET /api/jobmanager/jobs/{jobId}/logs', () => {
  it('has transitions and TaskManager lines oldest first, filtered by level and time, paged', async () => {
    t = createTestApp();
    const job = await startRunningJob(t);
    await job.tm.heartbeat({
      logs: [
        {
          jobId: job.jobId,
          attempt: job.deploy.attempt,
          level: 'ERROR',
          source: 'double[0]',
          message: 'boom',
          timestamp: new Date().toISOString(),
        },
      ],
    });
    const all = (await (
      await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/logs`)
    ).json()) as LogEntryDto[];
    expect(all[0]?.message).toContain('CREATED');
    expect(all.some((l) => l.message.includes('-> RUNNING'))).toBe(true);
    const errors = (await (
      await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/logs?level=ERROR`)
    ).json()) as LogEntryDto[];
    expect(errors).toEqual([
      expect.objectContaining({ level: 'ERROR', source: 'tm-1/double[0]', message: 'boom' }),
    ]);
    const paged = await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/logs?limit=1`);
    expect(paged.headers.get('link')).toContain('rel="next"');
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(
      await (await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/logs?since=${future}`)).json(),
    ).toEqual([]);
    expect((await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/logs?level=LOUD`)).status).toBe(
      422,
    );
    expect((await t.call('GET', `/api/jobmanager/jobs/${UNKNOWN}/logs`)).status).toBe(404);
  });
});

describe('GET /api/jobmanager/jobs/{jobId}/events', () => {
  it('streams status events as SSE and resumes after Last-Event-ID', async () => {
    t = createTestApp();
    const job = await startRunningJob(t);
    await job.tm.heartbeat({ tasks: ScriptedTaskManager.reports(job.deploy, 'FINISHED') });
    const res = await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/events`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text(); // the stream ends after the terminal status
    const events = parseSse(text);
    expect(
      events.filter((e) => e.event === 'status').map((e) => JSON.parse(e.data).status),
    ).toEqual(['CREATED', 'RUNNING', 'FINISHED']);
    const running = events.find((e) => e.data.includes('"RUNNING"'))!;
    const resumed = parseSse(
      await (
        await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/events`, undefined, {
          'last-event-id': running.id,
        })
      ).text(),
    );
    expect(resumed.map((e) => JSON.parse(e.data).status)).toEqual(['FINISHED']);
    expect((await t.call('GET', `/api/jobmanager/jobs/${UNKNOWN}/events`)).status).toBe(404);
    const bad = await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/events`, undefined, {
      'last-event-id': 'yesterday',
    });
    expect(bad.status).toBe(400);
  });
});

describe('live job events', () => {
  it('delivers events as they happen, with keep-alive comments, and ends after the terminal status', async () => {
    t = createTestApp({ sseHeartbeatMs: 20, cancelTimeoutMs: 60_000 });
    const job = await startRunningJob(t);
    const res = await t.call('GET', `/api/jobmanager/jobs/${job.jobId}/events`);
    const body = res.text();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await t.call('POST', `/api/jobmanager/jobs/${job.jobId}/cancel`);
    await job.tm.heartbeat({ tasks: ScriptedTaskManager.reports(job.deploy, 'CANCELED') });
    const text = await body;
    expect(text).toContain(': keep-alive');
    const statuses = parseSse(text)
      .filter((e) => e.event === 'status')
      .map((e) => JSON.parse(e.data).status);
    expect(statuses).toEqual(['CREATED', 'RUNNING', 'CANCELLING', 'CANCELED']);
  });
});

function parseSse(text: string): Array<{ id: string; event: string; data: string }> {
  return text
    .split('\n\n')
    .filter((block) => block.includes('data:'))
    .map((block) => {
      const field = (name: string) =>
        block
          .split('\n')
          .find((l) => l.startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .trim() ?? '';
      return { id: field('id'), event: field('event'), data: field('data') };
    });
}
