/**
 * @module
 * Runs sequence -> map -> filter -> discard on the real runtime, one subtask
 * per step, in this process: for a fixed time, or in alternating windows
 * with and without checkpoints driven as the JobManager would (trigger,
 * collect every acknowledgement, notify completion).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildJobGraph, type DeployCommand } from '@flinknet/contracts';
import { createRegistry, startJob } from '@flinknet/runtime';
import { pipelineDefinition } from '../jobDefinitions';

export interface PipelineResult {
  /** Records that went through map and filter (the filter's input). */
  records: number;
  ms: number;
}

export interface CheckpointWindowsResult {
  /** Records/s of each window with checkpoints, and of the window paired with it. */
  withCheckpoints: number[];
  without: number[];
  checkpointsCompleted: number;
  checkpointsDeclined: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The pipeline job started in this process, with what a run reads of it. */
function startBenchJob() {
  const definition = pipelineDefinition({ jobName: 'bench-pipeline' });
  const jobGraph = buildJobGraph(definition);
  const deploy: DeployCommand = {
    type: 'deploy',
    jobId: randomUUID(),
    attempt: 1,
    jobName: definition.jobName,
    definition,
    jobGraph,
    tasks: jobGraph.vertices.flatMap((v) =>
      Array.from({ length: v.parallelism }, (_, i) => ({ vertexId: v.id, subtaskIndex: i })),
    ),
    restore: null,
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'flinknet-bench-pipeline-'));
  const acks = new Map<number, number>();
  const counts = { completed: 0, declined: 0 };
  const failures: string[] = [];
  const execution = startJob({
    deploy,
    registry: createRegistry(),
    dataDir,
    restore: null,
    hooks: {
      onTaskState(report) {
        if (report.state === 'FAILED')
          failures.push(`${report.vertexId}#${report.subtaskIndex}: ${report.error ?? 'failed'}`);
      },
      onCheckpointAck(ack) {
        const n = (acks.get(ack.checkpointId) ?? 0) + 1;
        acks.set(ack.checkpointId, n);
        if (n === deploy.tasks.length) {
          counts.completed++;
          void execution.notifyCheckpointComplete(ack.checkpointId);
        }
      },
      onCheckpointDecline() {
        counts.declined++;
      },
      onLog() {},
      onDlq() {},
    },
  });
  let nextCheckpoint = 1;
  const filterName = definition.steps[2]!.name;
  return {
    counts,
    /** Records the filter has taken in so far; throws once a task failed. */
    records(): number {
      if (failures.length > 0) throw new Error(`the pipeline failed: ${failures.join('; ')}`);
      const filter = execution.reports().find((r) => r.vertexId === filterName);
      return filter?.metrics?.recordsIn ?? 0;
    },
    triggerCheckpoint(): void {
      execution.triggerCheckpoint(nextCheckpoint++, 'CHECKPOINT', Date.now());
    },
    async stop(): Promise<void> {
      await execution.cancel();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs the pipeline without checkpoints for about `seconds` and counts the records that reached the filter. */
export async function runPipeline(seconds: number): Promise<PipelineResult> {
  const job = startBenchJob();
  const started = performance.now();
  try {
    await sleep(seconds * 1000);
    return { records: job.records(), ms: performance.now() - started };
  } finally {
    await job.stop();
  }
}

/**
 * One running job, after `warmupMs`, in `pairs` pairs of adjacent windows
 * of `windowMs`: one with a checkpoint every `intervalMs` (the first half
 * an interval in), one without, in A B B A order. Separate processes
 * running the same pipeline differed by up to 50 % (how far the JIT had
 * got, and machine noise), an order above the effect measured; windows of
 * one warmed-up job differ by a few per cent, and the pairing cancels drift.
 */
export async function runCheckpointWindows(
  warmupMs: number,
  windowMs: number,
  pairs: number,
  intervalMs: number,
): Promise<CheckpointWindowsResult> {
  const job = startBenchJob();
  const rate = async (checkpoints: boolean): Promise<number> => {
    const startRecords = job.records();
    const started = performance.now();

    let timer: NodeJS.Timeout | undefined;
    const first = setTimeout(() => {
      job.triggerCheckpoint();
      timer = setInterval(() => job.triggerCheckpoint(), intervalMs);
    }, intervalMs / 2);
    if (!checkpoints) clearTimeout(first);
    await sleep(windowMs);
    clearTimeout(first);
    clearInterval(timer);
    return ((job.records() - startRecords) / (performance.now() - started)) * 1000;
  };
  try {
    await sleep(warmupMs);
    const result: CheckpointWindowsResult = {
      withCheckpoints: [],
      without: [],
      checkpointsCompleted: 0,
      checkpointsDeclined: 0,
    };
    for (let i = 0; i < pairs; i++) {
      if (i % 2 === 0) {
        result.without.push(await rate(false));
        result.withCheckpoints.push(await rate(true));
      } else {
        result.withCheckpoints.push(await rate(true));
        result.without.push(await rate(false));
      }
    }
    result.checkpointsCompleted = job.counts.completed;
    result.checkpointsDeclined = job.counts.declined;
    return result;
  } finally {
    await job.stop();
  }
}
