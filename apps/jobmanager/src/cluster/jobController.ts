/**
 * @module
 * The JobManager's brain: places jobs on TaskManagers, drives the job state
 * machine from task reports, and carries out stop, cancel, restart, scale and
 * DLQ resubmission. Everything here runs synchronously on the event loop
 * (the store is synchronous too), so one request or report never interleaves
 * with another halfway through.
 */
import { randomUUID } from 'node:crypto';
import {
  buildJobGraph,
  isActionAllowed,
  isTerminal,
  PROTOCOL_VERSION,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type JobAction,
  type JobDefinitionDto,
  type JobState,
  type LogLevel,
  type RegisterRequest,
  type RegisterResponse,
  type ScaleParametersDto,
  type TaskManagerCommand,
  type TaskState,
} from '@flinknet/contracts';
import type { CheckpointRecord, JobRecord, JobRepository, TaskUpdate } from '@flinknet/store';
import type { Logger } from 'pino';
import type { ClusterSettings } from '../config';
import type { EventBus } from '../events/eventBus';
import { ConflictError, IllegalStateError, NotFoundError, ValidationError } from '../http/errors';
import type { AppMetrics } from '../metrics';
import { type CheckpointTarget, CheckpointCoordinator } from './checkpointCoordinator';
import { CommandQueue } from './commandQueue';
import { TaskManagerRegistry } from './registry';
import { pickTaskManager, requiredOperators, slotsNeeded, subtasksOf, unofferedSteps } from './scheduler';
import { readSnapshot } from './snapshotFiles';

const DEFAULT_RESTART = { attempts: 3, delayMs: 1000 };

/** Where a job's current attempt runs and what its subtasks last reported. */
interface Deployment extends CheckpointTarget {
  slots: number;
  states: Map<string, TaskState>;
}

