import type { SnapshotResponse, TaskLogLine, TaskReport } from '@flinknet/contracts';
import { describe, expect, it } from 'vitest';
import { CommandHandler } from './commandHandler';
import type { ExecutionHooks } from './runtimeApi';
import { deployCommand, JOB_ID } from './testing/commands';
import { createFakeRuntime } from './testing/fakeRuntime';

function setup(fetchSnapshot?: (jobId: string, id: number) => Promise<SnapshotResponse>) {
  const runtime = createFakeRuntime();
  const states: TaskReport[] = [];
  const logs: TaskLogLine[] = [];
  const hooks: ExecutionHooks = {
    onTaskState: (r) => states.push(r),
    onCheckpointAck: () => {},
    onCheckpointDecline: () => {},
    onLog: (l) => logs.push(l),
    onDlq: () => {},
  };
  const fetched: number[] = [];
  const handler = new CommandHandler({
    runtime,
    registry: runtime.createRegistry(),
    dataDir: '/data',
    hooks,
    fetchSnapshot:
      fetchSnapshot ??
      (async (jobId, checkpointId) => {
        fetched.push(checkpointId);
        return { jobId, checkpointId, vertices: { src: [{ offset: 5 }] } };
      }),
  });
  return { runtime, handler, states, logs, fetched };
}

describe('CommandHandler', () => {
  it('starts a deployed job with the data dir and no snapshot when nothing is restored', async () => {
    const { runtime, handler } = setup();
    await handler.handle(deployCommand(1));
    expect(runtime.executions).toHaveLength(1);
    expect(runtime.executions[0]!.options.restore).toBeNull();
    expect(runtime.executions[0]!.options.dataDir).toBe('/data');
    expect(handler.execution(JOB_ID)?.attempt).toBe(1);
  });

  it('fetches the snapshot of the checkpoint a deploy restores from and hands it to the runtime', async () => {
    const { runtime, handler, fetched } = setup();
    await handler.handle(deployCommand(2, 7));
    expect(fetched).toEqual([7]);
    expect(runtime.executions[0]!.options.restore).toEqual({
      jobId: JOB_ID,
      checkpointId: 7,
      vertices: { src: [{ offset: 5 }] },
    });
  });

  it('reports every task FAILED with the cause when the snapshot cannot be fetched', async () => {
    const { runtime, handler, states, logs } = setup(async () => {
      throw new Error('checkpoint 7 not found');
    });
    await handler.handle(deployCommand(2, 7));
    expect(runtime.executions).toHaveLength(0);
    expect(states.map((s) => [s.vertexId, s.state, s.error])).toEqual([
      ['src', 'FAILED', 'deploy failed: checkpoint 7 not found'],
      ['out', 'FAILED', 'deploy failed: checkpoint 7 not found'],
    ]);
    expect(logs[0]?.level).toBe('ERROR');
  });

  it('reports every task FAILED when the runtime refuses the job', async () => {
    const { runtime, handler, states } = setup();
    runtime.failNextStart = new Error('unknown operator Operator:nope');
    await handler.handle(deployCommand(1));
    expect(states.every((s) => s.state === 'FAILED' && s.error?.includes('unknown operator'))).toBe(
      true,
    );
    expect(states).toHaveLength(2);
  });

  it('passes checkpoint, checkpointComplete, resubmitDlq and finish to the running attempt in order', async () => {
    const { runtime, handler } = setup();
    void handler.handle(deployCommand(1));
    void handler.handle({
      type: 'checkpoint',
      jobId: JOB_ID,
      attempt: 1,
      checkpointId: 1,
      kind: 'CHECKPOINT',
      timestamp: 1,
    });
    void handler.handle({ type: 'checkpointComplete', jobId: JOB_ID, attempt: 1, checkpointId: 1 });
    void handler.handle({
      type: 'resubmitDlq',
      jobId: JOB_ID,
      attempt: 1,
      records: [{ messageId: 'm1', stepName: 'src', payload: 'e30=' }],
    });
    await handler.handle({ type: 'finish', jobId: JOB_ID, attempt: 1 });
    expect(runtime.executions[0]!.calls).toEqual([
      'checkpoint 1 CHECKPOINT',
      'complete 1',
      'resubmit m1',
      'finish',
    ]);
  });

  it('ignores commands for an attempt it does not run', async () => {
    const { runtime, handler } = setup();
    await handler.handle(deployCommand(2));
    await handler.handle({ type: 'cancel', jobId: JOB_ID, attempt: 1 });
    await handler.handle({
      type: 'checkpoint',
      jobId: JOB_ID,
      attempt: 3,
      checkpointId: 1,
      kind: 'CHECKPOINT',
      timestamp: 1,
    });
    await handler.handle({
      type: 'finish',
      jobId: '00000000-0000-4000-8000-000000000000',
      attempt: 2,
    });
    expect(runtime.executions[0]!.calls).toEqual([]);
    expect(handler.runningJobs).toBe(1);
  });

  it('replaces an older attempt with a newer deploy, cancelling the old one first', async () => {
    const { runtime, handler } = setup();
    await handler.handle(deployCommand(1));
    await handler.handle(deployCommand(2, 3));
    const [old, current] = runtime.executions;
    expect(old!.calls).toEqual(['cancel']);
    expect(current!.attempt).toBe(2);
    expect(handler.execution(JOB_ID)).toBe(current);
  });

  it('ignores a repeated or older deploy of a job it already runs', async () => {
    const { runtime, handler } = setup();
    await handler.handle(deployCommand(2));
    await handler.handle(deployCommand(2));
    await handler.handle(deployCommand(1));
    expect(runtime.executions).toHaveLength(1);
    expect(runtime.executions[0]!.calls).toEqual([]);
  });

  it('keeps reporting a cancelled job until a heartbeat carrying its final states was confirmed', async () => {
    const { handler } = setup();
    await handler.handle(deployCommand(1));
    expect(handler.collectTaskReports().tasks.map((t) => t.state)).toEqual(['RUNNING', 'RUNNING']);
    await handler.handle({ type: 'cancel', jobId: JOB_ID, attempt: 1 });
    expect(handler.runningJobs).toBe(0);
    const unsent = handler.collectTaskReports();
    expect(unsent.tasks.map((t) => t.state)).toEqual(['CANCELED', 'CANCELED']);
    expect(handler.collectTaskReports().tasks).toHaveLength(2);
    unsent.confirm();
    expect(handler.collectTaskReports().tasks).toEqual([]);
  });

  it('cancels every running job at shutdown', async () => {
    const { runtime, handler } = setup();
    await handler.handle(deployCommand(1));
    await handler.handle(deployCommand(1, null, '9a1d6e8c-1111-4222-8333-444455556666'));
    await handler.cancelAll();
    expect(runtime.executions.map((e) => e.calls)).toEqual([['cancel'], ['cancel']]);
    expect(handler.runningJobs).toBe(0);
  });
});
