/**
 * @module
 * What every subtask has in common: identity, reported state, metrics, the
 * context user functions receive, record rejection (DLQ or task failure),
 * and checkpoint acknowledgement.
 */
import type {
  JobVertexDto,
  OperatorDefinitionDto,
  TaskReport,
  TaskState,
} from '@flinknet/contracts';
import type { Collector, KeyedStateStore, RuntimeContext, TimeDomain, TimerService } from '../api';
import { ChannelClosedError } from '../channels/Channel';
import {
  type RestoredState,
  SNAPSHOT_VERSION,
  type SubtaskSnapshot,
} from '../checkpoint/snapshots';
import { keyGroupRange } from '../keyGroups';
import { resolveUnder } from '../paths';
import { KeyedStateBackend } from '../state/KeyedStateBackend';
import { Timers } from '../state/Timers';
import type { ExecutionEnvironment } from './environment';
import type { OutputRouter } from './OutputRouter';
import { TaskMetrics } from './TaskMetrics';

/** A failure that ends the task (not just one record). */
export class TaskFailure extends Error {
  override readonly name = 'TaskFailure';
}

/** Thrown inside a task loop to unwind it when the task is canceled. */
export class TaskCanceled extends Error {
  override readonly name = 'TaskCanceled';
}

const FINAL_STATES: ReadonlySet<TaskState> = new Set(['FINISHED', 'CANCELED', 'FAILED']);
const DLQ_LOG_LINES_PER_SECOND = 20;
/** Rough JSON size of one keyed state entry and one timer, for the state-size metric before a snapshot. */
const ESTIMATED_ENTRY_BYTES = 96;
const ESTIMATED_TIMER_BYTES = 32;

export abstract class Subtask {
  state: TaskState = 'DEPLOYING';
  error: string | undefined;
  readonly metrics = new TaskMetrics();
  readonly keyedState: KeyedStateBackend;
  readonly timers: Timers;
  readonly abort = new AbortController();
  canceled = false;
  /** The snapshot taken when the task finished: acknowledged for checkpoints it never saw a barrier of. */
  finalSnapshot: SubtaskSnapshot | null = null;
  router!: OutputRouter;
  protected watermark = Number.NEGATIVE_INFINITY;
  protected watermarkDirty = false;
  /** messageId of the resubmitted record being processed, if any. */
  protected currentMessageId: string | undefined;
  /** Chained tasks downstream of this loop (no loop of their own): this loop processes their resubmitted records. */
  chainMembers: Array<{ readonly hasInjected: boolean; processInjected(): Promise<void> }> = [];
  private snapshotTaken = false;
  private dlqLogWindow = { second: 0, lines: 0 };

  constructor(
    readonly env: ExecutionEnvironment,
    readonly vertex: JobVertexDto,
    readonly step: OperatorDefinitionDto,
    readonly subtaskIndex: number,
    protected readonly restored: RestoredState | null,
  ) {
    this.keyedState = new KeyedStateBackend(vertex.maxParallelism);
    this.timers = new Timers(vertex.maxParallelism);
  }

  get name(): string {
    return `${this.vertex.id}#${this.subtaskIndex}`;
  }

  get ended(): boolean {
    return FINAL_STATES.has(this.state);
  }

  /** Runs the subtask to its end; never rejects (failures are reported). */
  abstract run(): Promise<void>;

  /** Records a checkpoint request (sources inject a barrier). */
  abstract trigger(checkpointId: number, kind: 'CHECKPOINT' | 'SAVEPOINT', timestamp: number): void;

  /** Wakes the loop (cancel, finish, injected records). */
  abstract wake(): void;

  /** Queues a resubmitted DLQ record; `position` > 0 enters at that chained operator. */
  abstract inject(value: unknown, messageId: string, key: unknown, position: number): void;

  /** Lets the function commit what it staged for checkpoints up to `checkpointId`. */
  abstract notifyCheckpointComplete(checkpointId: number): Promise<void>;

  report(): TaskReport {
    const metrics = this.metrics.report();
    // Before the first snapshot there is no measured size: estimate from the entries held.
    if (!this.snapshotTaken)
      metrics.stateSizeBytes =
        this.keyedState.size * ESTIMATED_ENTRY_BYTES + this.timers.size * ESTIMATED_TIMER_BYTES;
    return {
      jobId: this.env.jobId,
      attempt: this.env.attempt,
      vertexId: this.vertex.id,
      subtaskIndex: this.subtaskIndex,
      state: this.state,
      ...(this.error === undefined ? {} : { error: this.error.slice(0, 10_000) }),
      metrics,
    };
  }

