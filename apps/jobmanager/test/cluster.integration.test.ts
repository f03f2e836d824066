/**
 * Integration tests against the real listening server (port 0), with
 * scripted TaskManagers speaking the protocol over HTTP.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckpointInfoDto, JobStatusDto, TaskManagerInfo } from '@flinknet/contracts';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type StartJobManagerOptions, startJobManager } from '../src/startJobManager';
import { jobDefinition, removeDir, waitFor, withToken } from '../src/testing/fixtures';
import { type Fetcher, ScriptedTaskManager } from '../src/testing/scriptedTaskManager';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startJm(
  dataDir = mkdtempSync(join(tmpdir(), 'flinknet-jm-it-')),
  options: Partial<StartJobManagerOptions> = {},
) {
  const jm = await startJobManager({
    port: 0,
    dataDir,
    logger: pino({ level: 'silent' }),
    heartbeatTimeoutMs: 400,
    schedulePeriodMs: 50,
    ...options,
  });
  let closed = false;
  const close = async () => {
    if (!closed) await jm.close();
    closed = true;
  };
  cleanups.push(() => removeDir(dataDir));
  cleanups.push(close);
  // A first start writes the admin token file before it listens; a restart on the same dir finds it there.
  const token = readFileSync(join(dataDir, 'admin.token'), 'utf8').trim();
  const fetcher: Fetcher = withToken((path, init) => fetch(jm.url + path, init), token);
  return { jm, dataDir, fetcher, close };
}

function autoTm(id: string, fetcher: Fetcher, slots = 4): ScriptedTaskManager {
  const tm = new ScriptedTaskManager({ id, fetch: fetcher, slots });
  cleanups.push(() => tm.stop());
  return tm;
}

async function json<T>(fetcher: Fetcher, path: string, init?: RequestInit): Promise<T> {
  const res = await fetcher(path, init);
  return (await res.json()) as T;
}

const post = (body?: unknown, method = 'POST'): RequestInit => ({
  method,
  headers: body === undefined ? {} : { 'content-type': 'application/json' },
  body: body === undefined ? undefined : JSON.stringify(body),
});

async function submit(fetcher: Fetcher, definition = jobDefinition()): Promise<string> {
  const res = await fetcher('/api/jobmanager/submit', post(definition));
  expect(res.status).toBe(201);
  return ((await res.json()) as JobStatusDto).jobId;
}

async function waitStatus(
  fetcher: Fetcher,
  jobId: string,
  status: string,
  what = status,
): Promise<JobStatusDto> {
  return waitFor(async () => {
    const s = await json<JobStatusDto>(fetcher, `/api/jobmanager/jobs/${jobId}/status`);
    return s.status === status ? s : undefined;
  }, `job ${what}`);
}

describe('JobManager over HTTP with scripted TaskManagers', { timeout: 20_000 }, () => {
  it('keeps a job CREATED without TaskManagers and runs it once one registers', async () => {
    const { fetcher } = await startJm();
    const jobId = await submit(fetcher);
    expect((await json<JobStatusDto>(fetcher, `/api/jobmanager/jobs/${jobId}/status`)).status).toBe(
      'CREATED',
    );
    const tm = autoTm('tm-1', fetcher);
    await tm.register();
    tm.startAuto();
    const running = await waitStatus(fetcher, jobId, 'RUNNING');
    expect(running.attempt).toBe(1);
    const [info] = await json<TaskManagerInfo[]>(fetcher, '/api/jobmanager/taskmanagers');
    expect(info).toMatchObject({ taskManagerId: 'tm-1', state: 'ACTIVE', slotsFree: 2 });
  });

  it('completes periodic checkpoints and lists them', async () => {
    const { fetcher } = await startJm();
    const tm = autoTm('tm-1', fetcher);
    await tm.register();
    tm.startAuto();
    const jobId = await submit(fetcher, jobDefinition({ checkpointIntervalMs: 100 }));
    const completed = await waitFor(async () => {
      const list = await json<CheckpointInfoDto[]>(
        fetcher,
        `/api/jobmanager/jobs/${jobId}/checkpoints?status=COMPLETED`,
      );
      return list.length >= 2 ? list : undefined;
    }, 'two completed checkpoints');
    expect(completed[0]).toMatchObject({
      status: 'COMPLETED',
      acknowledged: 4,
      total: 4,
      reason: 'periodic',
    });
    expect(completed[0]!.checkpointId).toBeGreaterThan(completed[1]!.checkpointId);
    await waitFor(
      () => tm.last('checkpointComplete', jobId),
      'checkpointComplete reaches the TaskManager',
    );
  });

  it('stops, cancels, restarts and scales running jobs', async () => {
    const { fetcher } = await startJm();
    const tm = autoTm('tm-1', fetcher, 16);
    await tm.register();
    tm.startAuto();

    const stopped = await submit(fetcher);
    await waitStatus(fetcher, stopped, 'RUNNING');
    expect((await fetcher(`/api/jobmanager/jobs/${stopped}/stop`, post())).status).toBe(202);
    await waitStatus(fetcher, stopped, 'FINISHED');
    const savepoints = await json<CheckpointInfoDto[]>(
      fetcher,
      `/api/jobmanager/jobs/${stopped}/checkpoints`,
    );
    expect(savepoints[0]).toMatchObject({ kind: 'SAVEPOINT', reason: 'stop', status: 'COMPLETED' });

    const canceled = await submit(fetcher);
    await waitStatus(fetcher, canceled, 'RUNNING');
    expect((await fetcher(`/api/jobmanager/jobs/${canceled}/cancel`, post())).status).toBe(202);
    await waitStatus(fetcher, canceled, 'CANCELED');

    const restarted = await submit(fetcher);
    await waitStatus(fetcher, restarted, 'RUNNING');
    const checkpoint = await json<CheckpointInfoDto>(
      fetcher,
      `/api/jobmanager/jobs/${restarted}/checkpoints`,
      post(),
    );
    await waitFor(
      async () =>
        (
          await json<CheckpointInfoDto>(
            fetcher,
            `/api/jobmanager/jobs/${restarted}/checkpoints/${checkpoint.checkpointId}`,
          )
        ).status === 'COMPLETED',
      'the checkpoint',
    );
    expect((await fetcher(`/api/jobmanager/jobs/${restarted}/restart`, post({}))).status).toBe(202);
    await waitFor(
      () =>
        tm.restored.find(
          (s) => s.jobId === restarted && s.checkpointId === checkpoint.checkpointId,
        ),
      'the restore',
    );
    expect(
      (await json<JobStatusDto>(fetcher, `/api/jobmanager/jobs/${restarted}/status`)).attempt,
    ).toBe(2);

    const scaled = await submit(fetcher);
    await waitStatus(fetcher, scaled, 'RUNNING');
    expect(
      (
        await fetcher(
          `/api/jobmanager/jobs/${scaled}/scale`,
          post({ desiredParallelism: 3 }, 'PUT'),
        )
      ).status,
    ).toBe(202);
    const redeploy = await waitFor(
      () => (tm.last('deploy', scaled)?.attempt === 2 ? tm.last('deploy', scaled) : undefined),
      'the rescaled deploy',
    );
    expect(redeploy.jobGraph.vertices.map((v) => v.parallelism)).toEqual([3, 3, 3]);
    expect(redeploy.tasks).toHaveLength(9);
    await waitFor(() => tm.restored.find((s) => s.jobId === scaled), 'the savepoint restore');
    await waitStatus(fetcher, scaled, 'RUNNING');
  });

  it('marks a silent TaskManager LOST and restarts its job on another one', async () => {
    const { fetcher } = await startJm();
    const first = autoTm('tm-a', fetcher);
    await first.register();
    first.startAuto();
    const jobId = await submit(fetcher);
    await waitStatus(fetcher, jobId, 'RUNNING');
    const second = autoTm('tm-b', fetcher);
    await second.register();
    second.startAuto();
    await first.stop();
    await waitFor(() => second.last('deploy', jobId), 'the failover deploy on tm-b', 5000);
    const status = await waitStatus(fetcher, jobId, 'RUNNING');
    expect(status).toMatchObject({ attempt: 2, restartCount: 1 });
    expect(status.errorMessage).toContain('tm-a lost');
    const tms = await json<TaskManagerInfo[]>(fetcher, '/api/jobmanager/taskmanagers');
    expect(tms.find((tm) => tm.taskManagerId === 'tm-a')?.state).toBe('LOST');
  });

  it("fails a job over within the poll-drop grace when its TaskManager's connection closes", async () => {
    // A heartbeat timeout far away: only the dropped long-poll can explain a quick failover.
    const { fetcher } = await startJm(undefined, {
      heartbeatTimeoutMs: 60_000,
      pollDropGraceMs: 300,
    });
    const dying = autoTm('tm-a', fetcher);
    await dying.register();
    const jobId = await submit(fetcher);
    await waitStatus(fetcher, jobId, 'RUNNING');
    expect((await dying.poll(1000)).commands.map((c) => c.type)).toEqual(['deploy']);
    // The poll a live TaskManager always keeps open; its process then dies.
    const abort = new AbortController();
    const open = dying.poll(30_000, abort.signal).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const survivor = autoTm('tm-b', fetcher);
    await survivor.register();
    survivor.startAuto();
    abort.abort();
    await open;
    await waitFor(() => survivor.last('deploy', jobId), 'the failover deploy on tm-b', 5000);
    const status = await waitStatus(fetcher, jobId, 'RUNNING');
    expect(status).toMatchObject({ attempt: 2, restartCount: 1 });
    expect(status.errorMessage).toContain('tm-a lost: its connection closed');
  });

  it('keeps a TaskManager whose poll dropped but which is heard from again', async () => {
    const { fetcher } = await startJm(undefined, {
      heartbeatTimeoutMs: 60_000,
      pollDropGraceMs: 300,
    });
    const tm = autoTm('tm-a', fetcher);
    await tm.register();
    const abort = new AbortController();
    const poll = tm.poll(10_000, abort.signal).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    abort.abort();
    await poll;
    // As a live TaskManager does: poll again at once.
    const again = tm.poll(2_000).catch(() => undefined);
    cleanups.push(() => again.then(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 600));
    const tms = await json<TaskManagerInfo[]>(fetcher, '/api/jobmanager/taskmanagers');
    expect(tms.find((t) => t.taskManagerId === 'tm-a')?.state).toBe('ACTIVE');
  });

  it('redeploys a RUNNING job from its latest checkpoint after a JobManager restart', async () => {
    const one = await startJm();
    const tm = autoTm('tm-1', one.fetcher);
    await tm.register();
    tm.startAuto();
    const jobId = await submit(one.fetcher);
    await waitStatus(one.fetcher, jobId, 'RUNNING');
    const checkpoint = await json<CheckpointInfoDto>(
      one.fetcher,
      `/api/jobmanager/jobs/${jobId}/checkpoints`,
      post(),
    );
    await waitFor(
      async () =>
        (
          await json<CheckpointInfoDto>(
            one.fetcher,
            `/api/jobmanager/jobs/${jobId}/checkpoints/${checkpoint.checkpointId}`,
          )
        ).status === 'COMPLETED',
      'the checkpoint',
    );
    await tm.stop();
    await one.close();

    const two = await startJm(one.dataDir);
    const again = autoTm('tm-1', two.fetcher);
    again.startAuto(); // its first heartbeat answers registered: false, so it registers again
    await waitFor(
      () => again.restored.find((s) => s.jobId === jobId),
      'the restore after the restart',
    );
    const status = await waitStatus(two.fetcher, jobId, 'RUNNING');
    expect(status.attempt).toBe(2);
    expect(again.last('deploy', jobId)?.restore).toEqual({ checkpointId: checkpoint.checkpointId });
  });
});
