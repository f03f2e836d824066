import type { TaskReport } from '@flinknet/contracts';
import { describe, expect, it } from 'vitest';
import { ReportOutbox } from './reportOutbox';

const JOB = '6f1c0c64-3f43-4c52-9a3b-1f4f0e0e0e01';

function task(subtaskIndex: number, state: TaskReport['state']): TaskReport {
  return { jobId: JOB, attempt: 1, vertexId: 'v', subtaskIndex, state };
}

function log(message: string) {
  return {
    jobId: JOB,
    attempt: 1,
    level: 'INFO' as const,
    source: 's',
    message,
    timestamp: new Date(0).toISOString(),
  };
}

function dlq(n: number) {
  return {
    jobId: JOB,
    attempt: 1,
    vertexId: 'v',
    subtaskIndex: 0,
    stepName: 'map',
    errorMessage: `e${n}`,
    payload: 'e30=',
  };
}

describe('ReportOutbox', () => {
  it('keeps only the latest state change of each task', () => {
    const outbox = new ReportOutbox();
    outbox.addTaskChange(task(0, 'DEPLOYING'));
    outbox.addTaskChange(task(1, 'RUNNING'));
    outbox.addTaskChange(task(0, 'RUNNING'));
    expect(outbox.take().taskChanges).toEqual([task(1, 'RUNNING'), task(0, 'RUNNING')]);
    expect(outbox.pending).toBe(false);
  });

  it('takes at most batchSize items of each kind and leaves the rest pending', () => {
    const outbox = new ReportOutbox({ batchSize: 2 });
    for (let n = 0; n < 3; n++) outbox.addDlq(dlq(n));
    expect(outbox.take().dlq.map((r) => r.errorMessage)).toEqual(['e0', 'e1']);
    expect(outbox.pending).toBe(true);
    expect(outbox.take().dlq.map((r) => r.errorMessage)).toEqual(['e2']);
  });

  it('puts a failed batch back in front of newer reports, in order', () => {
    const outbox = new ReportOutbox();
    outbox.addDlq(dlq(0));
    outbox.addLog(log('a'));
    outbox.addTaskChange(task(0, 'RUNNING'));
    const batch = outbox.take();
    outbox.addDlq(dlq(1));
    outbox.addLog(log('b'));
    outbox.addTaskChange(task(0, 'FINISHED'));
    outbox.restore(batch);
    const next = outbox.take();
    expect(next.dlq.map((r) => r.errorMessage)).toEqual(['e0', 'e1']);
    expect(next.logs.map((l) => l.message)).toEqual(['a', 'b']);
    expect(next.taskChanges).toEqual([task(0, 'FINISHED')]);
  });

  it('drops the oldest log lines beyond maxLogs and counts them, but never DLQ records', () => {
    const outbox = new ReportOutbox({ maxLogs: 2, batchSize: 10 });
    for (const m of ['a', 'b', 'c']) outbox.addLog(log(m));
    for (let n = 0; n < 5; n++) outbox.addDlq(dlq(n));
    const batch = outbox.take();
    expect(batch.logs.map((l) => l.message)).toEqual(['b', 'c']);
    expect(batch.dlq).toHaveLength(5);
    expect(outbox.droppedLogs).toBe(1);
  });
});
