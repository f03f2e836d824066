/**
 * @module
 * The local cluster with 10,000 jobs stored: a JobManager and two
 * TaskManagers (4 slots each). Measures submit -> RUNNING latency, recovery
 * after kill -9 of the TaskManager running a job, and the JobManager's RSS.
 */

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cancelJob, submitJob, taskManagersOf, waitForJob } from '../http/rest';
import { pipelineDefinition } from '../jobDefinitions';
import {
  FROM_SOURCE,
  type JobManagerProcess,
  type ManagedProcess,
  profileArgs,
  ROOT,
  rssBytes,
  spawnNode,
  startJobManager,
  startTaskManager,
} from '../processes';
import { fmt } from '../report';
import { seededDataDir } from '../seededDataDir';
import { median, percentile } from '../stats';
import type { BenchContext, Measure, MeasureRow } from '../types';

const JOBS = 10_000;
const LATENCY = 'submit -> RUNNING latency with the local cluster, p50 / p99';
const RECOVERY = 'kill -9 a TaskManager -> job RUNNING again';
const RSS = 'JobManager RSS with 10,000 jobs and 2 TaskManagers';
const RECOVERY_DEADLINE_MS = 30_000;

interface Cluster {
  jm: JobManagerProcess;
  taskManagers: Map<string, ManagedProcess>;
  dataDir: string;
  added: number;
}

async function addTaskManager(cluster: Cluster): Promise<string> {
  const id = `tm-${++cluster.added}`;
  const tm = await startTaskManager({
    url: cluster.jm.url,
    token: cluster.jm.token,
    dataDir: join(cluster.dataDir, 'taskmanager-data'),
    id,
    slots: 4,
  });
  cluster.taskManagers.set(id, tm);
  return id;
}

/** Submits short jobs one after the other; each latency is its startTime minus the moment before the POST. */
async function submitToRunning(ctx: BenchContext, cluster: Cluster): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < ctx.settings.latencyJobs; i++) {
    // A bounded job finishes by itself in milliseconds, so slots never run out.
    const definition = pipelineDefinition({ jobName: `latency-${i}`, count: 1000 });
    const before = Date.now();
    const { jobId } = await submitJob(cluster.jm, definition);
    const job = await waitForJob(cluster.jm, jobId, (j) => Boolean(j.startTime), {
      timeoutMs: 20_000,
      everyMs: 5,
    });
    latencies.push(Date.parse(job.startTime!) - before);
  }
  return latencies;
}

/** Runs an endless job, kills the TaskManager it runs on, and times until it is RUNNING again on the other. */
async function recoverOnce(ctx: BenchContext, cluster: Cluster): Promise<number> {
  const { jobId } = await submitJob(
    cluster.jm,
    pipelineDefinition({ jobName: 'recovery', ratePerSecond: 2000, checkpointIntervalMs: 1000 }),
  );
  const running = await waitForJob(cluster.jm, jobId, (j) => j.status === 'RUNNING', {
    timeoutMs: 20_000,
  });
  // Let a checkpoint complete, so the restart has state to restore.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const [victimId] = await taskManagersOf(cluster.jm, jobId);
  const victim = victimId === undefined ? undefined : cluster.taskManagers.get(victimId);
  if (!victim)
    throw new Error(
      `job ${jobId} runs on no TaskManager this bench started (${victimId ?? 'none'})`,
    );
  await victim.kill();
  const killedAt = performance.now();
  cluster.taskManagers.delete(victimId!);
  await waitForJob(
    cluster.jm,
    jobId,
    (j) => j.status === 'RUNNING' && j.attempt > running.attempt,
    {
      timeoutMs: RECOVERY_DEADLINE_MS,
      everyMs: 10,
    },
  );
  const ms = performance.now() - killedAt;
  ctx.log(
    `recovery: ${victimId} killed, job RUNNING again (attempt > ${running.attempt}) after ${fmt(ms)} ms`,
  );
  await cancelJob(cluster.jm, jobId);
  await addTaskManager(cluster);
  return ms;
}

/** RSS of an idle process under tsx and of an idle plain node process, for the loader's share of the JobManager's RSS. */
async function loaderOverhead(
  logDir: string,
): Promise<{ tsxIdleBytes: number; nodeIdleBytes: number }> {
  const tsxIdle = spawnNode('idle-tsx', join(ROOT, 'bench/src/baselines/idle.ts'), [], { logDir });
  const plain = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60000)'], {
    stdio: 'ignore',
  });
  try {
    await tsxIdle.waitForLine(/^idle$/, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    return { tsxIdleBytes: rssBytes(tsxIdle.pid), nodeIdleBytes: rssBytes(plain.pid!) };
  } finally {
    plain.kill('SIGKILL');
    await tsxIdle.kill();
  }
}

