/**
 * @module
 * What a user can do to a job: stop, cancel, restart, scale, trigger a
 * checkpoint, resubmit dead letters, and read a stored snapshot. Each action
 * checks the job state against the contracts' ACTION_STATES first (409 with
 * the state otherwise), then drives the JobController.
 */
import {
  buildJobGraph,
  isActionAllowed,
  type JobAction,
  type ScaleParametersDto,
} from '@flinknet/contracts';
import type { CheckpointRecord, JobRecord } from '@flinknet/store';
import { ConflictError, IllegalStateError, NotFoundError, ValidationError } from '../http/errors';
import { requireJob } from '../http/requireJob';
import type { Deployment, JobController, Restore } from './jobController';
import { readSnapshot } from './snapshotFiles';

/** The user actions on jobs. */
export class JobActions {
  constructor(private readonly core: JobController) {}

  /** Stop: a savepoint, then FinishCommand; FINISHED once every task finished. */
  stop(jobId: string): JobRecord {
    const job = this.#requireAction(jobId, 'stop');
    const dep = this.#requireDeployment(job);
    this.#requireNoPendingAction(jobId);
    const stopping = this.core.transition(
      jobId,
      'STOPPING',
      'stop requested: taking a final savepoint',
      ['RUNNING'],
    );
    this.core.pendingActions.set(jobId, 'stop');
    this.core.checkpoints.stopPeriodic(jobId);
    this.core.checkpoints.trigger(dep, 'SAVEPOINT', 'stop', (ok, checkpoint) =>
      this.core.guard(() => {
        this.core.pendingActions.delete(jobId);
        if (
          this.core.store.getJob(jobId)?.status !== 'STOPPING' ||
          this.core.deployment(jobId) !== dep
        )
          return;
        if (ok) {
          this.core.log(
            jobId,
            'INFO',
            `savepoint ${checkpoint.checkpointId} taken; finishing the tasks`,
          );
          this.core.send(dep.taskManagerId, { type: 'finish', jobId, attempt: dep.attempt });
        } else {
          this.core.transition(
            jobId,
            'RUNNING',
            `stop failed: savepoint ${checkpoint.checkpointId} ${checkpoint.failureReason ?? 'failed'}`,
            ['STOPPING'],
            'WARN',
          );
          this.core.startPeriodic(this.core.store.getJob(jobId)!);
        }
      }),
    );
    return stopping;
  }

  /** Cancel: CancelCommand, CANCELED when the tasks confirm or after the cancel timeout. */
  cancel(jobId: string): JobRecord {
    const job = this.#requireAction(jobId, 'cancel');
    this.core.waiting.delete(jobId);
    this.core.clearTimer(jobId);
    this.core.pendingActions.delete(jobId);
    const dep = this.core.deployment(jobId);
    const cancelling = this.core.transition(jobId, 'CANCELLING', 'cancel requested', [job.status]);
    this.core.checkpoints.abortJob(jobId, 'job canceled');
    if (!dep) return this.core.finishCancel(jobId, 'no tasks were running');
    this.core.send(dep.taskManagerId, { type: 'cancel', jobId, attempt: dep.attempt });
    this.core.setTimer(jobId, this.core.settings.cancelTimeoutMs, () => {
      if (this.core.store.getJob(jobId)?.status === 'CANCELLING') {
        this.core.finishCancel(
          jobId,
          `tasks did not confirm within ${this.core.settings.cancelTimeoutMs} ms`,
        );
      }
    });
    return cancelling;
  }

  /** Restart from the latest or a given COMPLETED checkpoint, with attempt + 1. */
  restart(jobId: string, checkpointId: number | undefined): JobRecord {
    const job = this.#requireAction(jobId, 'restart');
    if (checkpointId !== undefined) this.#requireRestorable(jobId, checkpointId);
    this.#requireNoPendingAction(jobId);
    const restore: Restore = checkpointId ?? 'latest';
    const restarting = this.core.transition(
      jobId,
      'RESTARTING',
      `restart requested from ${checkpointId === undefined ? 'the latest checkpoint' : `checkpoint ${checkpointId}`}`,
      [job.status],
    );
    this.core.release(jobId, 'restart requested');
    this.core.waiting.set(jobId, restore);
    this.core.schedule();
    return this.core.store.getJob(jobId) ?? restarting;
  }

