/**
 * @module
 * The JobManager's brain: places jobs on TaskManagers, drives the job state
 * machine from task reports, and carries out stop, cancel, restart, scale and
 * DLQ resubmission. Everything here runs synchronously on the event loop
 * (the store is synchronous too), so one request or report never interleaves
 * with another halfway through.
 */
import {
  type HeartbeatRequest,
  type HeartbeatResponse,
  type JobDefinitionDto,
  type JobState,
  type LogLevel,
  PROTOCOL_VERSION,
  type RegisterRequest,
  type RegisterResponse,
  type TaskManagerCommand,
  type TaskState,
} from '@flinknet/contracts';
import type { JobRecord, JobRepository, TaskUpdate } from '@flinknet/store';
import type { Logger } from 'pino';
import type { ClusterSettings } from '../config';
import type { EventBus } from '../events/eventBus';
import { ValidationError } from '../http/errors';
import type { AppMetrics } from '../metrics';
import { CheckpointCoordinator, type CheckpointTarget } from './checkpointCoordinator';
import { CommandQueue } from './commandQueue';
import { recoveryPlan } from './recovery';
import { TaskManagerRegistry } from './registry';
import { ingestDeadLetters, ingestLogs } from './reportIngest';
import {
  pickTaskManager,
  requiredOperators,
  slotsNeeded,
  subtasksOf,
  unofferedSteps,
} from './scheduler';

const DEFAULT_RESTART = { attempts: 3, delayMs: 1000 };

/** Where a job's current attempt runs and what its subtasks last reported. */
export interface Deployment extends CheckpointTarget {
  slots: number;
  states: Map<string, TaskState>;
}

/** A job waiting for slots and the checkpoint it will restore ('latest' resolves at deploy time). */
export type Restore = number | 'latest' | null;

export interface JobControllerOptions {
  store: JobRepository;
  bus: EventBus;
  metrics: AppMetrics;
  logger: Logger;
  settings: ClusterSettings;
  checkpointsDir: string;
  now: () => number;
}

/** Owns the live cluster state of one JobManager. */
export class JobController {
  readonly registry = new TaskManagerRegistry();
  readonly queue = new CommandQueue();
  readonly checkpoints: CheckpointCoordinator;
  readonly #deployments = new Map<string, Deployment>();
  readonly waiting = new Map<string, Restore>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly pendingActions = new Map<string, 'stop' | 'scale'>();
  #tick: NodeJS.Timeout | undefined;
  /** Reports of stale attempts ignored so far (observable in tests and logs). */
  staleReports = 0;

  constructor(private readonly o: JobControllerOptions) {
    this.checkpoints = new CheckpointCoordinator({
      store: o.store,
      queue: this.queue,
      bus: o.bus,
      metrics: o.metrics,
      checkpointsDir: o.checkpointsDir,
      timeoutMs: o.settings.checkpointTimeoutMs,
      retained: o.settings.checkpointsRetained,
      periodicTarget: (jobId) =>
        o.store.getJob(jobId)?.status === 'RUNNING' ? this.#deployments.get(jobId) : undefined,
      onError: (error) => o.logger.error({ err: error }, 'checkpoint coordinator error'),
    });
  }

  get store(): JobRepository {
    return this.o.store;
  }

  get settings(): ClusterSettings {
    return this.o.settings;
  }

  get checkpointsDir(): string {
    return this.o.checkpointsDir;
  }

  /** The current deployment of a job, if its tasks run somewhere. */
  deployment(jobId: string): Deployment | undefined {
    return this.#deployments.get(jobId);
  }

  /** Recovers the jobs that were active when the previous JobManager stopped and starts the timers. */
  start(): void {
    const { store } = this.o;
    for (const tm of store.listTaskManagers()) {
      if (tm.state === 'ACTIVE') store.setTaskManagerState(tm.taskManagerId, 'LOST');
    }
    for (const job of store.jobsInStates([
      'CREATED',
      'RUNNING',
      'STOPPING',
      'FAILING',
      'RESTARTING',
      'CANCELLING',
    ])) {
      this.#recover(job);
    }
    const tickMs = Math.max(
      10,
      Math.min(
        this.o.settings.schedulePeriodMs,
        this.o.settings.heartbeatTimeoutMs / 4,
        this.o.settings.pollDropGraceMs / 4,
      ),
    );
    this.#tick = setInterval(() => this.guard(() => this.#onTick()), tickMs);
    this.#tick.unref();
  }

