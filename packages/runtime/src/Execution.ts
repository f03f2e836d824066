/**
 * @module
 * The JobExecution of one deployed attempt: routes the TaskManager's commands
 * (checkpoint, commit, finish, cancel, resubmit) to its subtasks, keeps track
 * of which subtasks acknowledged which checkpoint, and fails the attempt as a
 * whole when one subtask fails.
 */
import type { CheckpointKind, DeployCommand, JobVertexDto, TaskReport } from '@flinknet/contracts';
import { compileKeySelector, type KeySelector } from './expressions/keySelector';
import { keyGroupOf, operatorIndexForKeyGroup } from './keyGroups';
import type { ExecutionHooks, JobExecution, ResubmittedRecord, StartJobOptions } from './startJob';
import type { ExecutionEnvironment } from './task/environment';
import { SourceTask } from './task/SourceTask';
import type { Subtask } from './task/Subtask';

const CANCEL_DEADLINE_MS = 800;

/** One deployed attempt of a job in this process. */
export class Execution implements JobExecution, ExecutionEnvironment {
  readonly jobId: string;
  readonly attempt: number;
  readonly dataDir: string;
  readonly definition: DeployCommand['definition'];
  readonly hooks: ExecutionHooks;
  readonly tasks: Subtask[] = [];
  readonly byVertex = new Map<string, Subtask[]>();
  /** Chained operator name -> the vertex it runs in and its position in the chain (1 = first chained). */
  readonly chainedSteps = new Map<string, { vertexId: string; position: number }>();
  done: Promise<void> = Promise.resolve();
  private readonly checkpoints = new Map<number, Set<Subtask>>();
  private readonly keySelectors = new Map<string, KeySelector>();
  private roundRobin = 0;
  private stopping = false;

  constructor(
    readonly deploy: DeployCommand,
    options: StartJobOptions,
  ) {
    this.jobId = deploy.jobId;
    this.attempt = deploy.attempt;
    this.dataDir = options.dataDir;
    this.definition = deploy.definition;
    this.hooks = options.hooks;
  }

  start(): void {
    for (const task of this.tasks) this.hooks.onTaskState(task.report());
    this.done = Promise.all(this.tasks.map((task) => task.run())).then(() => undefined);
  }

  acknowledged(task: Subtask, checkpointId: number): void {
    const acked = this.checkpoints.get(checkpointId);
    if (!acked) return;
    acked.add(task);
    if (acked.size === this.tasks.length) this.checkpoints.delete(checkpointId);
  }

  taskFinished(task: Subtask): void {
    for (const [checkpointId, acked] of [...this.checkpoints]) {
      if (!acked.has(task) && task.finalSnapshot)
        task.acknowledge(checkpointId, task.finalSnapshot);
    }
  }

  taskFailed(failed: Subtask): void {
    for (const [checkpointId, acked] of [...this.checkpoints]) {
      if (!acked.has(failed))
        failed.decline(checkpointId, `${failed.name} failed: ${failed.error ?? 'unknown error'}`);
    }
    // One failed subtask fails the attempt: the JobManager restarts the job as a whole.
    for (const task of this.tasks) if (task !== failed) task.cancel();
  }

  triggerCheckpoint(checkpointId: number, kind: CheckpointKind, timestamp: number): void {
    if (!Number.isInteger(checkpointId) || checkpointId < 1)
      throw new RangeError(`invalid checkpoint id ${checkpointId}`);
    if (this.checkpoints.has(checkpointId)) return;
    this.checkpoints.set(checkpointId, new Set());
    for (const task of this.tasks) {
      if (task.state === 'FINISHED' && task.finalSnapshot)
        task.acknowledge(checkpointId, task.finalSnapshot);
      else if (task.ended || task.canceled)
        task.decline(checkpointId, `${task.name} is ${task.state}`);
    }
    for (const task of this.tasks)
      if (task instanceof SourceTask && !task.ended) task.trigger(checkpointId, kind, timestamp);
  }

  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    for (const id of [...this.checkpoints.keys()])
      if (id <= checkpointId) this.checkpoints.delete(id);
    await Promise.all(this.tasks.map((task) => task.notifyCheckpointComplete(checkpointId)));
  }

  finish(): void {
    for (const task of this.tasks) if (task instanceof SourceTask) task.finish();
  }

  async cancel(): Promise<void> {
    this.stopping = true;
    for (const task of this.tasks) task.cancel();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.done,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, CANCEL_DEADLINE_MS))),
    ]);
    clearTimeout(timer);
    // A function stuck in its own I/O must not hold the cancel: it is reported gone.
    for (const task of this.tasks) if (!task.ended) task.setState('CANCELED');
  }

  resubmit(records: ResubmittedRecord[]): void {
    for (const record of records) this.resubmitOne(record);
  }

  private resubmitOne(record: ResubmittedRecord): void {
    const chainedAt = this.chainedSteps.get(record.stepName);
    const position = chainedAt?.position ?? 0;
    const tasks = this.byVertex.get(chainedAt?.vertexId ?? record.stepName);
    if (!tasks || tasks.length === 0) {
      this.hooks.onLog({
        jobId: this.jobId,
        attempt: this.attempt,
        level: 'ERROR',
        source: 'runtime',
        message: `cannot resubmit DLQ message ${record.messageId}: the job has no step "${record.stepName}"`,
        timestamp: new Date().toISOString(),
      });
      return;
    }
    const vertex = tasks[0]!.vertex;
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(record.payload, 'base64').toString('utf8'));
    } catch (error) {
      tasks[0]!.rejectResubmitted(
        record.payload,
        new Error(`payload is not base64 of JSON: ${(error as Error).message}`),
        record.messageId,
        record.stepName,
      );
      return;
    }
    let target: Subtask;
    let key: unknown;
    if (vertex.keyed && vertex.keySelector) {
      try {
        key = this.keySelector(vertex).call(null, value);
      } catch (error) {
        tasks[0]!.rejectResubmitted(value, error, record.messageId, record.stepName);
        return;
      }
      target =
        tasks[
          operatorIndexForKeyGroup(
            keyGroupOf(key, vertex.maxParallelism),
            tasks.length,
            vertex.maxParallelism,
          )
        ]!;
    } else {
      target = tasks[this.roundRobin++ % tasks.length]!;
    }
    if (target.ended || this.stopping) {
      target.rejectResubmitted(
        value,
        new Error(`step "${record.stepName}" subtask ${target.subtaskIndex} is ${target.state}`),
        record.messageId,
        record.stepName,
      );
      return;
    }
    target.inject(value, record.messageId, key, position);
  }

  keySelector(vertex: JobVertexDto): KeySelector {
    let selector = this.keySelectors.get(vertex.id);
    if (!selector) {
      selector = compileKeySelector(vertex.keySelector!);
      this.keySelectors.set(vertex.id, selector);
    }
    return selector;
  }

  reports(): TaskReport[] {
    return this.tasks.map((task) => task.report());
  }
}
