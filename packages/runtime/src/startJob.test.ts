import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobDefinitionInput } from '@flinknet/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistry } from './registry';
import { type JobExecution, StartJobError, startJob } from './startJob';
import {
  committedRecords,
  decodePayload,
  deployOf,
  encodePayload,
  RecordingHooks,
  sumPerKey,
  tempDir,
  waitFor,
} from './test-support/jobFixture';

let dir: { path: string; remove: () => Promise<void> };
const running: JobExecution[] = [];

beforeEach(async () => {
  dir = await tempDir();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.cancel()));
  await dir.remove();
});

function start(
  input: JobDefinitionInput,
  options: Parameters<typeof deployOf>[1] & {
    restore?: ReturnType<RecordingHooks['snapshotOf']>;
  } = {},
) {
  const hooks = new RecordingHooks();
  const deploy = deployOf(input, options);
  const execution = startJob({
    deploy,
    registry: createRegistry(),
    dataDir: dir.path,
    restore: options.restore ?? null,
    hooks,
  });
  running.push(execution);
  return { execution, hooks, deploy };
}

function windowJob(
  source: Record<string, unknown>,
  parallelism = 2,
  windowMs = 100,
): JobDefinitionInput {
  return {
    jobName: 'counts',
    steps: [
      {
        name: 'src',
        operatorType: 'Source',
        typeName: 'sequence',
        parallelism,
        operatorProperties: source,
      },
      {
        name: 'by-key',
        operatorType: 'Operator',
        typeName: 'key-by',
        parallelism,
        outputKeying: { serializedKeySelector: 'field:key' },
      },
      {
        name: 'count',
        operatorType: 'Operator',
        typeName: 'window-aggregate',
        parallelism,
        windowing: { assignerType: 'TumblingProcessingTime', sizeMs: windowMs },
        operatorProperties: { aggregate: 'count' },
      },
      {
        name: 'out',
        operatorType: 'Sink',
        typeName: 'file',
        parallelism,
        operatorProperties: { path: 'out/counts' },
      },
    ],
  };
}

const allAcked = (hooks: RecordingHooks, checkpointId: number, subtasks: number) => () =>
  hooks.acksOf(checkpointId).length === subtasks;

