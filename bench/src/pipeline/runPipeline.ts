/**
 * @module
 * Runs sequence -> map -> filter -> discard on the real runtime, one subtask
 * per step, in this process, for a fixed time; optionally drives checkpoints
 * every `checkpointIntervalMs` as the JobManager would (trigger, collect every
 * acknowledgement, notify completion).
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
  checkpointsCompleted: number;
  checkpointsDeclined: number;
}

/** Runs the pipeline for about `seconds` and counts the records that reached the filter. */
export async function runPipeline(
  seconds: number,
  checkpointIntervalMs: number | null,
): Promise<PipelineResult> {
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
  let completed = 0;
  let declined = 0;
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
          completed++;
          void execution.notifyCheckpointComplete(ack.checkpointId);
        }
      },
      onCheckpointDecline() {
        declined++;
      },
      onLog() {},
      onDlq() {},
    },
  });
  const started = performance.now();
  let nextCheckpoint = 1;
  const timer =
    checkpointIntervalMs === null
      ? undefined
      : setInterval(
          () => execution.triggerCheckpoint(nextCheckpoint++, 'CHECKPOINT', Date.now()),
          checkpointIntervalMs,
        );
  try {
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const ms = performance.now() - started;
    const filter = execution.reports().find((r) => r.vertexId === definition.steps[2]!.name);
    if (failures.length > 0) throw new Error(`the pipeline failed: ${failures.join('; ')}`);
    return {
      records: filter?.metrics?.recordsIn ?? 0,
      ms,
      checkpointsCompleted: completed,
      checkpointsDeclined: declined,
    };
  } finally {
    clearInterval(timer);
    await execution.cancel();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
