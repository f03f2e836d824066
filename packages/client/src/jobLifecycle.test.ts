import type { JobDefinitionInput, JobEventDto } from '@flinknet/contracts';
import {
  eventually,
  type RunningJobManager,
  type RunningProcess,
  startJobManager,
  startTaskManager,
} from '@flinknet/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '../test/tcpProxy';
import { createClient, type FlinkNetClient } from './createClient';

function sequenceJob(jobName: string): JobDefinitionInput {
  return {
    jobName,
    steps: [
      {
        name: 'numbers',
        operatorType: 'Source',
        typeName: 'sequence',
        parallelism: 2,
        operatorProperties: { ratePerSecond: 200, keys: 4 },
      },
      { name: 'sink', operatorType: 'Sink', typeName: 'discard' },
    ],
    checkpointIntervalMs: 300,
  };
}

describe('a job with a real TaskManager', () => {
  let server: RunningJobManager;
  let taskManager: RunningProcess;
  let client: FlinkNetClient;
  let proxy: TcpProxy;

  beforeAll(async () => {
    server = await startJobManager();
    taskManager = await startTaskManager(server);
    client = createClient({ baseUrl: server.url, token: server.token });
    proxy = await startTcpProxy(server.url);
    await eventually(
      async () => ((await client.taskManagers.list()).length > 0 ? true : undefined),
      15_000,
      'a registered TaskManager',
    );
  }, 90_000);

  // A failed test must not leave its job holding the TaskManager's slots.
  afterEach(async () => {
    for await (const job of client.jobs.iterate()) {
      if (job.status === 'RUNNING' || job.status === 'CREATED')
        await client.jobs.cancel(job.jobId).catch(() => {});
    }
  });

  afterAll(async () => {
    await proxy?.close();
    await taskManager?.stop();
    await server?.stop();
  });

  it('lists the TaskManager with its slots and operators', async () => {
    const [tm] = await client.taskManagers.list();
    expect(tm).toMatchObject({ state: 'ACTIVE', slotsTotal: 4 });
    // Entries are typeNames, possibly qualified by kind ("Source:sequence") since `file` is both.
    const typeNames = (tm?.operators ?? []).map((o) => o.split(':').at(-1));
    expect(typeNames).toEqual(expect.arrayContaining(['sequence', 'discard']));
    expect((await client.cluster.overview()).taskManagers).toBe(1);
  });

  it('runs a job, reports metrics and completes a triggered checkpoint, then stops it to FINISHED', async () => {
    const { jobId } = await client.jobs.submit(sequenceJob('lifecycle'));
    const status = await client.jobs.waitForStatus(jobId, 'RUNNING', { timeoutMs: 30_000 });
    expect(status.allowedActions).toEqual(expect.arrayContaining(['stop', 'cancel', 'scale']));

    const source = await eventually(
      async () => {
        const metrics = await client.jobs.metrics(jobId);
        const numbers = metrics.find((v) => v.vertexName === 'numbers');
        return numbers && numbers.recordsOut > 0 ? numbers : undefined;
      },
      20_000,
      'source records',
    );
    expect(source.parallelism).toBe(2);

    const triggered = await client.jobs.triggerCheckpoint(jobId);
    const completed = await eventually(
      async () => {
        const detail = await client.jobs.checkpoint(jobId, triggered.checkpointId);
        return detail.status === 'COMPLETED' ? detail : undefined;
      },
      20_000,
      'a completed checkpoint',
    );
    expect(completed.tasks.length).toBeGreaterThan(0);
    expect(completed.tasks.every((t) => t.acknowledged)).toBe(true);

    const newestFirst = [];
    for await (const c of client.jobs.iterateCheckpoints(jobId, { limit: 1 })) {
      newestFirst.push(c.checkpointId);
      if (newestFirst.length === 3) break;
    }
    expect(newestFirst).toEqual([...newestFirst].sort((a, b) => b - a));

    const stopping = await client.jobs.stop(jobId);
    expect(['STOPPING', 'FINISHED']).toContain(stopping.status);
    await client.jobs.waitForStatus(jobId, 'FINISHED', { timeoutMs: 30_000 });
    const final = await client.jobs.checkpoints(jobId, { limit: 1 });
    expect(final.items[0]).toMatchObject({ status: 'COMPLETED', reason: 'stop' });
    const logs = [];
    for await (const entry of client.jobs.iterateLogs(jobId, { limit: 5 })) logs.push(entry);
    expect(logs.length).toBeGreaterThan(0);
  }, 120_000);

  it('keeps streaming events across a dropped connection, resuming with Last-Event-ID', async () => {
    const { jobId } = await client.jobs.submit(sequenceJob('events-reconnect'));
    await client.jobs.waitForStatus(jobId, 'RUNNING', { timeoutMs: 30_000 });
    const viaProxy = createClient({ baseUrl: proxy.url, token: server.token });
    const connectionsBefore = proxy.heads.length;
    const seen: JobEventDto[] = [];
    let cutAfterId: number | undefined;
    for await (const event of viaProxy.jobs.events(jobId, { reconnectDelayMs: 50 })) {
      seen.push(event);
      if (seen.length === 2) {
        cutAfterId = event.id;
        proxy.cut();
      }
      if (seen.length === 6) break;
    }
    const ids = seen.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const heads = proxy.heads.slice(connectionsBefore).filter((h) => h.includes('/events'));
    expect(heads.length).toBeGreaterThanOrEqual(2);
    // The reconnect resumes after the last event received before the cut (the
    // parser may have read a few more than the loop had reached).
    const resumedAfter = Number(/last-event-id: (\d+)/i.exec(heads[1] ?? '')?.[1]);
    expect(ids).toContain(resumedAfter);
    expect(resumedAfter).toBeGreaterThanOrEqual(cutAfterId as number);
    await client.jobs.cancel(jobId);
    await client.jobs.waitForStatus(jobId, 'CANCELED', { timeoutMs: 30_000 });
  }, 120_000);

  it('rescales a running job and restarts it from a checkpoint', async () => {
    const { jobId } = await client.jobs.submit(sequenceJob('rescale'));
    const first = await client.jobs.waitForStatus(jobId, 'RUNNING', { timeoutMs: 30_000 });
    await client.jobs.scale(jobId, { desiredParallelism: 3, operatorName: 'numbers' });
    await eventually(
      async () => {
        const detail = await client.jobs.get(jobId);
        const numbers = detail.jobGraph.vertices.find((v) => v.name === 'numbers');
        return detail.status === 'RUNNING' &&
          numbers?.parallelism === 3 &&
          detail.attempt > first.attempt
          ? detail
          : undefined;
      },
      30_000,
      'the job RUNNING at parallelism 3',
    );

    const checkpoint = await eventually(
      async () => {
        const page = await client.jobs.checkpoints(jobId, { status: 'COMPLETED', limit: 1 });
        return page.items[0];
      },
      20_000,
      'a completed checkpoint',
    );
    const before = await client.jobs.status(jobId);
    await client.jobs.restart(jobId, { checkpointId: checkpoint.checkpointId });
    const after = await eventually(
      async () => {
        const s = await client.jobs.status(jobId);
        return s.status === 'RUNNING' && s.attempt > before.attempt ? s : undefined;
      },
      30_000,
      'the restarted job RUNNING',
    );
    expect(after.attempt).toBeGreaterThan(before.attempt);
    await client.jobs.cancel(jobId);
  }, 120_000);

  it('collects rejected records in the DLQ, repairs one, resubmits it and discards another', async () => {
    const { jobId } = await client.jobs.submit({
      jobName: 'dlq',
      steps: [
        {
          name: 'numbers',
          operatorType: 'Source',
          typeName: 'sequence',
          operatorProperties: { ratePerSecond: 100 },
        },
        {
          name: 'check',
          operatorType: 'Operator',
          typeName: 'map',
          operatorProperties: { expression: 'value.seq % 5 == 3 ? fail("ends in 3 or 8") : value' },
        },
        { name: 'sink', operatorType: 'Sink', typeName: 'discard' },
      ],
      errorTolerance: 'all',
    });
    await client.jobs.waitForStatus(jobId, 'RUNNING', { timeoutMs: 30_000 });
    const pending = await eventually(
      async () => {
        const page = await client.dlq.list(jobId, { status: 'PENDING', limit: 2 });
        return page.items.length === 2 ? page.items : undefined;
      },
      20_000,
      'two dead-letter messages',
    );
    const [first, second] = pending as [(typeof pending)[0], (typeof pending)[0]];
    expect(first).toMatchObject({
      stepName: 'check',
      errorMessage: expect.stringContaining('ends in 3 or 8'),
    });
    const record = JSON.parse(atob(first.payload)) as { seq: number };
    expect(record.seq % 5).toBe(3);

    const fixed = btoa(JSON.stringify({ ...record, seq: record.seq + 1 }));
    const updated = await client.dlq.update(jobId, first.messageId, { newPayload: fixed });
    expect(updated.newPayload).toBe(fixed);
    expect((await client.dlq.get(jobId, first.messageId)).newPayload).toBe(fixed);

    const result = await client.dlq.resubmit(jobId, { messageIds: [first.messageId] });
    expect(result).toMatchObject({ jobId, resubmitted: 1, messageIds: [first.messageId] });
    await eventually(
      async () =>
        (await client.dlq.get(jobId, first.messageId)).status === 'RESUBMITTED' ? true : undefined,
      20_000,
      'RESUBMITTED',
    );

    await client.dlq.delete(jobId, second.messageId);
    const left = [];
    for await (const m of client.dlq.iterate(jobId, { status: 'PENDING', limit: 50 })) {
      left.push(m.messageId);
      if (left.length > 500) break;
    }
    expect(left).not.toContain(second.messageId);
    await client.jobs.cancel(jobId);
  }, 120_000);
});