describe('startJob', () => {
  it('counts every key exactly once through key-by, windows and the file sink', async () => {
    const { execution, hooks } = start(windowJob({ count: 20_000, keys: 10 }));
    await execution.done;
    expect(hooks.finalStates().every((s) => s === 'FINISHED')).toBe(true);
    expect(hooks.finalStates()).toHaveLength(8);
    const sourceStates = hooks.states
      .filter((s) => s.vertexId === 'src' && s.subtaskIndex === 0)
      .map((s) => s.state);
    expect(sourceStates).toEqual(['DEPLOYING', 'RUNNING', 'FINISHED']);
    const sums = sumPerKey(await committedRecords(join(dir.path, 'out/counts')));
    expect(sums.size).toBe(10);
    for (const sum of sums.values()) expect(sum).toBe(2000);
    const reports = execution.reports();
    const sources = reports.filter((r) => r.vertexId === 'src');
    expect(sources.reduce((n, r) => n + r.metrics!.recordsOut, 0)).toBe(20_000);
    const windows = reports.filter((r) => r.vertexId === 'count');
    expect(windows.reduce((n, r) => n + r.metrics!.recordsIn, 0)).toBe(20_000);
  });

  it('acknowledges one snapshot per subtask with source offsets and keyed window state', async () => {
    const { execution, hooks, deploy } = start(
      windowJob({ ratePerSecond: 5000, keys: 4 }, 2, 60_000),
    );
    await waitFor(() => execution.reports().every((r) => r.state === 'RUNNING'), 5000, 'RUNNING');
    await waitFor(
      () => execution.reports().some((r) => r.vertexId === 'count' && r.metrics!.recordsIn > 100),
      5000,
      'records',
    );
    execution.triggerCheckpoint(1, 'CHECKPOINT', Date.now());
    await waitFor(allAcked(hooks, 1, 8), 5000, 'acks');
    const acks = hooks.acksOf(1);
    expect(new Set(acks.map((a) => `${a.vertexId}#${a.subtaskIndex}`)).size).toBe(8);
    expect(
      acks.every((a) => a.jobId === deploy.jobId && a.attempt === 1 && a.stateSizeBytes > 0),
    ).toBe(true);
    const source = acks.find((a) => a.vertexId === 'src')!.snapshot as {
      splits: Record<string, { next: number }>;
    };
    expect(Object.keys(source.splits)).toHaveLength(64);
    const windows = acks
      .filter((a) => a.vertexId === 'count')
      .map((a) => a.snapshot as { keyed: Record<string, unknown> });
    expect(windows.some((w) => Object.keys(w.keyed).length > 0)).toBe(true);
    expect(hooks.declines).toEqual([]);
  });

  it('restores from a checkpoint at new parallelism (2 -> 4 -> 1) and still counts every key exactly once', async () => {
    const job = windowJob({ count: 24_000, keys: 8, ratePerSecond: 12_000 });
    const first = start(job);
    await waitFor(
      () => first.execution.reports().some((r) => r.vertexId === 'out' && r.metrics!.recordsIn > 0),
      5000,
      'output',
    );
    first.execution.triggerCheckpoint(1, 'SAVEPOINT', Date.now());
    await waitFor(allAcked(first.hooks, 1, 8), 5000, 'acks of 1');
    await first.execution.notifyCheckpointComplete(1);
    // The process dies after the savepoint: whatever it staged since is lost.
    await first.execution.cancel();
    const snapshot1 = first.hooks.snapshotOf(first.deploy.jobId, 1);

    const wide = { src: 4, 'by-key': 4, count: 4, out: 4 };
    const second = start(job, {
      jobId: first.deploy.jobId,
      attempt: 2,
      parallelism: wide,
      restore: snapshot1,
    });
    await waitFor(
      () =>
        second.execution.reports().some((r) => r.vertexId === 'out' && r.metrics!.recordsIn > 0),
      5000,
      'output 2',
    );
    second.execution.triggerCheckpoint(2, 'SAVEPOINT', Date.now());
    await waitFor(allAcked(second.hooks, 2, 16), 5000, 'acks of 2');
    await second.execution.notifyCheckpointComplete(2);
    await second.execution.cancel();
    const snapshot2 = second.hooks.snapshotOf(first.deploy.jobId, 2);

    const narrow = { src: 1, 'by-key': 1, count: 1, out: 1 };
    const third = start(job, {
      jobId: first.deploy.jobId,
      attempt: 3,
      parallelism: narrow,
      restore: snapshot2,
    });
    await third.execution.done;
    expect(third.hooks.finalStates().every((s) => s === 'FINISHED')).toBe(true);

    const sums = sumPerKey(await committedRecords(join(dir.path, 'out/counts')));
    expect([...sums.keys()].sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7']);
    for (const sum of sums.values()) expect(sum).toBe(3000);
    // Leftovers of the canceled attempts were cleaned up.
    const names = await readdir(join(dir.path, 'out/counts'));
    expect(names.filter((n) => n.startsWith('.'))).toEqual([]);
  }, 20_000);

  it('commits file sink output only when the checkpoint completes', async () => {
    const { execution, hooks } = start({
      jobName: 'commit',
      steps: [
        {
          name: 'src',
          operatorType: 'Source',
          typeName: 'sequence',
          operatorProperties: { ratePerSecond: 2000 },
        },
        {
          name: 'out',
          operatorType: 'Sink',
          typeName: 'file',
          operatorProperties: { path: 'committed' },
        },
      ],
    });
    await waitFor(
      () => execution.reports()[1]!.metrics!.recordsIn > 50,
      5000,
      'records in the sink',
    );
    execution.triggerCheckpoint(1, 'CHECKPOINT', Date.now());
    await waitFor(allAcked(hooks, 1, 2), 5000, 'acks');
    const out = join(dir.path, 'committed');
    expect(await committedRecords(out)).toEqual([]);
    expect((await readdir(out)).some((n) => n.endsWith('.pending'))).toBe(true);

    await execution.notifyCheckpointComplete(1);
    const splits = (
      hooks.acksOf(1).find((a) => a.vertexId === 'src')!.snapshot as {
        splits: Record<string, { next: number }>;
      }
    ).splits;
    // Split j emits j, j + 128, ...: it emitted (next - j) / 128 records before the barrier.
    const emitted = Object.entries(splits).reduce((n, [j, s]) => n + (s.next - Number(j)) / 128, 0);
    const committed = (await committedRecords(out)) as Array<{ seq: number }>;
    expect(committed).toHaveLength(emitted);
    expect(committed.map((r) => r.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: emitted }, (_, i) => i),
    );
    expect(await readdir(out)).toContain('part-0-1-a1.jsonl');
  });

  it('puts exactly the records fail() rejects into the DLQ and takes a resubmitted edit through to the sink', async () => {
    const { execution, hooks } = start({
      jobName: 'dlq',
      errorTolerance: 'all',
      steps: [
        {
          name: 'src',
          operatorType: 'Source',
          typeName: 'sequence',
          operatorProperties: { ratePerSecond: 200 },
        },
        {
          name: 'first-ten',
          operatorType: 'Operator',
          typeName: 'filter',
          operatorProperties: { expression: 'value.seq < 10' },
        },
        {
          name: 'check',
          operatorType: 'Operator',
          typeName: 'map',
          operatorProperties: {
            expression: 'value.seq == 3 || value.seq == 7 ? fail("unlucky") : {"seq": value.seq}',
          },
        },
        {
          name: 'out',
          operatorType: 'Sink',
          typeName: 'file',
          operatorProperties: { path: 'dlq-out' },
        },
      ],
    });
    await waitFor(() => hooks.dlq.length === 2, 5000, 'two DLQ records');
    expect(hooks.dlq.map((d) => [d.stepName, d.vertexId, d.errorMessage, d.messageId])).toEqual([
      ['check', 'check', 'unlucky', undefined],
      ['check', 'check', 'unlucky', undefined],
    ]);
    expect(hooks.dlq.map((d) => (decodePayload(d.payload) as { seq: number }).seq)).toEqual([3, 7]);

    execution.resubmit([
      {
        messageId: '11111111-1111-4111-8111-111111111111',
        stepName: 'check',
        payload: encodePayload({ seq: 103 }),
      },
      {
        messageId: '22222222-2222-4222-8222-222222222222',
        stepName: 'check',
        payload: hooks.dlq[1]!.payload,
      },
    ]);
    await waitFor(() => hooks.dlq.length === 3, 5000, 'the unchanged record to fail again');
    expect(hooks.dlq[2]!.messageId).toBe('22222222-2222-4222-8222-222222222222');
    execution.finish();
    await execution.done;
    const seqs = ((await committedRecords(join(dir.path, 'dlq-out'))) as Array<{ seq: number }>)
      .map((r) => r.seq)
      .sort((a, b) => a - b);
    expect(seqs).toEqual([0, 1, 2, 4, 5, 6, 8, 9, 103]);
    expect(execution.reports().find((r) => r.vertexId === 'check')!.metrics!.dlqRecords).toBe(3);
  });

  it('fails the task, and cancels the others, on a rejected record when errorTolerance is none', async () => {
    const { execution, hooks } = start({
      jobName: 'strict',
      steps: [
        {
          name: 'src',
          operatorType: 'Source',
          typeName: 'sequence',
          operatorProperties: { count: 100 },
        },
        {
          name: 'check',
          operatorType: 'Operator',
          typeName: 'map',
          operatorProperties: { expression: 'value.seq == 42 ? fail("no 42") : value' },
        },
        { name: 'out', operatorType: 'Sink', typeName: 'discard' },
      ],
    });
    await execution.done;
    const failed = hooks.states.find((s) => s.state === 'FAILED')!;
    expect(failed.vertexId).toBe('check');
    expect(failed.error).toMatch(/step "check" failed on a record: no 42/);
    expect(hooks.dlq).toEqual([]);
  });

  it('cancels every subtask within a second', async () => {
    const { execution, hooks } = start(windowJob({ keys: 100 }));
    await waitFor(() => execution.reports().every((r) => r.state === 'RUNNING'), 5000, 'RUNNING');
    await waitFor(() => execution.reports()[0]!.metrics!.recordsOut > 10_000, 5000, 'records');
    const started = performance.now();
    await execution.cancel();
    await execution.done;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(execution.reports().every((r) => r.state === 'CANCELED')).toBe(true);
    expect(hooks.finalStates().every((s) => s === 'CANCELED')).toBe(true);
  });

  it('fails the sink with a clear error when its path leaves the data directory', async () => {
    const { execution, hooks } = start({
      jobName: 'escape',
      steps: [
        {
          name: 'src',
          operatorType: 'Source',
          typeName: 'sequence',
          operatorProperties: { count: 10 },
        },
        {
          name: 'out',
          operatorType: 'Sink',
          typeName: 'file',
          operatorProperties: { path: '../../etc/flinknet' },
        },
      ],
    });
    await execution.done;
    const failed = hooks.states.find((s) => s.state === 'FAILED');
    expect(failed?.vertexId).toBe('out');
    expect(failed?.error).toMatch(/escapes the data directory/);
  });

  it('refuses a deployment naming an operator that is not registered', () => {
    const deploy = deployOf({
      jobName: 'unknown',
      steps: [
        { name: 'src', operatorType: 'Source', typeName: 'kafka', operatorProperties: {} },
        { name: 'out', operatorType: 'Sink', typeName: 'discard' },
      ],
    });
    expect(() =>
      startJob({
        deploy,
        registry: createRegistry(),
        dataDir: dir.path,
        restore: null,
        hooks: new RecordingHooks(),
      }),
    ).toThrow(new StartJobError('no Source "kafka" is registered here (step "src")'));
  });

  it('refuses a deployment that does not place every subtask here', () => {
    const deploy = deployOf(windowJob({ count: 1 }));
    deploy.tasks = deploy.tasks.slice(1);
    expect(() =>
      startJob({
        deploy,
        registry: createRegistry(),
        dataDir: dir.path,
        restore: null,
        hooks: new RecordingHooks(),
      }),
    ).toThrow(/all subtasks of a job must run in one TaskManager/);
  });

  it('runs the design example: a window step that keys its own input by outputKeying', async () => {
    const { execution } = start({
      jobName: 'clicks-per-user',
      steps: [
        {
          name: 'clicks',
          operatorType: 'Source',
          typeName: 'sequence',
          parallelism: 2,
          operatorProperties: { count: 1000, keys: 100 },
        },
        {
          name: 'per-user',
          operatorType: 'Operator',
          typeName: 'window-aggregate',
          parallelism: 3,
          outputKeying: { serializedKeySelector: 'field:key' },
          windowing: { assignerType: 'TumblingProcessingTime', sizeMs: 1000 },
          operatorProperties: { aggregate: 'count' },
        },
        {
          name: 'out',
          operatorType: 'Sink',
          typeName: 'file',
          operatorProperties: { path: 'out/clicks' },
        },
      ],
      checkpointIntervalMs: 1000,
    });
    await execution.done;
    const sums = sumPerKey(await committedRecords(join(dir.path, 'out/clicks')));
    expect(sums.size).toBe(100);
    expect([...sums.values()].every((n) => n === 10)).toBe(true);
  });

  it('reports backpressure at the source when the sink is slow', async () => {
    const registry = createRegistry();
    registry.register({
      operatorType: 'Sink',
      typeName: 'slow',
      create: () => ({ invoke: () => new Promise<void>((resolve) => setTimeout(resolve, 1)) }),
    });
    const hooks = new RecordingHooks();
    const deploy = deployOf({
      jobName: 'slow',
      steps: [
        { name: 'src', operatorType: 'Source', typeName: 'sequence', operatorProperties: {} },
        {
          name: 'pass',
          operatorType: 'Operator',
          typeName: 'map',
          parallelism: 2,
          operatorProperties: { expression: 'value' },
        },
        { name: 'out', operatorType: 'Sink', typeName: 'slow', parallelism: 2 },
      ],
    });
    const execution = startJob({ deploy, registry, dataDir: dir.path, restore: null, hooks });
    running.push(execution);
    await waitFor(() => execution.reports().every((r) => r.state === 'RUNNING'), 5000, 'RUNNING');
    execution.reports();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const source = execution.reports().find((r) => r.vertexId === 'src')!;
    expect(source.metrics!.backpressureRatio).toBeGreaterThan(0.5);
    // Bounded channels: what the source emitted but the sink has not taken stays small.
    const sunk = execution
      .reports()
      .filter((r) => r.vertexId === 'out')
      .reduce((n, r) => n + r.metrics!.recordsIn, 0);
    expect(source.metrics!.recordsOut - sunk).toBeLessThan(2 * 2 * 17 * 1024);
  });

  it('runs chainedOperators inside their step, with their own DLQ name and resubmission', async () => {
    const { execution, hooks } = start({
      jobName: 'chained',
      errorTolerance: 'all',
      steps: [
        {
          name: 'src',
          operatorType: 'Source',
          typeName: 'sequence',
          operatorProperties: { ratePerSecond: 200 },
        },
        {
          name: 'first-ten',
          operatorType: 'Operator',
          typeName: 'filter',
          operatorProperties: { expression: 'value.seq < 10' },
          chainedOperators: [
            {
              name: 'check',
              typeName: 'map',
              operatorProperties: { expression: 'value.seq == 4 ? fail("four") : value' },
            },
            {
              name: 'tag',
              typeName: 'map',
              operatorProperties: { expression: '{"seq": value.seq, "tagged": true}' },
            },
          ],
        },
        {
          name: 'out',
          operatorType: 'Sink',
          typeName: 'file',
          operatorProperties: { path: 'chained' },
        },
      ],
    });
    await waitFor(() => hooks.dlq.length === 1, 5000, 'the rejected record');
    expect(hooks.dlq[0]).toMatchObject({
      stepName: 'check',
      vertexId: 'first-ten',
      errorMessage: 'four',
    });
    execution.resubmit([
      {
        messageId: '33333333-3333-4333-8333-333333333333',
        stepName: 'check',
        payload: encodePayload({ seq: 104 }),
      },
    ]);
    await waitFor(
      () => execution.reports().find((r) => r.vertexId === 'out')!.metrics!.recordsIn === 10,
      5000,
      'ten records at the sink',
    );
    execution.finish();
    await execution.done;
    const records = (await committedRecords(join(dir.path, 'chained'))) as Array<{
      seq: number;
      tagged: boolean;
    }>;
    expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 5, 6, 7, 8, 9, 104,
    ]);
    expect(records.every((r) => r.tagged)).toBe(true);
  });

  it('refuses a chained operator that is not registered', () => {
    const deploy = deployOf({
      jobName: 'bad-chain',
      steps: [
        {
          name: 'src',
          operatorType: 'Source',
          typeName: 'sequence',
          chainedOperators: [{ name: 'x', typeName: 'nope' }],
        },
        { name: 'out', operatorType: 'Sink', typeName: 'discard' },
      ],
    });
    expect(() =>
      startJob({
        deploy,
        registry: createRegistry(),
        dataDir: dir.path,
        restore: null,
        hooks: new RecordingHooks(),
      }),
    ).toThrow(/no Operator "nope" is registered here \(chained operator "x" of step "src"\)/);
  });

  it('acknowledges checkpoints of finished subtasks with their final state', async () => {
    const { execution, hooks } = start(windowJob({ count: 100, keys: 2 }, 1));
    await execution.done;
    execution.triggerCheckpoint(5, 'CHECKPOINT', Date.now());
    expect(hooks.acksOf(5)).toHaveLength(4);
  });
});
