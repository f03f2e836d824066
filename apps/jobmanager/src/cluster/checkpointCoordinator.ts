/**
 * @module
 * The checkpoint coordinator: triggers checkpoints of running jobs
 * (periodically, on request, and as savepoints for stop and scale), collects
 * every subtask's acknowledgement and snapshot, and completes a checkpoint
 * only when all of them arrived; a decline, a timeout or a redeploy fails it.
 */
import type {
  CheckpointAck,
  CheckpointDecline,
  CheckpointKind,
  SnapshotResponse,
} from '@flinknet/contracts';
import type { CheckpointRecord, JobRepository } from '@flinknet/store';
import type { EventBus } from '../events/eventBus';
import type { AppMetrics } from '../metrics';
import type { CommandQueue } from './commandQueue';
import { deleteSnapshot, snapshotPath, writeSnapshot } from './snapshotFiles';

/** The deployment a checkpoint is taken of. */
export interface CheckpointTarget {
  jobId: string;
  attempt: number;
  taskManagerId: string;
  tasks: ReadonlyArray<{ vertexId: string; subtaskIndex: number }>;
}

/** Called once when a checkpoint completes (`ok`) or fails. */
export type CheckpointDone = (ok: boolean, checkpoint: CheckpointRecord) => void;

interface Pending {
  target: CheckpointTarget;
  checkpointId: number;
  snapshots: Map<string, unknown[]>;
  timer: NodeJS.Timeout;
  onDone: CheckpointDone | undefined;
}

export interface CheckpointCoordinatorOptions {
  store: JobRepository;
  queue: CommandQueue;
  bus: EventBus;
  metrics: AppMetrics;
  checkpointsDir: string;
  timeoutMs: number;
  retained: number;
  /** The current deployment of a job if it may take a periodic checkpoint now. */
  periodicTarget: (jobId: string) => CheckpointTarget | undefined;
  onError: (error: unknown) => void;
}

/** Tracks in-flight checkpoints of every job. */
export class CheckpointCoordinator {
  readonly #pending = new Map<string, Pending>();
  readonly #periodic = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: CheckpointCoordinatorOptions) {}

  /** Triggers a checkpoint every `intervalMs` while the job may take one (skipped while one is in flight). */
  startPeriodic(jobId: string, intervalMs: number): void {
    this.stopPeriodic(jobId);
    const timer = setInterval(() => {
      try {
        if (this.inFlight(jobId)) return;
        const target = this.options.periodicTarget(jobId);
        if (target) this.trigger(target, 'CHECKPOINT', 'periodic');
      } catch (error) {
        this.options.onError(error);
      }
    }, intervalMs);
    timer.unref();
    this.#periodic.set(jobId, timer);
  }

