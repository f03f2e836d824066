import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CheckpointStateError,
  InvalidCursorError,
  InvalidInputError,
  NotFoundError,
} from '../errors';
import type { Store } from '../openStore';
import { allPages, createSampleJob, FakeClock, TempStores } from '../test-support/fixtures';
import type { JobRecord } from '../types';

const TASKS = [
  { vertexId: 'clicks', subtaskIndex: 0 },
  { vertexId: 'clicks', subtaskIndex: 1 },
  { vertexId: 'out', subtaskIndex: 0 },
];

describe('checkpoints', () => {
  let temp: TempStores;
  let clock: FakeClock;
  let store: Store;
  let job: JobRecord;
  beforeEach(() => {
    temp = new TempStores();
    clock = new FakeClock();
    store = temp.open('checkpoints.db', { now: clock.now });
    job = createSampleJob(store);
  });
  afterEach(() => temp.cleanup());

  const trigger = (jobId = job.jobId, tasks = TASKS) =>
    store.createCheckpoint({ jobId, attempt: 1, kind: 'CHECKPOINT', reason: 'periodic', tasks });

  /** Triggers, acknowledges every task and completes a checkpoint. */
  const completed = (jobId = job.jobId) => {
    const c = trigger(jobId);
    for (const t of TASKS)
      store.ackCheckpointTask(jobId, c.checkpointId, { ...t, stateSizeBytes: 10 });
    return store.completeCheckpoint(jobId, c.checkpointId, {
      snapshotPath: `${jobId}/chk-${c.checkpointId}`,
      sizeBytes: 30,
    });
  };

  it('numbers checkpoints from 1 per job and starts them IN_PROGRESS with pending tasks', () => {
    const other = createSampleJob(store, 'other');
    const first = trigger();
    expect(first).toEqual({
      jobId: job.jobId,
      checkpointId: 1,
      attempt: 1,
      kind: 'CHECKPOINT',
      status: 'IN_PROGRESS',
      reason: 'periodic',
      triggerTime: '2026-01-01T00:00:00.000Z',
      completionTime: null,
      sizeBytes: 0,
      acknowledged: 0,
      total: 3,
      failureReason: null,
      snapshotPath: null,
    });
    expect(trigger().checkpointId).toBe(2);
    expect(trigger(other.jobId).checkpointId).toBe(1);
    expect(store.getCheckpoint(job.jobId, 1)?.tasks).toEqual(
      TASKS.map((t) => ({ ...t, acknowledged: false, ackTime: null, stateSizeBytes: 0 })),
    );
  });

  it('counts each task acknowledgement once, however often it arrives', () => {
    const c = trigger();
    clock.advance(40);
    expect(
      store.ackCheckpointTask(job.jobId, c.checkpointId, {
        vertexId: 'clicks',
        subtaskIndex: 1,
        stateSizeBytes: 64,
      }).acknowledged,
    ).toBe(1);
    expect(
      store.ackCheckpointTask(job.jobId, c.checkpointId, {
        vertexId: 'clicks',
        subtaskIndex: 1,
        stateSizeBytes: 64,
      }).acknowledged,
    ).toBe(1);
    expect(
      store.ackCheckpointTask(job.jobId, c.checkpointId, {
        vertexId: 'out',
        subtaskIndex: 0,
        stateSizeBytes: 8,
      }).acknowledged,
    ).toBe(2);
    const detail = store.getCheckpoint(job.jobId, c.checkpointId);
    expect(detail?.tasks[1]).toEqual({
      vertexId: 'clicks',
      subtaskIndex: 1,
      acknowledged: true,
      ackTime: '2026-01-01T00:00:00.040Z',
      stateSizeBytes: 64,
    });
    expect(detail?.tasks[0]?.acknowledged).toBe(false);
  });

  it('refuses an ack for a task or checkpoint it does not have', () => {
    const c = trigger();
    expect(() =>
      store.ackCheckpointTask(job.jobId, c.checkpointId, {
        vertexId: 'nope',
        subtaskIndex: 0,
        stateSizeBytes: 0,
      }),
    ).toThrow(NotFoundError);
    expect(() =>
      store.ackCheckpointTask(job.jobId, 99, {
        vertexId: 'out',
        subtaskIndex: 0,
        stateSizeBytes: 0,
      }),
    ).toThrow(NotFoundError);
  });

  it('completes only when every task acknowledged, and moves the job to it', () => {
    const c = trigger();
    store.ackCheckpointTask(job.jobId, c.checkpointId, {
      vertexId: 'clicks',
      subtaskIndex: 0,
      stateSizeBytes: 1,
    });
    expect(() =>
      store.completeCheckpoint(job.jobId, c.checkpointId, { snapshotPath: 'x', sizeBytes: 1 }),
    ).toThrow(/1 of 3 acknowledgements/);
    store.ackCheckpointTask(job.jobId, c.checkpointId, {
      vertexId: 'clicks',
      subtaskIndex: 1,
      stateSizeBytes: 1,
    });
    store.ackCheckpointTask(job.jobId, c.checkpointId, {
      vertexId: 'out',
      subtaskIndex: 0,
      stateSizeBytes: 1,
    });
    clock.advance(250);
    const done = store.completeCheckpoint(job.jobId, c.checkpointId, {
      snapshotPath: 'job/chk-1',
      sizeBytes: 3,
    });
    expect(done).toMatchObject({
      status: 'COMPLETED',
      acknowledged: 3,
      completionTime: '2026-01-01T00:00:00.250Z',
      snapshotPath: 'job/chk-1',
      sizeBytes: 3,
    });
    expect(store.getJob(job.jobId)?.lastCheckpointId).toBe(1);
  });

  it('fails an in-progress checkpoint with its reason; acks after that change nothing', () => {
    const c = trigger();
    const failed = store.failCheckpoint(job.jobId, c.checkpointId, 'declined by clicks#0');
    expect(failed).toMatchObject({ status: 'FAILED', failureReason: 'declined by clicks#0' });
    expect(store.failCheckpoint(job.jobId, c.checkpointId, 'again')).toMatchObject({
      failureReason: 'declined by clicks#0',
    });
    expect(
      store.ackCheckpointTask(job.jobId, c.checkpointId, {
        vertexId: 'out',
        subtaskIndex: 0,
        stateSizeBytes: 1,
      }).acknowledged,
    ).toBe(0);
    expect(() =>
      store.completeCheckpoint(job.jobId, c.checkpointId, { snapshotPath: 'x', sizeBytes: 1 }),
    ).toThrow(CheckpointStateError);
  });

  it('refuses to fail a completed checkpoint', () => {
    const c = completed();
    expect(() => store.failCheckpoint(job.jobId, c.checkpointId, 'late timeout')).toThrow(
      CheckpointStateError,
    );
    expect(store.getCheckpoint(job.jobId, c.checkpointId)?.status).toBe('COMPLETED');
  });

  it('completes a checkpoint of a source-only graph with no tasks', () => {
    const c = trigger(job.jobId, []);
    expect(
      store.completeCheckpoint(job.jobId, c.checkpointId, { snapshotPath: 'empty', sizeBytes: 0 })
        .status,
    ).toBe('COMPLETED');
  });

  it('lists newest first, filters by status and pages by id', () => {
    completed();
    const failed = trigger();
    store.failCheckpoint(job.jobId, failed.checkpointId, 'timeout');
    completed();
    trigger();
    expect(
      store
        .listCheckpoints(job.jobId, { limit: 10 })
        .items.map((c) => `${c.checkpointId}:${c.status}`),
    ).toEqual(['4:IN_PROGRESS', '3:COMPLETED', '2:FAILED', '1:COMPLETED']);
    expect(
      store
        .listCheckpoints(job.jobId, { limit: 10, status: 'COMPLETED' })
        .items.map((c) => c.checkpointId),
    ).toEqual([3, 1]);
    expect(
      allPages((cursor) => store.listCheckpoints(job.jobId, { limit: 3, cursor })).map(
        (c) => c.checkpointId,
      ),
    ).toEqual([4, 3, 2, 1]);
    expect(() => store.listCheckpoints(job.jobId, { limit: 3, cursor: 'garbage' })).toThrow(
      InvalidCursorError,
    );
  });

  it('finds the latest completed checkpoint', () => {
    expect(store.latestCompletedCheckpoint(job.jobId)).toBeUndefined();
    completed();
    completed();
    trigger();
    expect(store.latestCompletedCheckpoint(job.jobId)?.checkpointId).toBe(2);
  });

  it('prunes all but the newest N completed checkpoints, with their tasks, and keeps counting up', () => {
    for (let i = 0; i < 5; i++) completed();
    const failed = trigger();
    store.failCheckpoint(job.jobId, failed.checkpointId, 'timeout');
    const removed = store.pruneCheckpoints(job.jobId, 2);
    expect(removed.map((c) => c.checkpointId)).toEqual([3, 2, 1]);
    expect(removed[0]?.snapshotPath).toBe(`${job.jobId}/chk-3`);
    expect(
      store.listCheckpoints(job.jobId, { limit: 10 }).items.map((c) => c.checkpointId),
    ).toEqual([6, 5, 4]);
    expect(store.getCheckpoint(job.jobId, 1)).toBeUndefined();
    expect(store.pruneCheckpoints(job.jobId, 2)).toEqual([]);
    expect(trigger().checkpointId).toBe(7);
    expect(() => store.pruneCheckpoints(job.jobId, -1)).toThrow(InvalidInputError);
  });

  it('refuses a checkpoint for an unknown job', () => {
    expect(() => trigger(crypto.randomUUID())).toThrow(NotFoundError);
  });
});
