/**
 * @module
 * Job definitions the scenarios submit and the waits they share.
 */
import type { JobDefinitionInput, JobState, VertexMetricsDto } from '@flinknet/contracts';
import type { Rest } from './rest';
import { StopWaiting, waitFor } from './waitFor';

/** sequence -> key-by -> window-aggregate count -> file, the pipeline. */
export function countPerKeyJob(options: {
  name: string;
  count?: number;
  keys: number;
  ratePerSecond?: number;
  parallelism?: number;
  sourceParallelism?: number;
  path: string;
  checkpointIntervalMs?: number;
}): JobDefinitionInput {
  const parallelism = options.parallelism ?? 2;
  return {
    jobName: options.name,
    steps: [
      {
        name: 'numbers',
        operatorType: 'Source',
        typeName: 'sequence',
        parallelism: options.sourceParallelism ?? 1,
        operatorProperties: {
          keys: options.keys,
          ...(options.count !== undefined ? { count: options.count } : {}),
          ...(options.ratePerSecond !== undefined ? { ratePerSecond: options.ratePerSecond } : {}),
        },
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
        windowing: { assignerType: 'TumblingProcessingTime', sizeMs: 500 },
        operatorProperties: { aggregate: 'count' },
      },
      {
        name: 'out',
        operatorType: 'Sink',
        typeName: 'file',
        parallelism,
        operatorProperties: { path: options.path },
      },
    ],
    checkpointIntervalMs: options.checkpointIntervalMs ?? 300,
    restartStrategy: { attempts: 10, delayMs: 200 },
  };
}

/** Waits until the job is in `status` (or fails fast when it reaches another final state). */
export async function waitForStatus(
  rest: Rest,
  jobId: string,
  status: JobState,
  timeoutMs = 60_000,
) {
  const finals: JobState[] = ['FINISHED', 'CANCELED', 'FAILED'];
  return waitFor(
    `job ${jobId} to be ${status}`,
    async () => {
      const current = await rest.status(jobId);
      if (current.status !== status && finals.includes(current.status)) {
        throw new StopWaiting(
          `job ended ${current.status} (${current.errorMessage ?? 'no error'}) instead of ${status}`,
        );
      }
      return current.status === status ? current : undefined;
    },
    timeoutMs,
  );
}

/** Waits until the job has at least `n` COMPLETED checkpoints; returns them newest first. */
export async function waitForCompletedCheckpoints(
  rest: Rest,
  jobId: string,
  n: number,
  timeoutMs = 60_000,
) {
  return waitFor(
    `${n} completed checkpoints of job ${jobId}`,
    async () => {
      const completed = (await rest.checkpoints(jobId)).filter((c) => c.status === 'COMPLETED');
      return completed.length >= n ? completed : undefined;
    },
    timeoutMs,
  );
}

/** Total records a vertex emitted, from the job metrics. */
export function recordsOut(metrics: readonly VertexMetricsDto[], vertexId: string): number {
  const vertex = metrics.find((v) => v.vertexId === vertexId);
  if (!vertex) throw new Error(`no metrics for vertex ${vertexId}`);
  return vertex.recordsOut;
}

/** TaskManager ids running subtasks of the job, from the metrics. */
export function taskManagersOf(metrics: readonly VertexMetricsDto[]): Set<string> {
  return new Set(
    metrics
      .flatMap((v) => v.subtasks.map((s) => s.taskManagerId))
      .filter((id): id is string => id !== null),
  );
}