  setState(state: TaskState, error?: string): void {
    if (this.ended) return;
    this.state = state;
    this.error = error;
    this.env.hooks.onTaskState(this.report());
    this.log(
      state === 'FAILED' ? 'ERROR' : 'INFO',
      `${this.name} switched to ${state}${error ? `: ${error}` : ''}`,
    );
    if (state === 'FINISHED') this.env.taskFinished(this);
  }

  /** A resubmitted record that cannot even enter its step goes back to the DLQ (never fails the task). */
  rejectResubmitted(
    value: unknown,
    error: unknown,
    messageId: string,
    stepName: string = this.step.name,
  ): void {
    const previous = this.currentMessageId;
    this.currentMessageId = messageId;
    try {
      this.reject(value, error, stepName);
    } catch (failure) {
      this.log(
        'ERROR',
        `resubmitted DLQ message ${messageId} rejected: ${failure instanceof Error ? failure.message : String(failure)}`,
      );
    } finally {
      this.currentMessageId = previous;
    }
  }

  log(level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR', message: string): void {
    this.env.hooks.onLog({
      jobId: this.env.jobId,
      attempt: this.env.attempt,
      level,
      source: this.name,
      message: message.length > 10_000 ? `${message.slice(0, 9_990)}...` : message,
      timestamp: new Date().toISOString(),
    });
  }