/** A job waiting for slots and the checkpoint it will restore ('latest' resolves at deploy time). */
type Restore = number | 'latest' | null;

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
  readonly #waiting = new Map<string, Restore>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #pendingAction = new Map<string, 'stop' | 'scale'>();
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
      periodicTarget: (jobId) => (o.store.getJob(jobId)?.status === 'RUNNING' ? this.#deployments.get(jobId) : undefined),
      onError: (error) => o.logger.error({ err: error }, 'checkpoint coordinator error'),
    });
  }

  /** Recovers the jobs that were active when the previous JobManager stopped and starts the timers. */
  start(): void {
    const { store } = this.o;
    for (const tm of store.listTaskManagers()) {
      if (tm.state === 'ACTIVE') store.setTaskManagerState(tm.taskManagerId, 'LOST');
    }
    for (const job of store.jobsInStates(['CREATED', 'RUNNING', 'STOPPING', 'FAILING', 'RESTARTING', 'CANCELLING'])) {
      this.#recover(job);
    }
    const tickMs = Math.max(10, Math.min(this.o.settings.schedulePeriodMs, this.o.settings.heartbeatTimeoutMs / 4));
    this.#tick = setInterval(() => this.#guard(() => this.#onTick()), tickMs);
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
    if (issues.length > 0) throw new ValidationError(issues, 'no registered TaskManager offers some operators of this job');
  }

  /** A freshly stored CREATED job: place it if a TaskManager fits. */
  submitted(job: JobRecord): void {
    this.o.bus.publish({ jobId: job.jobId, type: 'status', status: job.status, message: 'submitted' });
    this.#waiting.set(job.jobId, null);
    this.#schedule();
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
        this.#taskManagerGone(dep, `TaskManager ${request.taskManagerId} registered again; its tasks are gone`);
      }
    }
    this.o.logger.info({ taskManagerId: request.taskManagerId, slots: request.slots }, 'TaskManager registered');
    this.#schedule();
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
    this.#applyLogs(tmId, request);
    this.#applyDlq(request);
    return { registered: true, commands: this.queue.drain(tmId) };
  }

  /** Long-poll: answers as soon as a command is queued for the TaskManager. */
  async poll(taskManagerId: string, waitMs: number, signal?: AbortSignal): Promise<HeartbeatResponse> {
    if (!this.registry.get(taskManagerId)) return { registered: false, commands: [] };
    const commands = await this.queue.wait(taskManagerId, waitMs, signal);
    return { registered: this.registry.get(taskManagerId) !== undefined, commands };
  }

  // ---- user actions -----------------------------------------------------

  /** Stop: a savepoint, then FinishCommand; FINISHED once every task finished. */
  stop(jobId: string): JobRecord {
    const job = this.#requireAction(jobId, 'stop');
    const dep = this.#requireDeployment(job);
    this.#requireNoPendingAction(jobId);
    const stopping = this.#transition(jobId, 'STOPPING', 'stop requested: taking a final savepoint', ['RUNNING']);
    this.#pendingAction.set(jobId, 'stop');
    this.checkpoints.stopPeriodic(jobId);
    this.checkpoints.trigger(dep, 'SAVEPOINT', 'stop', (ok, checkpoint) =>
      this.#guard(() => {
        this.#pendingAction.delete(jobId);
        if (this.o.store.getJob(jobId)?.status !== 'STOPPING' || this.#deployments.get(jobId) !== dep) return;
        if (ok) {
          this.#log(jobId, 'INFO', `savepoint ${checkpoint.checkpointId} taken; finishing the tasks`);
          this.#send(dep.taskManagerId, { type: 'finish', jobId, attempt: dep.attempt });
        } else {
          this.#transition(jobId, 'RUNNING', `stop failed: savepoint ${checkpoint.checkpointId} ${checkpoint.failureReason ?? 'failed'}`, ['STOPPING'], 'WARN');
          this.#startPeriodic(this.o.store.getJob(jobId)!);
        }
      }),
    );
    return stopping;
  }

  /** Cancel: CancelCommand, CANCELED when the tasks confirm or after the cancel timeout. */
  cancel(jobId: string): JobRecord {
    const job = this.#requireAction(jobId, 'cancel');
    this.#waiting.delete(jobId);
    this.#clearTimer(jobId);
    this.#pendingAction.delete(jobId);
    const dep = this.#deployments.get(jobId);
    const cancelling = this.#transition(jobId, 'CANCELLING', 'cancel requested', [job.status]);
    this.checkpoints.abortJob(jobId, 'job canceled');
    if (!dep) return this.#finishCancel(jobId, 'no tasks were running');
    this.#send(dep.taskManagerId, { type: 'cancel', jobId, attempt: dep.attempt });
    this.#setTimer(jobId, this.o.settings.cancelTimeoutMs, () => {
      if (this.o.store.getJob(jobId)?.status === 'CANCELLING') {
        this.#finishCancel(jobId, `tasks did not confirm within ${this.o.settings.cancelTimeoutMs} ms`);
      }
    });
    return cancelling;
  }

  /** Restart from the latest or a given COMPLETED checkpoint, with attempt + 1. */
  restart(jobId: string, checkpointId: number | undefined): JobRecord {
    const job = this.#requireAction(jobId, 'restart');
    if (isTerminal(job.status)) {
      throw new IllegalStateError(job.status, `job ${jobId} is ${job.status}; a terminal job never leaves its state (JOB_TRANSITIONS)`);
    }
    if (checkpointId !== undefined) this.#requireRestorable(jobId, checkpointId);
    this.#requireNoPendingAction(jobId);
    const restore: Restore = checkpointId ?? 'latest';
    const restarting = this.#transition(
      jobId,
      'RESTARTING',
      `restart requested from ${checkpointId === undefined ? 'the latest checkpoint' : `checkpoint ${checkpointId}`}`,
      [job.status],
    );
    this.#release(jobId, 'restart requested');
    this.#waiting.set(jobId, restore);
    this.#schedule();
    return this.o.store.getJob(jobId) ?? restarting;
  }

  /** Scale: a savepoint, then a redeploy at the new parallelism restoring it. */
  scale(jobId: string, body: ScaleParametersDto): JobRecord {
    const job = this.#requireAction(jobId, 'scale');
    if (body.operatorName !== undefined && !job.jobGraph.vertices.some((v) => v.id === body.operatorName)) {
      throw new ValidationError([{ path: 'operatorName', message: `no step named "${body.operatorName}"` }]);
    }
    const dep = this.#requireDeployment(job);
    this.#requireNoPendingAction(jobId);
    this.#pendingAction.set(jobId, 'scale');
    const target = body.operatorName === undefined ? 'every step' : `step "${body.operatorName}"`;
    this.#log(jobId, 'INFO', `scale requested: ${target} to parallelism ${body.desiredParallelism}; taking a savepoint`);
    this.checkpoints.trigger(dep, 'SAVEPOINT', 'scale', (ok, checkpoint) =>
      this.#guard(() => {
        this.#pendingAction.delete(jobId);
        const current = this.o.store.getJob(jobId);
        if (current?.status !== 'RUNNING' || this.#deployments.get(jobId) !== dep) return;
        if (!ok) {
          this.#log(jobId, 'WARN', `scale abandoned: savepoint ${checkpoint.checkpointId} ${checkpoint.failureReason ?? 'failed'}`);
          return;
        }
        const overrides = Object.fromEntries(
          current.jobGraph.vertices.map((v) => [
            v.id,
            body.operatorName === undefined || body.operatorName === v.id ? body.desiredParallelism : v.parallelism,
          ]),
        );
        const jobGraph = buildJobGraph(current.definition, overrides);
        this.#transition(jobId, 'RESTARTING', `rescaling ${target} to ${body.desiredParallelism} from savepoint ${checkpoint.checkpointId}`, ['RUNNING'], 'INFO', { jobGraph });
        this.#release(jobId, 'rescale');
        this.#waiting.set(jobId, checkpoint.checkpointId);
        this.#schedule();
      }),
    );
    return job;
  }

  /** Triggers a checkpoint of a RUNNING job now. */
  triggerCheckpoint(jobId: string): CheckpointRecord {
    const job = this.#requireAction(jobId, 'checkpoint');
    return this.checkpoints.trigger(this.#requireDeployment(job), 'CHECKPOINT', 'manual');
  }

  /** Sends PENDING (or the given) DLQ messages back into the running job and marks them RESUBMITTED. */
  resubmitDlq(jobId: string, messageIds: readonly string[] | undefined): string[] {
    const job = this.#requireAction(jobId, 'resubmitDlq');
    const dep = this.#requireDeployment(job);
    const { store } = this.o;
    const messages =
      messageIds === undefined
        ? allPages((cursor) => store.listDlq(jobId, { status: 'PENDING', limit: 1000, cursor }))
        : messageIds.map((id) => {
            const message = store.getDlq(jobId, id);
            if (!message) throw new NotFoundError(`DLQ message ${id} of job ${jobId} not found`);
            return message;
          });
    const sendable = messages.filter((m) => m.status !== 'DISCARDED');
    if (sendable.length === 0) return [];
    this.#send(dep.taskManagerId, {
      type: 'resubmitDlq',
      jobId,
      attempt: dep.attempt,
      records: sendable.map((m) => ({ messageId: m.messageId, stepName: m.stepName, payload: m.newPayload ?? m.payload })),
    });
    const ids = sendable.map((m) => m.messageId);
    store.setDlqStatus(jobId, ids, 'RESUBMITTED');
    this.#log(jobId, 'INFO', `resubmitted ${ids.length} DLQ message(s)`);
    return ids;
  }

  /** The snapshot of a COMPLETED checkpoint (restore and rescale read it). */
  snapshot(jobId: string, checkpointId: number) {
    const checkpoint = this.#requireRestorable(jobId, checkpointId);
    const snapshot = checkpoint.snapshotPath ? readSnapshot(this.o.checkpointsDir, checkpoint.snapshotPath) : undefined;
    if (!snapshot) throw new NotFoundError(`the snapshot of checkpoint ${checkpointId} is gone`);
    return snapshot;
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
    const reason = 'JobManager restarted; redeploying from the latest checkpoint';
    switch (job.status) {
      case 'CREATED':
        this.#waiting.set(job.jobId, null);
        return;
      case 'CANCELLING':
        this.#transition(job.jobId, 'CANCELED', 'JobManager restarted while cancelling');
        return;
      case 'STOPPING':
        this.#transition(job.jobId, 'RUNNING', 'JobManager restarted while stopping; the stop is abandoned', undefined, 'WARN');
        this.#transition(job.jobId, 'RESTARTING', reason);
        break;
      case 'RUNNING':
      case 'FAILING':
        this.#transition(job.jobId, 'RESTARTING', reason);
        break;
      default:
        break;
    }
    this.#waiting.set(job.jobId, 'latest');
  }

  #onTick(): void {
    const now = this.o.now();
    for (const tm of this.registry.expired(now, this.o.settings.heartbeatTimeoutMs)) {
      this.registry.remove(tm.taskManagerId);
      this.queue.clear(tm.taskManagerId);
      this.o.store.setTaskManagerState(tm.taskManagerId, 'LOST');
      this.o.logger.warn({ taskManagerId: tm.taskManagerId }, 'TaskManager lost');
      for (const dep of this.#deploymentsOn(tm.taskManagerId)) {
        this.#taskManagerGone(dep, `TaskManager ${tm.taskManagerId} lost: no heartbeat for ${now - tm.lastHeartbeatMs} ms`);
      }
    }
    if (this.#waiting.size > 0) this.#schedule();
  }

  #taskManagerGone(dep: Deployment, reason: string): void {
    const job = this.o.store.getJob(dep.jobId);
    if (job?.status === 'CANCELLING') this.#finishCancel(dep.jobId, reason);
    else this.#fail(dep.jobId, reason);
  }

  /** Places waiting jobs, oldest first, on TaskManagers that fit. */
  #schedule(): void {
    const jobs = [...this.#waiting.keys()]
      .map((jobId) => this.o.store.getJob(jobId))
      .filter((job): job is JobRecord => job !== undefined)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    for (const job of jobs) {
      if (job.status !== 'CREATED' && job.status !== 'RESTARTING') {
        this.#waiting.delete(job.jobId);
        continue;
      }
      const offers = this.registry.list().map((tm) => ({
        taskManagerId: tm.taskManagerId,
        slotsFree: this.slotsFree(tm.taskManagerId),
        operators: tm.operators,
      }));
      const tmId = pickTaskManager({ slots: slotsNeeded(job.jobGraph), operators: requiredOperators(job.definition) }, offers);
      if (tmId === undefined) continue;
      const restore = this.#waiting.get(job.jobId) ?? null;
      this.#waiting.delete(job.jobId);
      this.#guard(() => this.#deploy(job, tmId, restore));
    }
  }

  #deploy(job: JobRecord, taskManagerId: string, restore: Restore): void {
    const { store } = this.o;
    const attempt = job.attempt + 1;
    const tasks = subtasksOf(job.jobGraph);
    const checkpointId = restore === 'latest' ? (store.latestCompletedCheckpoint(job.jobId)?.checkpointId ?? null) : restore;
    store.putTasks(job.jobId, attempt, tasks.map((t) => ({ ...t, taskManagerId, state: 'DEPLOYING' as const })));
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
    const running = this.#transition(job.jobId, 'RUNNING', `attempt ${attempt} deployed on ${taskManagerId}${from}`, [job.status], 'INFO', { attempt });
    this.#send(taskManagerId, {
      type: 'deploy',
      jobId: job.jobId,
      attempt,
      jobName: job.jobName,
      definition: job.definition,
      jobGraph: job.jobGraph,
      tasks,
      restore: checkpointId === null ? null : { checkpointId },
    });
    this.#startPeriodic(running);
  }

  #startPeriodic(job: JobRecord): void {
    if (job.definition.checkpointIntervalMs !== undefined) {
      this.checkpoints.startPeriodic(job.jobId, job.definition.checkpointIntervalMs);
    }
  }

  #applyTaskReports(tmId: string, reports: NonNullable<HeartbeatRequest['tasks']>): void {
    const updates: TaskUpdate[] = [];
    const touched = new Map<string, string | undefined>();
    for (const report of reports) {
      const dep = this.#current(report.jobId, report.attempt, tmId);
      const key = taskKey(report);
      if (!dep || !dep.states.has(key)) {
        this.staleReports++;
        continue;
      }
      dep.states.set(key, report.state);
      updates.push({ ...report, error: report.error ?? null });
      const failure = report.state === 'FAILED' ? `${key} failed: ${report.error ?? 'no reason given'}` : undefined;
      if (!touched.has(report.jobId) || failure) touched.set(report.jobId, failure ?? touched.get(report.jobId));
    }
    if (updates.length > 0) this.o.store.updateTasks(updates);
    for (const [jobId, failure] of touched) this.#guard(() => this.#evaluate(jobId, failure));
  }

  /** Moves a job along after its tasks reported. */
  #evaluate(jobId: string, failure: string | undefined): void {
    const job = this.o.store.getJob(jobId);
    const dep = this.#deployments.get(jobId);
    if (!job || !dep) return;
    const states = [...dep.states.values()];
    if (job.status === 'CANCELLING') {
      if (states.every((s) => s === 'CANCELED' || s === 'FINISHED' || s === 'FAILED')) this.#finishCancel(jobId, 'tasks confirmed');
      return;
    }
    if (failure) {
      this.#fail(jobId, failure);
      return;
    }
    if ((job.status === 'RUNNING' || job.status === 'STOPPING') && states.every((s) => s === 'FINISHED')) {
      this.#release(jobId, 'finished', false);
      this.#pendingAction.delete(jobId);
      this.#transition(jobId, 'FINISHED', job.status === 'STOPPING' ? 'stopped after the final savepoint' : 'every task finished', [job.status]);
      this.#schedule();
    }
  }

  /** A task failure or a lost TaskManager: FAILING, then a restart under the strategy or FAILED. */
  #fail(jobId: string, reason: string): void {
    const job = this.o.store.getJob(jobId);
    if (!job || !['RUNNING', 'STOPPING'].includes(job.status)) return;
    this.#pendingAction.delete(jobId);
    this.#transition(jobId, 'FAILING', reason, [job.status], 'ERROR');
    this.o.bus.publish({ jobId, type: 'failure', message: reason });
    this.#release(jobId, reason);
    const strategy = job.definition.restartStrategy ?? DEFAULT_RESTART;
    if (job.restartCount >= strategy.attempts) {
      this.#transition(jobId, 'FAILED', `restart strategy exhausted after ${job.restartCount} restart(s); root cause: ${reason}`, ['FAILING'], 'ERROR', {
        errorMessage: reason,
      });
      this.#schedule();
      return;
    }
    const restartCount = job.restartCount + 1;
    this.#transition(
      jobId,
      'RESTARTING',
      `restart ${restartCount} of ${strategy.attempts} in ${strategy.delayMs} ms from the latest checkpoint`,
      ['FAILING'],
      'WARN',
      { restartCount, errorMessage: reason },
    );
    this.#setTimer(jobId, strategy.delayMs, () => {
      if (this.o.store.getJob(jobId)?.status !== 'RESTARTING') return;
      this.#waiting.set(jobId, 'latest');
      this.#schedule();
    });
    this.#schedule();
  }

  #finishCancel(jobId: string, reason: string): JobRecord {
    this.#clearTimer(jobId);
    this.#release(jobId, 'canceled', false);
    const canceled = this.#transition(jobId, 'CANCELED', reason, ['CANCELLING']);
    this.#schedule();
    return canceled;
  }

  /** Frees a job's slots; cancels its tasks on a live TaskManager unless they already ended. */
  #release(jobId: string, reason: string, cancelTasks = true): void {
    const dep = this.#deployments.get(jobId);
    this.checkpoints.abortJob(jobId, `aborted: ${reason}`);
    if (!dep) return;
    this.#deployments.delete(jobId);
    if (cancelTasks && this.registry.get(dep.taskManagerId)) {
      this.#send(dep.taskManagerId, { type: 'cancel', jobId, attempt: dep.attempt });
    }
  }

  #applyLogs(tmId: string, request: HeartbeatRequest): void {
    const logs = (request.logs ?? []).filter((line) => this.o.store.getJob(line.jobId) !== undefined);
    if (logs.length === 0) return;
    this.o.store.appendLogs(
      logs.map((line) => ({ jobId: line.jobId, level: line.level, source: `${tmId}/${line.source}`, message: line.message, timestamp: line.timestamp })),
    );
    for (const line of logs) this.o.bus.publish({ jobId: line.jobId, type: 'log', message: `[${line.level}] ${line.message}` });
  }

  /** DLQ records are kept whatever their attempt: each is a real record that a step rejected. */
  #applyDlq(request: HeartbeatRequest): void {
    const { store } = this.o;
    const fresh = [];
    for (const record of request.dlq ?? []) {
      if (!store.getJob(record.jobId)) continue;
      if (record.messageId !== undefined && store.getDlq(record.jobId, record.messageId)) {
        store.reopenDlq(record.jobId, record.messageId, record.errorMessage);
        continue;
      }
      fresh.push({
        messageId: randomUUID(),
        jobId: record.jobId,
        stepName: record.stepName,
        subtaskIndex: record.subtaskIndex,
        errorMessage: record.errorMessage,
        payload: record.payload,
      });
    }
    if (fresh.length > 0) store.addDlqMessages(fresh);
  }

  #current(jobId: string, attempt: number, tmId: string): Deployment | undefined {
    const dep = this.#deployments.get(jobId);
    return dep && dep.attempt === attempt && dep.taskManagerId === tmId ? dep : undefined;
  }

  #deploymentsOn(taskManagerId: string): Deployment[] {
    return [...this.#deployments.values()].filter((d) => d.taskManagerId === taskManagerId);
  }

  #requireJob(jobId: string): JobRecord {
    const job = this.o.store.getJob(jobId);
    if (!job) throw new NotFoundError(`job ${jobId} not found`);
    return job;
  }

  #requireAction(jobId: string, action: JobAction): JobRecord {
    const job = this.#requireJob(jobId);
    if (!isActionAllowed(action, job.status)) {
      throw new IllegalStateError(job.status, `cannot ${action} job ${jobId}: it is ${job.status}`);
    }
    return job;
  }

  #requireDeployment(job: JobRecord): Deployment {
    const dep = this.#deployments.get(job.jobId);
    if (!dep) throw new IllegalStateError(job.status, `job ${job.jobId} has no running tasks yet`);
    return dep;
  }

  #requireNoPendingAction(jobId: string): void {
    const pending = this.#pendingAction.get(jobId);
    if (pending) throw new ConflictError(`a ${pending} of job ${jobId} is in progress`);
  }

  #requireRestorable(jobId: string, checkpointId: number): CheckpointRecord {
    this.#requireJob(jobId);
    const checkpoint = this.o.store.getCheckpoint(jobId, checkpointId);
    if (!checkpoint) throw new NotFoundError(`checkpoint ${checkpointId} of job ${jobId} not found`);
    if (checkpoint.status !== 'COMPLETED') {
      throw new ConflictError(`checkpoint ${checkpointId} is ${checkpoint.status}, not COMPLETED`, { checkpointStatus: checkpoint.status });
    }
    return checkpoint;
  }

  #transition(
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

  #log(jobId: string, level: LogLevel, message: string): void {
    this.o.store.appendLogs([{ jobId, level, source: 'jobmanager', message }]);
    this.o.bus.publish({ jobId, type: 'log', message });
  }

  #send(taskManagerId: string, command: TaskManagerCommand): void {
    this.queue.push(taskManagerId, command);
  }

  #setTimer(jobId: string, ms: number, run: () => void): void {
    this.#clearTimer(jobId);
    const timer = setTimeout(() => {
      this.#timers.delete(jobId);
      this.#guard(run);
    }, ms);
    timer.unref();
    this.#timers.set(jobId, timer);
  }

  #clearTimer(jobId: string): void {
    clearTimeout(this.#timers.get(jobId));
    this.#timers.delete(jobId);
  }

  /** Timer and callback work must not crash the process; a failure is logged. */
  #guard(run: () => void): void {
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

function allPages<T>(fetch: (cursor: string | undefined) => { items: T[]; nextCursor: string | null }): T[] {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const page = fetch(cursor);
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return all;
}