  /** Stops timers and releases waiting long-polls. */
  close(): void {
    clearInterval(this.#tick);
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.checkpoints.close();
    this.queue.close();
  }

  // ---- submission -------------------------------------------------------

  /**
   * Operators nobody offers are fine while no TaskManager is registered (one
   * may still join); once some are, they are a 422 naming the step.
   */
  checkOperatorsOffered(definition: JobDefinitionDto): void {
    if (this.registry.list().length === 0) return;
    const issues = unofferedSteps(definition, this.registry.offeredOperators());
    if (issues.length > 0)
      throw new ValidationError(
        issues,
        'no registered TaskManager offers some operators of this job',
      );
  }

  /** A freshly stored CREATED job: place it if a TaskManager fits. */
  /** Queues a new job and schedules it; returns the job as it is now (deployed at once when a slot is free). */
  submitted(job: JobRecord): JobRecord {
    this.o.bus.publish({
      jobId: job.jobId,
      type: 'status',
      status: job.status,
      message: 'submitted',
    });
    this.waiting.set(job.jobId, null);
    this.schedule();
    // Still waiting for a slot: nothing changed it.
    return this.waiting.has(job.jobId) ? job : (this.o.store.getJob(job.jobId) ?? job);
  }

  // ---- protocol ---------------------------------------------------------

  /** Registers (or re-registers) a TaskManager; tasks it ran before a re-registration are gone. */
  register(request: RegisterRequest): RegisterResponse {
    const { store, settings } = this.o;
    const restarted = this.registry.register(request, this.o.now());
    this.queue.clear(request.taskManagerId);
    store.upsertTaskManager({
      taskManagerId: request.taskManagerId,
      address: request.address,
      version: request.version,
      slots: request.slots,
      operators: request.operators,
    });
    store.setTaskManagerState(request.taskManagerId, 'ACTIVE');
    if (restarted) {
      for (const dep of this.#deploymentsOn(request.taskManagerId)) {
        this.#taskManagerGone(
          dep,
          `TaskManager ${request.taskManagerId} registered again; its tasks are gone`,
        );
      }
    }
    this.o.logger.info(
      { taskManagerId: request.taskManagerId, slots: request.slots },
      'TaskManager registered',
    );
    this.schedule();
    return {
      taskManagerId: request.taskManagerId,
      heartbeatIntervalMs: settings.heartbeatIntervalMs,
      heartbeatTimeoutMs: settings.heartbeatTimeoutMs,
      protocolVersion: PROTOCOL_VERSION,
    };
  }