  /** A record this step cannot process: to the DLQ with errorTolerance "all", else the task fails. */
  reject(value: unknown, error: unknown, stepName: string = this.step.name): void {
    if (
      error instanceof TaskFailure ||
      error instanceof TaskCanceled ||
      error instanceof ChannelClosedError
    )
      throw error;
    const reason = error instanceof Error ? error.message : String(error);
    if (this.env.definition.errorTolerance !== 'all') {
      throw new TaskFailure(`step "${stepName}" failed on a record: ${reason}`, { cause: error });
    }
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      json = undefined;
    }
    this.metrics.dlqRecords++;
    this.env.hooks.onDlq({
      jobId: this.env.jobId,
      attempt: this.env.attempt,
      vertexId: this.vertex.id,
      subtaskIndex: this.subtaskIndex,
      stepName,
      errorMessage: reason.slice(0, 10_000),
      payload: Buffer.from(json ?? 'null', 'utf8').toString('base64'),
      ...(this.currentMessageId === undefined ? {} : { messageId: this.currentMessageId }),
    });
    const second = Math.floor(Date.now() / 1000);
    if (this.dlqLogWindow.second !== second) this.dlqLogWindow = { second, lines: 0 };
    if (this.dlqLogWindow.lines++ < DLQ_LOG_LINES_PER_SECOND) {
      this.log('WARN', `record rejected by step "${stepName}", sent to the DLQ: ${reason}`);
    }
  }

  /** The context handed to the user function of this subtask. */
  /** `step` overrides the step for an operator chained into this one (its name, type and properties). */
  createContext(step: OperatorDefinitionDto = this.step): RuntimeContext {
    const backend = this.keyedState;
    const timers = this.timers;
    const timerService: TimerService = {
      currentProcessingTime: () => Date.now(),
      currentWatermark: () => this.watermark,
      registerProcessingTimeTimer: (t) => timers.register('processing', t, this.requireKey()),
      registerEventTimeTimer: (t) => timers.register('event', t, this.requireKey()),
      deleteProcessingTimeTimer: (t) => timers.delete('processing', t, this.requireKey()),
      deleteEventTimeTimer: (t) => timers.delete('event', t, this.requireKey()),
      advanceWatermark: (t) => {
        if (t > this.watermark) {
          this.watermark = t;
          this.watermarkDirty = true;
        }
      },
    };
    const state: KeyedStateStore = backend;
    return {
      jobId: this.env.jobId,
      attempt: this.env.attempt,
      stepName: step.name,
      subtaskIndex: this.subtaskIndex,
      parallelism: this.vertex.parallelism,
      maxParallelism: this.vertex.maxParallelism,
      step,
      properties: step.operatorProperties ?? {},
      errorTolerance: this.env.definition.errorTolerance,
      keyed: this.vertex.keyed,
      resolvePath: (path) => resolveUnder(this.env.dataDir, path),
      log: (level, message) => this.log(level, message),
      rejectRecord: (value, error) => this.reject(value, error, step.name),
      state,
      timers: timerService,
      signal: this.abort.signal,
      deploy: this.env.deploy,
    };
  }

  private requireKey(): unknown {
    const key = this.keyedState.currentKey;
    if (key === undefined)
      throw new TaskFailure('timers need a key: they are only available on keyed steps');
    return key;
  }

  /** Loads keyed state and timers of this subtask's key-group range. */
  protected restoreKeyed(): void {
    if (!this.restored) return;
    const range = keyGroupRange(
      this.subtaskIndex,
      this.vertex.parallelism,
      this.vertex.maxParallelism,
    );
    this.keyedState.restore(this.restored.keyed, range);
    this.timers.restore(this.restored.timers, range);
    this.watermark = this.restored.watermark;
  }

  /** Fires due timers of one domain with the key set; timer errors fail the task. */
  protected fireTimers(
    domain: TimeDomain,
    time: number,
    onTimer: ((t: number, d: TimeDomain, k: unknown, out: Collector) => void) | undefined,
  ): void {
    for (;;) {
      const timer = this.timers.takeDue(domain, time);
      if (!timer) return;
      if (!onTimer) continue;
      this.keyedState.setCurrentKey(timer.key);
      try {
        onTimer(timer.timestamp, domain, timer.key, this.router);
      } catch (error) {
        if (error instanceof TaskFailure || error instanceof TaskCanceled) throw error;
        throw new TaskFailure(
          `timer of step "${this.step.name}" failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
    }
  }

  /** Serialises a snapshot (a private copy) and acknowledges it. */
  acknowledge(checkpointId: number, snapshot: SubtaskSnapshot): void {
    const json = JSON.stringify(snapshot);
    const bytes = Buffer.byteLength(json, 'utf8');
    this.metrics.stateSizeBytes = bytes;
    this.snapshotTaken = true;
    this.env.acknowledged(this, checkpointId);
    this.env.hooks.onCheckpointAck({
      jobId: this.env.jobId,
      attempt: this.env.attempt,
      vertexId: this.vertex.id,
      subtaskIndex: this.subtaskIndex,
      checkpointId,
      snapshot: JSON.parse(json),
      stateSizeBytes: bytes,
    });
  }

  decline(checkpointId: number, reason: string): void {
    this.env.acknowledged(this, checkpointId);
    this.env.hooks.onCheckpointDecline({
      jobId: this.env.jobId,
      attempt: this.env.attempt,
      vertexId: this.vertex.id,
      subtaskIndex: this.subtaskIndex,
      checkpointId,
      reason: reason.slice(0, 10_000),
    });
  }

  /** The keyed part of a snapshot plus anything the subclass adds. */
  protected baseSnapshot(): SubtaskSnapshot {
    const snapshot: SubtaskSnapshot = { version: SNAPSHOT_VERSION };
    if (this.vertex.keyed) {
      snapshot.keyed = this.keyedState.snapshot();
      snapshot.timers = this.timers.snapshot();
    }
    if (Number.isFinite(this.watermark)) snapshot.watermark = this.watermark;
    return snapshot;
  }

  /** Marks the task FAILED (once) and asks the execution to stop the others. */
  fail(error: unknown): void {
    if (this.ended) return;
    const message = error instanceof Error ? error.message : String(error);
    this.abort.abort();
    this.setState('FAILED', message);
    this.env.taskFailed(this);
    // Stop the loop too, in case the failure came from outside it.
    this.canceled = true;
    this.wake();
  }

  /** Stops the loop at its next step; the loop reports CANCELED. */
  cancel(): void {
    if (this.canceled) return;
    this.canceled = true;
    this.abort.abort();
    this.wake();
  }

  protected checkCanceled(): void {
    if (this.canceled) throw new TaskCanceled('canceled');
  }

  /** Classifies how a loop ended and reports it. */
  protected settle(error: unknown): void {
    if (this.ended) return;
    if (this.canceled || error instanceof TaskCanceled || error instanceof ChannelClosedError) {
      this.setState('CANCELED');
      return;
    }
    this.fail(error);
  }
}

/** Rethrows what must end a task; anything else is a record error. */
export function isTaskEnding(error: unknown): boolean {
  return (
    error instanceof TaskFailure ||
    error instanceof TaskCanceled ||
    error instanceof ChannelClosedError
  );
}