  /** Scale: a savepoint, then a redeploy at the new parallelism restoring it. */
  scale(jobId: string, body: ScaleParametersDto): JobRecord {
    const job = this.#requireAction(jobId, 'scale');
    if (
      body.operatorName !== undefined &&
      !job.jobGraph.vertices.some((v) => v.id === body.operatorName)
    ) {
      throw new ValidationError([
        { path: 'operatorName', message: `no step named "${body.operatorName}"` },
      ]);
    }
    const dep = this.#requireDeployment(job);
    this.#requireNoPendingAction(jobId);
    this.core.pendingActions.set(jobId, 'scale');
    const target = body.operatorName === undefined ? 'every step' : `step "${body.operatorName}"`;
    this.core.log(
      jobId,
      'INFO',
      `scale requested: ${target} to parallelism ${body.desiredParallelism}; taking a savepoint`,
    );
    this.core.checkpoints.trigger(dep, 'SAVEPOINT', 'scale', (ok, checkpoint) =>
      this.core.guard(() => {
        this.core.pendingActions.delete(jobId);
        const current = this.core.store.getJob(jobId);
        if (current?.status !== 'RUNNING' || this.core.deployment(jobId) !== dep) return;
        if (!ok) {
          this.core.log(
            jobId,
            'WARN',
            `scale abandoned: savepoint ${checkpoint.checkpointId} ${checkpoint.failureReason ?? 'failed'}`,
          );
          return;
        }
        const overrides = Object.fromEntries(
          current.jobGraph.vertices.map((v) => [
            v.id,
            body.operatorName === undefined || body.operatorName === v.id
              ? body.desiredParallelism
              : v.parallelism,
          ]),
        );
        const jobGraph = buildJobGraph(current.definition, overrides);
        this.core.transition(
          jobId,
          'RESTARTING',
          `rescaling ${target} to ${body.desiredParallelism} from savepoint ${checkpoint.checkpointId}`,
          ['RUNNING'],
          'INFO',
          { jobGraph },
        );
        this.core.release(jobId, 'rescale');
        this.core.waiting.set(jobId, checkpoint.checkpointId);
        this.core.schedule();
      }),
    );
    return job;
  }

  /** Triggers a checkpoint of a RUNNING job now. */
  triggerCheckpoint(jobId: string): CheckpointRecord {
    const job = this.#requireAction(jobId, 'checkpoint');
    return this.core.checkpoints.trigger(this.#requireDeployment(job), 'CHECKPOINT', 'manual');
  }

  /** Sends PENDING (or the given) DLQ messages back into the running job and marks them RESUBMITTED. */
  resubmitDlq(jobId: string, messageIds: readonly string[] | undefined): string[] {
    const job = this.#requireAction(jobId, 'resubmitDlq');
    const dep = this.#requireDeployment(job);
    const { store } = this.core;
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
    this.core.send(dep.taskManagerId, {
      type: 'resubmitDlq',
      jobId,
      attempt: dep.attempt,
      records: sendable.map((m) => ({
        messageId: m.messageId,
        stepName: m.stepName,
        payload: m.newPayload ?? m.payload,
      })),
    });
    const ids = sendable.map((m) => m.messageId);
    store.setDlqStatus(jobId, ids, 'RESUBMITTED');
    this.core.log(jobId, 'INFO', `resubmitted ${ids.length} DLQ message(s)`);
    return ids;
  }

  /** The snapshot of a COMPLETED checkpoint (restore and rescale read it). */
  snapshot(jobId: string, checkpointId: number) {
    const checkpoint = this.#requireRestorable(jobId, checkpointId);
    const snapshot = checkpoint.snapshotPath
      ? readSnapshot(this.core.checkpointsDir, checkpoint.snapshotPath)
      : undefined;
    if (!snapshot) throw new NotFoundError(`the snapshot of checkpoint ${checkpointId} is gone`);
    return snapshot;
  }

  #requireAction(jobId: string, action: JobAction): JobRecord {
    const job = requireJob(this.core.store, jobId);
    if (!isActionAllowed(action, job.status)) {
      throw new IllegalStateError(job.status, `cannot ${action} job ${jobId}: it is ${job.status}`);
    }
    return job;
  }

  #requireDeployment(job: JobRecord): Deployment {
    const dep = this.core.deployment(job.jobId);
    if (!dep) throw new IllegalStateError(job.status, `job ${job.jobId} has no running tasks yet`);
    return dep;
  }

  #requireNoPendingAction(jobId: string): void {
    const pending = this.core.pendingActions.get(jobId);
    if (pending) throw new ConflictError(`a ${pending} of job ${jobId} is in progress`);
  }

  #requireRestorable(jobId: string, checkpointId: number): CheckpointRecord {
    requireJob(this.core.store, jobId);
    const checkpoint = this.core.store.getCheckpoint(jobId, checkpointId);
    if (!checkpoint)
      throw new NotFoundError(`checkpoint ${checkpointId} of job ${jobId} not found`);
    if (checkpoint.status !== 'COMPLETED') {
      throw new ConflictError(`checkpoint ${checkpointId} is ${checkpoint.status}, not COMPLETED`, {
        checkpointStatus: checkpoint.status,
      });
    }
    return checkpoint;
  }
}

function allPages<T>(
  fetch: (cursor: string | undefined) => { items: T[]; nextCursor: string | null },
): T[] {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const page = fetch(cursor);
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return all;
}