  /** Applies a heartbeat's reports and answers the pending commands; unknown TaskManagers must register. */
  heartbeat(request: HeartbeatRequest): HeartbeatResponse {
    const tmId = request.taskManagerId;
    if (!this.registry.touch(tmId, this.o.now())) return { registered: false, commands: [] };
    this.o.store.touchTaskManager(tmId);
    this.#applyTaskReports(tmId, request.tasks ?? []);
    for (const ack of request.checkpointAcks ?? []) {
      if (this.#current(ack.jobId, ack.attempt, tmId)) this.checkpoints.ack(ack);
      else this.staleReports++;
    }
    for (const decline of request.checkpointDeclines ?? []) {
      if (this.#current(decline.jobId, decline.attempt, tmId)) this.checkpoints.decline(decline);
      else this.staleReports++;
    }
    ingestLogs(this.o.store, this.o.bus, tmId, request.logs ?? []);
    ingestDeadLetters(this.o.store, request.dlq ?? []);
    return { registered: true, commands: this.queue.drain(tmId) };
  }

  /** Long-poll: answers as soon as a command is queued for the TaskManager. */
  async poll(
    taskManagerId: string,
    waitMs: number,
    signal?: AbortSignal,
  ): Promise<HeartbeatResponse> {
    if (!this.registry.get(taskManagerId)) return { registered: false, commands: [] };
    const seq = this.registry.pollStarted(taskManagerId);
    const commands = await this.queue.wait(taskManagerId, waitMs, signal);
    // The TaskManager keeps a poll open at all times; a connection that closes
    // under it usually means its process died (kill -9 closes the socket).
    const dropped = signal?.aborted === true;
    this.registry.pollEnded(taskManagerId, seq, dropped, this.o.now());
    // Commands drained into a dead connection must not be lost.
    if (dropped) for (const command of commands) this.queue.push(taskManagerId, command);
    return { registered: this.registry.get(taskManagerId) !== undefined, commands };
  }

  // ---- read models ------------------------------------------------------

  /** Free slots of a live TaskManager. */
  slotsFree(taskManagerId: string): number {
    const tm = this.registry.get(taskManagerId);
    if (!tm) return 0;
    return tm.slots - this.#deploymentsOn(taskManagerId).reduce((sum, d) => sum + d.slots, 0);
  }

  /** Counts of live TaskManagers and their slots. */
  capacity(): { live: number; slotsTotal: number; slotsFree: number } {
    const live = this.registry.list();
    return {
      live: live.length,
      slotsTotal: live.reduce((sum, tm) => sum + tm.slots, 0),
      slotsFree: live.reduce((sum, tm) => sum + this.slotsFree(tm.taskManagerId), 0),
    };
  }

  // ---- internals --------------------------------------------------------

  #recover(job: JobRecord): void {
    const plan = recoveryPlan(job.status);
    for (const step of plan.transitions)
      this.transition(job.jobId, step.to, step.reason, undefined, step.level);
    if (plan.restore !== undefined) this.waiting.set(job.jobId, plan.restore);
  }

  #onTick(): void {
    const now = this.o.now();
    const { heartbeatTimeoutMs, pollDropGraceMs } = this.o.settings;
    for (const tm of this.registry.expired(now, heartbeatTimeoutMs, pollDropGraceMs)) {
      this.registry.remove(tm.taskManagerId);
      this.queue.clear(tm.taskManagerId);
      this.o.store.setTaskManagerState(tm.taskManagerId, 'LOST');
      this.o.logger.warn({ taskManagerId: tm.taskManagerId }, 'TaskManager lost');
      for (const dep of this.#deploymentsOn(tm.taskManagerId)) {
        this.#taskManagerGone(
          dep,
          tm.pollDroppedAtMs !== null && now - tm.lastHeartbeatMs <= heartbeatTimeoutMs
            ? `TaskManager ${tm.taskManagerId} lost: its connection closed and it has been silent for ${now - tm.pollDroppedAtMs} ms`
            : `TaskManager ${tm.taskManagerId} lost: no heartbeat for ${now - tm.lastHeartbeatMs} ms`,
        );
      }
    }
    if (this.waiting.size > 0) this.schedule();
  }

  #taskManagerGone(dep: Deployment, reason: string): void {
    const job = this.o.store.getJob(dep.jobId);
    if (job?.status === 'CANCELLING') this.finishCancel(dep.jobId, reason);
    else this.#fail(dep.jobId, reason);
  }

  /** Places waiting jobs, oldest first, on TaskManagers that fit. */
  schedule(): void {
    // Cheap exit first: a submit while no TaskManager has a free slot must not
    // reload the whole waiting queue (that made submits O(queue)).
    if (this.waiting.size === 0 || !this.#anySlotFree()) return;
    const jobs = [...this.waiting.keys()]
      .map((jobId) => this.o.store.getJob(jobId))
      .filter((job): job is JobRecord => job !== undefined)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    for (const job of jobs) {
      if (job.status !== 'CREATED' && job.status !== 'RESTARTING') {
        this.waiting.delete(job.jobId);
        continue;
      }
      const offers = this.registry.list().map((tm) => ({
        taskManagerId: tm.taskManagerId,
        slotsFree: this.slotsFree(tm.taskManagerId),
        operators: tm.operators,
      }));
      const tmId = pickTaskManager(
        { slots: slotsNeeded(job.jobGraph), operators: requiredOperators(job.definition) },
        offers,
      );
      if (tmId === undefined) continue;
      const restore = this.waiting.get(job.jobId) ?? null;
      this.waiting.delete(job.jobId);
      this.guard(() => this.#deploy(job, tmId, restore));
      if (!this.#anySlotFree()) return;
    }
  }

  #anySlotFree(): boolean {
    return this.registry.list().some((tm) => this.slotsFree(tm.taskManagerId) > 0);
  }

  #deploy(job: JobRecord, taskManagerId: string, restore: Restore): void {
    const { store } = this.o;
    const attempt = job.attempt + 1;
    const tasks = subtasksOf(job.jobGraph);
    const checkpointId =
      restore === 'latest'
        ? (store.latestCompletedCheckpoint(job.jobId)?.checkpointId ?? null)
        : restore;
    store.putTasks(
      job.jobId,
      attempt,
      tasks.map((t) => ({ ...t, taskManagerId, state: 'DEPLOYING' as const })),
    );
    const dep: Deployment = {
      jobId: job.jobId,
      attempt,
      taskManagerId,
      tasks,
      slots: slotsNeeded(job.jobGraph),
      states: new Map(tasks.map((t) => [taskKey(t), 'DEPLOYING' as TaskState])),
    };
    this.#deployments.set(job.jobId, dep);
    const from = checkpointId === null ? '' : `, restoring checkpoint ${checkpointId}`;
    const running = this.transition(
      job.jobId,
      'RUNNING',
      `attempt ${attempt} deployed on ${taskManagerId}${from}`,
      [job.status],
      'INFO',
      { attempt },
    );
    this.send(taskManagerId, {
      type: 'deploy',
      jobId: job.jobId,
      attempt,
      jobName: job.jobName,
      definition: job.definition,
      jobGraph: job.jobGraph,
      tasks,
      restore: checkpointId === null ? null : { checkpointId },
    });
    this.startPeriodic(running);
  }

  startPeriodic(job: JobRecord): void {
    if (job.definition.checkpointIntervalMs !== undefined) {
      this.checkpoints.startPeriodic(job.jobId, job.definition.checkpointIntervalMs);
    }
  }

  #applyTaskReports(tmId: string, reports: NonNullable<HeartbeatRequest['tasks']>): void {
    const updates: TaskUpdate[] = [];
    const touched = new Map<string, string | undefined>();
    const zombies = new Set<string>();
    for (const report of reports) {
      const dep = this.#current(report.jobId, report.attempt, tmId);
      const key = taskKey(report);
      if (!dep?.states.has(key)) {
        this.staleReports++;
        // A task of a superseded attempt still runs (e.g. it survived a JobManager restart): stop it before it writes twice.
        const zombie = `${report.jobId}#${report.attempt}`;
        if ((report.state === 'RUNNING' || report.state === 'DEPLOYING') && !zombies.has(zombie)) {
          zombies.add(zombie);
          this.send(tmId, { type: 'cancel', jobId: report.jobId, attempt: report.attempt });
        }
        continue;
      }
      dep.states.set(key, report.state);
      updates.push({ ...report, error: report.error ?? null });
      const failure =
        report.state === 'FAILED'
          ? `${key} failed: ${report.error ?? 'no reason given'}`
          : undefined;
      if (!touched.has(report.jobId) || failure)
        touched.set(report.jobId, failure ?? touched.get(report.jobId));
    }
    if (updates.length > 0) this.o.store.updateTasks(updates);
    for (const [jobId, failure] of touched) this.guard(() => this.#evaluate(jobId, failure));
  }

  /** Moves a job along after its tasks reported. */
  #evaluate(jobId: string, failure: string | undefined): void {
    const job = this.o.store.getJob(jobId);
    const dep = this.#deployments.get(jobId);
    if (!job || !dep) return;
    const states = [...dep.states.values()];
    if (job.status === 'CANCELLING') {
      if (states.every((s) => s === 'CANCELED' || s === 'FINISHED' || s === 'FAILED'))
        this.finishCancel(jobId, 'tasks confirmed');
      return;
    }
    if (failure) {
      this.#fail(jobId, failure);
      return;
    }
    if (
      (job.status === 'RUNNING' || job.status === 'STOPPING') &&
      states.every((s) => s === 'FINISHED')
    ) {
      this.release(jobId, 'finished', false);
      this.pendingActions.delete(jobId);
      this.transition(
        jobId,
        'FINISHED',
        job.status === 'STOPPING' ? 'stopped after the final savepoint' : 'every task finished',
        [job.status],
      );
      this.schedule();
    }
  }

  /** A task failure or a lost TaskManager: FAILING, then a restart under the strategy or FAILED. */
  #fail(jobId: string, reason: string): void {
    const job = this.o.store.getJob(jobId);
    if (!job || !['RUNNING', 'STOPPING'].includes(job.status)) return;
    this.pendingActions.delete(jobId);
    this.transition(jobId, 'FAILING', reason, [job.status], 'ERROR');
    this.o.bus.publish({ jobId, type: 'failure', message: reason });
    this.release(jobId, reason);
    const strategy = job.definition.restartStrategy ?? DEFAULT_RESTART;
    if (job.restartCount >= strategy.attempts) {
      this.transition(
        jobId,
        'FAILED',
        `restart strategy exhausted after ${job.restartCount} restart(s); root cause: ${reason}`,
        ['FAILING'],
        'ERROR',
        {
          errorMessage: reason,
        },
      );
      this.schedule();
      return;
    }
    const restartCount = job.restartCount + 1;
    this.transition(
      jobId,
      'RESTARTING',
      `restart ${restartCount} of ${strategy.attempts} in ${strategy.delayMs} ms from the latest checkpoint`,
      ['FAILING'],
      'WARN',
      { restartCount, errorMessage: reason },
    );
    this.setTimer(jobId, strategy.delayMs, () => {
      if (this.o.store.getJob(jobId)?.status !== 'RESTARTING') return;
      this.waiting.set(jobId, 'latest');
      this.schedule();
    });
    this.schedule();
  }

  finishCancel(jobId: string, reason: string): JobRecord {
    this.clearTimer(jobId);
    this.release(jobId, 'canceled', false);
    const canceled = this.transition(jobId, 'CANCELED', reason, ['CANCELLING']);
    this.schedule();
    return canceled;
  }

  /** Frees a job's slots; cancels its tasks on a live TaskManager unless they already ended. */
  release(jobId: string, reason: string, cancelTasks = true): void {
    const dep = this.#deployments.get(jobId);
    this.checkpoints.abortJob(jobId, `aborted: ${reason}`);
    if (!dep) return;
    this.#deployments.delete(jobId);
    if (cancelTasks && this.registry.get(dep.taskManagerId)) {
      this.send(dep.taskManagerId, { type: 'cancel', jobId, attempt: dep.attempt });
    }
    // Reports of this attempt are fenced out from now on, so its unfinished tasks are recorded as CANCELED here.
    const unfinished = dep.tasks.filter((t) => {
      const state = dep.states.get(taskKey(t));
      return state === 'DEPLOYING' || state === 'RUNNING';
    });
    if (unfinished.length > 0) {
      this.o.store.updateTasks(
        unfinished.map((t) => ({ jobId, attempt: dep.attempt, ...t, state: 'CANCELED' as const })),
      );
    }
  }

  #current(jobId: string, attempt: number, tmId: string): Deployment | undefined {
    const dep = this.#deployments.get(jobId);
    return dep && dep.attempt === attempt && dep.taskManagerId === tmId ? dep : undefined;
  }

  #deploymentsOn(taskManagerId: string): Deployment[] {
    return [...this.#deployments.values()].filter((d) => d.taskManagerId === taskManagerId);
  }

  transition(
    jobId: string,
    to: JobState,
    reason: string,
    from?: readonly JobState[],
    level: LogLevel = 'INFO',
    patch?: Parameters<JobRepository['transitionJob']>[1]['patch'],
  ): JobRecord {
    const job = this.o.store.transitionJob(jobId, { to, reason, from, level, patch });
    this.o.bus.publish({ jobId, type: 'status', status: to, message: reason });
    return job;
  }

  log(jobId: string, level: LogLevel, message: string): void {
    this.o.store.appendLogs([{ jobId, level, source: 'jobmanager', message }]);
    this.o.bus.publish({ jobId, type: 'log', message });
  }

  send(taskManagerId: string, command: TaskManagerCommand): void {
    this.queue.push(taskManagerId, command);
  }

  setTimer(jobId: string, ms: number, run: () => void): void {
    this.clearTimer(jobId);
    const timer = setTimeout(() => {
      this.#timers.delete(jobId);
      this.guard(run);
    }, ms);
    timer.unref();
    this.#timers.set(jobId, timer);
  }

  clearTimer(jobId: string): void {
    clearTimeout(this.#timers.get(jobId));
    this.#timers.delete(jobId);
  }

  /** Timer and callback work must not crash the process; a failure is logged. */
  guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.o.logger.error({ err: error }, 'job controller error');
    }
  }
}

function taskKey(task: { vertexId: string; subtaskIndex: number }): string {
  return `${task.vertexId}[${task.subtaskIndex}]`;
}
