import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError } from '../errors';
import type { Store } from '../openStore';
import { createSampleJob, FakeClock, TempStores } from '../test-support/fixtures';
import type { JobRecord, TaskUpdate } from '../types';
import { ratePerSecond } from './tasks';

const metrics = (
  recordsIn: number,
  recordsOut: number,
  extra: Partial<NonNullable<TaskUpdate['metrics']>> = {},
) => ({
  recordsIn,
  recordsOut,
  backpressureRatio: 0,
  stateSizeBytes: 0,
  dlqRecords: 0,
  ...extra,
});

describe('tasks', () => {
  let temp: TempStores;
  let clock: FakeClock;
  let store: Store;
  let job: JobRecord;
  beforeEach(() => {
    temp = new TempStores();
    clock = new FakeClock();
    store = temp.open('tasks.db', { now: clock.now });
    job = createSampleJob(store);
  });
  afterEach(() => temp.cleanup());

  const deploy = (attempt: number) =>
    store.putTasks(job.jobId, attempt, [
      { vertexId: 'clicks', subtaskIndex: 0, taskManagerId: 'tm-1', state: 'DEPLOYING' },
      { vertexId: 'clicks', subtaskIndex: 1, taskManagerId: 'tm-2', state: 'DEPLOYING' },
      { vertexId: 'out', subtaskIndex: 0, taskManagerId: 'tm-1', state: 'DEPLOYING' },
    ]);

  it('stores the tasks of an attempt in the order given, with zero counters', () => {
    deploy(1);
    const tasks = store.listTasks(job.jobId, 1);
    expect(tasks.map((t) => `${t.vertexId}#${t.subtaskIndex}@${t.taskManagerId}`)).toEqual([
      'clicks#0@tm-1',
      'clicks#1@tm-2',
      'out#0@tm-1',
    ]);
    expect(tasks[0]).toEqual({
      jobId: job.jobId,
      attempt: 1,
      vertexId: 'clicks',
      subtaskIndex: 0,
      taskManagerId: 'tm-1',
      state: 'DEPLOYING',
      error: null,
      recordsIn: 0,
      recordsOut: 0,
      recordsInPerSecond: 0,
      recordsOutPerSecond: 0,
      backpressureRatio: 0,
      stateSizeBytes: 0,
      dlqRecords: 0,
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('replaces only the rows of the same attempt', () => {
    deploy(1);
    deploy(2);
    store.putTasks(job.jobId, 2, [
      { vertexId: 'out', subtaskIndex: 0, taskManagerId: null, state: 'DEPLOYING' },
    ]);
    expect(store.listTasks(job.jobId, 1)).toHaveLength(3);
    expect(store.listTasks(job.jobId, 2).map((t) => t.vertexId)).toEqual(['out']);
    expect(store.listTasks(job.jobId).map((t) => t.attempt)).toEqual([1, 1, 1, 2]);
  });

  it('computes records per second from the previous counters and the time between reports', () => {
    deploy(1);
    const key = { jobId: job.jobId, attempt: 1, vertexId: 'clicks', subtaskIndex: 0 };
    clock.advance(1000);
    store.updateTasks([{ ...key, state: 'RUNNING', metrics: metrics(100, 50) }]);
    expect(store.listTasks(job.jobId, 1)[0]).toMatchObject({
      state: 'RUNNING',
      recordsIn: 100,
      recordsOut: 50,
      recordsInPerSecond: 100,
      recordsOutPerSecond: 50,
    });
    clock.advance(500);
    store.updateTasks([
      {
        ...key,
        metrics: metrics(400, 150, {
          backpressureRatio: 0.25,
          stateSizeBytes: 2048,
          dlqRecords: 3,
        }),
      },
    ]);
    expect(store.listTasks(job.jobId, 1)[0]).toMatchObject({
      state: 'RUNNING',
      recordsIn: 400,
      recordsOut: 150,
      recordsInPerSecond: 600,
      recordsOutPerSecond: 200,
      backpressureRatio: 0.25,
      stateSizeBytes: 2048,
      dlqRecords: 3,
      updatedAt: '2026-01-01T00:00:01.500Z',
    });
  });

  it('keeps the last rate when two reports arrive in the same millisecond', () => {
    deploy(1);
    const key = { jobId: job.jobId, attempt: 1, vertexId: 'clicks', subtaskIndex: 0 };
    clock.advance(1000);
    store.updateTasks([{ ...key, metrics: metrics(100, 100) }]);
    store.updateTasks([{ ...key, metrics: metrics(120, 120) }]);
    expect(store.listTasks(job.jobId, 1)[0]).toMatchObject({
      recordsIn: 120,
      recordsInPerSecond: 100,
    });
  });

  it('drops the rates to zero when a task ends and keeps its error', () => {
    deploy(1);
    const key = { jobId: job.jobId, attempt: 1, vertexId: 'clicks', subtaskIndex: 1 };
    clock.advance(1000);
    store.updateTasks([{ ...key, state: 'RUNNING', metrics: metrics(10, 10) }]);
    clock.advance(1000);
    store.updateTasks([
      { ...key, state: 'FAILED', error: 'TypeError: x is undefined', metrics: metrics(20, 20) },
    ]);
    expect(store.listTasks(job.jobId, 1)[1]).toMatchObject({
      state: 'FAILED',
      error: 'TypeError: x is undefined',
      recordsIn: 20,
      recordsInPerSecond: 0,
      recordsOutPerSecond: 0,
    });
  });

  it('applies a batch in one call and ignores reports for tasks it does not know', () => {
    deploy(1);
    clock.advance(200);
    store.updateTasks([
      { jobId: job.jobId, attempt: 1, vertexId: 'clicks', subtaskIndex: 0, state: 'RUNNING' },
      { jobId: job.jobId, attempt: 9, vertexId: 'clicks', subtaskIndex: 0, state: 'FAILED' },
      {
        jobId: crypto.randomUUID(),
        attempt: 1,
        vertexId: 'clicks',
        subtaskIndex: 0,
        state: 'FAILED',
      },
      { jobId: job.jobId, attempt: 1, vertexId: 'out', subtaskIndex: 0, state: 'RUNNING' },
    ]);
    expect(store.listTasks(job.jobId).map((t) => t.state)).toEqual([
      'RUNNING',
      'DEPLOYING',
      'RUNNING',
    ]);
  });

  it('refuses tasks of an unknown job and a negative attempt', () => {
    expect(() => store.putTasks(crypto.randomUUID(), 1, [])).toThrow(NotFoundError);
    expect(() => store.putTasks(job.jobId, -1, [])).toThrow(InvalidInputError);
  });

  it('counts a counter that went backwards from zero (the subtask restarted)', () => {
    expect(ratePerSecond(100, 300, 2000)).toBe(100);
    expect(ratePerSecond(500, 50, 1000)).toBe(50);
    expect(ratePerSecond(0, 10, 0)).toBe(0);
  });
});
