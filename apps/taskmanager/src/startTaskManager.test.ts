import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningTaskManager, startTaskManager, TASKMANAGER_VERSION } from './startTaskManager';
import { deployCommand, JOB_ID } from './testing/commands';
import { FakeJobManager, waitFor } from './testing/fakeJobManager';
import { createFakeRuntime } from './testing/fakeRuntime';

let jobManager: FakeJobManager;
let dataDir: string;
let taskManager: RunningTaskManager | undefined;

beforeEach(async () => {
  jobManager = new FakeJobManager();
  await jobManager.listen();
  dataDir = await mkdtemp(join(tmpdir(), 'flinknet-tm-'));
});

afterEach(async () => {
  await taskManager?.stop();
  taskManager = undefined;
  await jobManager.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function start(runtime = createFakeRuntime(), extra: { heartbeatIntervalMs?: number } = {}) {
  taskManager = await startTaskManager({
    jobManagerUrl: jobManager.url,
    token: 'tm-secret',
    slots: 3,
    dataDir,
    id: 'tm-test',
    runtime,
    log: () => {},
    ...extra,
  });
  await taskManager.registered;
  return runtime;
}

/** States the fake JobManager last heard for each task of JOB_ID at `attempt`. */
function lastStates(attempt: number): string[] {
  for (const beat of [...jobManager.heartbeats].reverse()) {
    const tasks = (beat.tasks ?? []).filter((t) => t.jobId === JOB_ID && t.attempt === attempt);
    if (tasks.length > 0) return tasks.map((t) => t.state);
  }
  return [];
}

describe('startTaskManager against a JobManager', () => {
  it('registers its id, slots, version and offered operators with the bearer token', async () => {
    await start(createFakeRuntime(['Source:sequence', 'Operator:map']));
    expect(jobManager.registrations).toEqual([
      {
        taskManagerId: 'tm-test',
        address: expect.stringMatching(/:\d+$/),
        slots: 3,
        version: TASKMANAGER_VERSION,
        operators: ['Source:sequence', 'Operator:map'],
      },
    ]);
    expect(jobManager.authorizations.every((a) => a === 'Bearer tm-secret')).toBe(true);
  });

  it('offers the operators of the plugins it loaded', async () => {
    const runtime = createFakeRuntime(['Source:sequence']);
    taskManager = await startTaskManager({
      jobManagerUrl: jobManager.url,
      dataDir,
      id: 'tm-plugins',
      runtime,
      log: () => {},
      plugins: ['/opt/plugins/upper.js'],
    });
    await taskManager.registered;
    expect(jobManager.registrations[0]?.operators).toEqual([
      'Source:sequence',
      'Operator:upper.js',
    ]);
  });

  it('receives a command through the long-poll without waiting for a heartbeat', async () => {
    const runtime = await start();
    jobManager.heartbeatIntervalMs = 60_000;
    jobManager.send(deployCommand(1));
    await waitFor(() => runtime.executions.length === 1, 2000, 'the deploy to reach the runtime');
    expect(jobManager.heartbeats).toHaveLength(0);
  });

  it('sends checkpoint acks and task state changes soon after they happen, not on the next interval', async () => {
    const runtime = await start();
    jobManager.send(deployCommand(1));
    await waitFor(() => runtime.executions.length === 1);
    jobManager.send({
      type: 'checkpoint',
      jobId: JOB_ID,
      attempt: 1,
      checkpointId: 1,
      kind: 'CHECKPOINT',
      timestamp: 1,
    });
    const acks = await waitFor(
      () =>
        jobManager.heartbeats
          .flatMap((b) => b.checkpointAcks ?? [])
          .filter((a) => a.checkpointId === 1).length === 2,
      2000,
      'both acks of checkpoint 1',
    );
    expect(acks).toBe(true);
    jobManager.send({ type: 'finish', jobId: JOB_ID, attempt: 1 });
    await waitFor(() => lastStates(1).join() === 'FINISHED,FINISHED', 2000, 'FINISHED reports');
  });

  it('heartbeats on the interval the JobManager asked for, with the current task reports', async () => {
    jobManager.heartbeatIntervalMs = 50;
    const runtime = await start();
    jobManager.send(deployCommand(1));
    await waitFor(() => runtime.executions.length === 1);
    const before = jobManager.heartbeats.length;
    await waitFor(() => jobManager.heartbeats.length >= before + 3, 3000, 'three more heartbeats');
    expect(lastStates(1)).toEqual(['RUNNING', 'RUNNING']);
  });

  it('registers again when the JobManager forgot it, cancelling the jobs it will redeploy elsewhere', async () => {
    jobManager.heartbeatIntervalMs = 50;
    const runtime = await start();
    jobManager.send(deployCommand(1));
    await waitFor(() => runtime.executions.length === 1);
    jobManager.forget();
    await waitFor(() => jobManager.registrations.length === 2, 3000, 'a second registration');
    await waitFor(() => lastStates(1).join() === 'CANCELED,CANCELED', 3000, 'CANCELED reports');
    expect(runtime.executions[0]!.calls).toEqual(['cancel']);
  });

  it('keeps its tasks running and reports them when the JobManager was only unreachable', async () => {
    jobManager.heartbeatIntervalMs = 50;
    const runtime = await start();
    jobManager.send(deployCommand(1));
    await waitFor(() => runtime.executions.length === 1);
    await jobManager.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = jobManager.heartbeats.length;
    await jobManager.listen();
    await waitFor(
      () => jobManager.heartbeats.length > before + 1,
      5000,
      'heartbeats after the outage',
    );
    expect(lastStates(1)).toEqual(['RUNNING', 'RUNNING']);
    expect(jobManager.registrations).toHaveLength(1);
    expect(runtime.executions[0]!.calls).toEqual([]);
  });

  it('registers with a restarted JobManager once it is reachable again and takes new deploys', async () => {
    jobManager.heartbeatIntervalMs = 50;
    const runtime = await start();
    await jobManager.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    jobManager.forget();
    await jobManager.listen();
    await waitFor(
      () => jobManager.registrations.length === 2,
      5000,
      'registration after the restart',
    );
    jobManager.send(deployCommand(1));
    await waitFor(() => runtime.executions.length === 1, 5000, 'a deploy after the restart');
  });

  it('cancels its tasks on stop and tells the JobManager in a last heartbeat', async () => {
    const runtime = await start();
    jobManager.send(deployCommand(1));
    await waitFor(() => runtime.executions.length === 1);
    await taskManager!.stop();
    taskManager = undefined;
    expect(runtime.executions[0]!.calls).toEqual(['cancel']);
    expect(lastStates(1)).toEqual(['CANCELED', 'CANCELED']);
  });

  it('restores a deploy from the snapshot the JobManager stored', async () => {
    const runtime = await start();
    jobManager.snapshots.set(`${JOB_ID}/4`, {
      jobId: JOB_ID,
      checkpointId: 4,
      vertices: { src: [{ offset: 42 }] },
    });
    jobManager.send(deployCommand(2, 4));
    await waitFor(() => runtime.executions.length === 1);
    expect(runtime.executions[0]!.options.restore?.vertices).toEqual({ src: [{ offset: 42 }] });
  });
});