  stopPeriodic(jobId: string): void {
    clearInterval(this.#periodic.get(jobId));
    this.#periodic.delete(jobId);
  }

  /** True while a checkpoint of the job is in flight. */
  inFlight(jobId: string): boolean {
    return [...this.#pending.values()].some((p) => p.target.jobId === jobId);
  }

  /** Creates the checkpoint, asks the TaskManager for barriers and arms the timeout. */
  trigger(
    target: CheckpointTarget,
    kind: CheckpointKind,
    reason: string,
    onDone?: CheckpointDone,
  ): CheckpointRecord {
    const { store, queue, bus } = this.options;
    const checkpoint = store.createCheckpoint({
      jobId: target.jobId,
      attempt: target.attempt,
      kind,
      reason,
      tasks: target.tasks,
    });
    const timer = setTimeout(() => {
      this.#fail(
        target.jobId,
        checkpoint.checkpointId,
        `timed out after ${this.options.timeoutMs} ms`,
      );
    }, this.options.timeoutMs);
    timer.unref();
    this.#pending.set(key(target.jobId, checkpoint.checkpointId), {
      target,
      checkpointId: checkpoint.checkpointId,
      snapshots: new Map(),
      timer,
      onDone,
    });
    bus.publish({
      jobId: target.jobId,
      type: 'checkpoint',
      checkpointId: checkpoint.checkpointId,
      checkpointStatus: 'IN_PROGRESS',
      message: `${kind} triggered (${reason})`,
    });
    queue.push(target.taskManagerId, {
      type: 'checkpoint',
      jobId: target.jobId,
      attempt: target.attempt,
      checkpointId: checkpoint.checkpointId,
      kind,
      timestamp: Date.parse(checkpoint.triggerTime),
    });
    if (target.tasks.length === 0)
      this.#complete(this.#pending.get(key(target.jobId, checkpoint.checkpointId))!);
    return checkpoint;
  }

  /** Records one subtask's snapshot; completes the checkpoint with the last one. Stale attempts are ignored. */
  ack(ack: CheckpointAck): void {
    const pending = this.#pending.get(key(ack.jobId, ack.checkpointId));
    if (!pending || pending.target.attempt !== ack.attempt) return;
    const vertex = pending.target.tasks.some(
      (t) => t.vertexId === ack.vertexId && t.subtaskIndex === ack.subtaskIndex,
    );
    if (!vertex) return;
    let slots = pending.snapshots.get(ack.vertexId);
    if (!slots) {
      slots = [];
      pending.snapshots.set(ack.vertexId, slots);
    }
    slots[ack.subtaskIndex] = ack.snapshot ?? null;
    const after = this.options.store.ackCheckpointTask(ack.jobId, ack.checkpointId, {
      vertexId: ack.vertexId,
      subtaskIndex: ack.subtaskIndex,
      stateSizeBytes: ack.stateSizeBytes,
    });
    if (after.status === 'IN_PROGRESS' && after.acknowledged >= after.total)
      this.#complete(pending);
  }

  /** A subtask could not take the checkpoint: it fails with the subtask's reason. */
  decline(decline: CheckpointDecline): void {
    const pending = this.#pending.get(key(decline.jobId, decline.checkpointId));
    if (!pending || pending.target.attempt !== decline.attempt) return;
    this.#fail(
      decline.jobId,
      decline.checkpointId,
      `declined by ${decline.vertexId}[${decline.subtaskIndex}]: ${decline.reason}`,
    );
  }

  /** Stops periodic triggers and fails the job's in-flight checkpoints (redeploy, cancel, failure). */
  abortJob(jobId: string, reason: string): void {
    this.stopPeriodic(jobId);
    for (const pending of [...this.#pending.values()]) {
      if (pending.target.jobId === jobId) this.#fail(jobId, pending.checkpointId, reason);
    }
  }

  /** Stops every timer (shutdown); in-flight checkpoints stay IN_PROGRESS in the store. */
  close(): void {
    for (const timer of this.#periodic.values()) clearInterval(timer);
    for (const pending of this.#pending.values()) clearTimeout(pending.timer);
    this.#periodic.clear();
    this.#pending.clear();
  }

  #complete(pending: Pending): void {
    const { store, queue, bus, metrics, checkpointsDir } = this.options;
    const { target, checkpointId } = pending;
    this.#pending.delete(key(target.jobId, checkpointId));
    clearTimeout(pending.timer);
    const snapshot: SnapshotResponse = {
      jobId: target.jobId,
      checkpointId,
      vertices: Object.fromEntries(pending.snapshots),
    };
    const path = snapshotPath(target.jobId, checkpointId);
    let completed: CheckpointRecord;
    try {
      const sizeBytes = writeSnapshot(checkpointsDir, path, snapshot);
      completed = store.completeCheckpoint(target.jobId, checkpointId, {
        snapshotPath: path,
        sizeBytes,
      });
    } catch (error) {
      this.options.onError(error);
      this.#failStored(pending, `could not store the snapshot: ${(error as Error).message}`);
      return;
    }
    metrics.checkpoints.inc({ status: 'COMPLETED' });
    queue.push(target.taskManagerId, {
      type: 'checkpointComplete',
      jobId: target.jobId,
      attempt: target.attempt,
      checkpointId,
    });
    for (const pruned of store.pruneCheckpoints(target.jobId, this.options.retained)) {
      if (pruned.snapshotPath) deleteSnapshot(checkpointsDir, pruned.snapshotPath);
    }
    bus.publish({
      jobId: target.jobId,
      type: 'checkpoint',
      checkpointId,
      checkpointStatus: 'COMPLETED',
      message: `${completed.kind} ${checkpointId} completed`,
    });
    pending.onDone?.(true, completed);
  }

  #fail(jobId: string, checkpointId: number, reason: string): void {
    const pending = this.#pending.get(key(jobId, checkpointId));
    if (!pending) return;
    this.#pending.delete(key(jobId, checkpointId));
    clearTimeout(pending.timer);
    this.#failStored(pending, reason);
  }

  #failStored(pending: Pending, reason: string): void {
    const { store, bus, metrics } = this.options;
    const { jobId } = pending.target;
    const failed = store.failCheckpoint(jobId, pending.checkpointId, reason);
    metrics.checkpoints.inc({ status: 'FAILED' });
    store.appendLogs([
      {
        jobId,
        level: 'WARN',
        source: 'jobmanager',
        message: `checkpoint ${pending.checkpointId} failed: ${reason}`,
      },
    ]);
    bus.publish({
      jobId,
      type: 'checkpoint',
      checkpointId: pending.checkpointId,
      checkpointStatus: 'FAILED',
      message: reason,
    });
    pending.onDone?.(false, failed);
  }
}

function key(jobId: string, checkpointId: number): string {
  return `${jobId}#${checkpointId}`;
}