function vmHighWater(pid: number): number {
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

export const clusterMeasure: Measure = {
  id: 'cluster',
  rows: [
    { id: 'submit-to-running', measure: LATENCY, target: 'p50 < 100 ms' },
    { id: 'recovery', measure: RECOVERY, target: '< 3 s' },
    { id: 'jobmanager-rss', measure: RSS, target: '< 150 MB' },
  ],
  async run(ctx: BenchContext): Promise<MeasureRow[]> {
    const { dataDir } = seededDataDir(ctx, 'cluster', JOBS);
    const jm = await startJobManager(dataDir, profileArgs(ctx.settings.profileDir, 'cluster'));
    const cluster: Cluster = { jm, taskManagers: new Map(), dataDir, added: 0 };
    await Promise.all([addTaskManager(cluster), addTaskManager(cluster)]);
    const MB = 1024 * 1024;
    const rssIdle = rssBytes(jm.pid);
    ctx.log(`JobManager RSS with 2 TaskManagers registered: ${fmt(rssIdle / MB, 1)} MB`);

    const rows: MeasureRow[] = [];
    const latencies = await submitToRunning(ctx, cluster);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    ctx.log(
      `submit -> RUNNING over ${latencies.length} jobs: p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms`,
    );
    rows.push({
      id: 'submit-to-running',
      measure: `${LATENCY} over ${latencies.length} jobs`,
      value: `p50 ${fmt(p50)} ms / p99 ${fmt(p99)} ms`,
      baseline: '-',
      ratio: null,
      target: 'p50 < 100 ms',
      met: p50 < 100,
      figures: { p50Ms: p50, p99Ms: p99, jobs: latencies.length, latenciesMs: latencies },
    });

    const recoveries: number[] = [];
    let recoveryError: string | undefined;
    try {
      for (let r = 0; r < ctx.settings.recoveryRounds; r++)
        recoveries.push(await recoverOnce(ctx, cluster));
    } catch (error) {
      recoveryError = (error as Error).message.split('\n')[0];
      ctx.log(`recovery: ${recoveryError}`);
    }
    const recovery = median(recoveries);
    rows.push({
      id: 'recovery',
      measure: RECOVERY,
      value:
        recoveries.length > 0
          ? `${fmt(recovery / 1000, 2)} s`
          : `> ${RECOVERY_DEADLINE_MS / 1000} s`,
      baseline: '-',
      ratio: null,
      target: '< 3 s',
      met: recoveries.length > 0 && recoveryError === undefined ? recovery < 3000 : false,
      figures: { medianMs: recovery, roundsMs: recoveries, error: recoveryError },
      note: recoveryError,
    });

    const rss = rssBytes(jm.pid);
    const peak = vmHighWater(jm.pid);
    const loader = await loaderOverhead(join(dataDir, 'logs'));
    const loaderMb = (loader.tsxIdleBytes - loader.nodeIdleBytes) / MB;
    rows.push({
      id: 'jobmanager-rss',
      measure: RSS,
      value: `${fmt(rss / MB, 1)} MB (peak ${fmt(peak / MB, 1)} MB)`,
      baseline: '-',
      ratio: null,
      target: '< 150 MB',
      met: Math.max(rss, rssIdle) < 150 * MB,
      figures: {
        rssBytesAfterRegistration: rssIdle,
        rssBytesAfterMeasures: rss,
        peakRssBytes: peak,
        idleProcessUnderTsxBytes: loader.tsxIdleBytes,
        idlePlainNodeBytes: loader.nodeIdleBytes,
      },
      note: `RSS after the latency and recovery measures (peak = VmHWM). The JobManager runs ${FROM_SOURCE ? 'from source under tsx' : 'from its dist build under plain node'}; tsx alone would add ${fmt(loaderMb, 1)} MB (an idle process: ${fmt(loader.tsxIdleBytes / MB, 1)} MB under tsx, ${fmt(loader.nodeIdleBytes / MB, 1)} MB plain)`,
    });
    await Promise.all([...cluster.taskManagers.values()].map((tm) => tm.stop()));
    await jm.stop();
    return rows;
  },
};
