/**
 * @module
 * Checkpoint metadata: ids counting up from 1 per job, per-task
 * acknowledgements, completion, failure and retention. Snapshot bytes live
 * outside the database; `snapshotPath` says where.
 */
import type { CheckpointKind, CheckpointStatus } from '@flinknet/contracts';
import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core';
import { CheckpointStateError, InvalidInputError, NotFoundError } from '../errors';
import { decodeCursor } from '../internals/cursor';
import { type Conn, type RepoContext, writeTx } from '../internals/db';
import { checkLimit, toPage } from '../internals/paging';
import { checkpoints, checkpointTasks, jobs } from '../schema';
import type { CheckpointRecord, CheckpointTaskRecord, Page, PageOptions } from '../types';
import type { JobsRepository } from './jobs';

type CheckpointRow = typeof checkpoints.$inferSelect;

const LIST = 'checkpoints';

export interface NewCheckpoint {
  jobId: string;
  attempt: number;
  kind: CheckpointKind;
  reason: string;
  tasks: ReadonlyArray<{ vertexId: string; subtaskIndex: number }>;
}

/** Checkpoints and their task acknowledgements. */
export class CheckpointsRepository {
  private readonly byId;

  constructor(
    private readonly ctx: RepoContext,
    private readonly jobs: JobsRepository,
  ) {
    this.byId = ctx.db
      .select()
      .from(checkpoints)
      .where(
        and(
          eq(checkpoints.jobId, sql.placeholder('jobId')),
          eq(checkpoints.checkpointId, sql.placeholder('checkpointId')),
        ),
      )
      .prepare();
  }

  create(input: NewCheckpoint): CheckpointRecord {
    const at = this.ctx.now().toISOString();
    return writeTx(this.ctx, (tx) => {
      this.jobs.requireRow(input.jobId);
      const checkpointId = this.jobs.nextCheckpointId(tx, input.jobId);
      const row = tx
        .insert(checkpoints)
        .values({
          jobId: input.jobId,
          checkpointId,
          attempt: input.attempt,
          kind: input.kind,
          status: 'IN_PROGRESS',
          reason: input.reason,
          triggerTime: at,
          total: input.tasks.length,
        })
        .returning()
        .get();
      if (input.tasks.length > 0) {
        tx.insert(checkpointTasks)
          .values(
            input.tasks.map((t, position) => ({
              jobId: input.jobId,
              checkpointId,
              vertexId: t.vertexId,
              subtaskIndex: t.subtaskIndex,
              position,
            })),
          )
          .run();
      }
      return row;
    });
  }

  ack(
    jobId: string,
    checkpointId: number,
    task: { vertexId: string; subtaskIndex: number; stateSizeBytes: number },
  ): CheckpointRecord {
    return writeTx(this.ctx, (tx) => {
      const checkpoint = this.require(jobId, checkpointId);
      const taskKey = and(
        eq(checkpointTasks.jobId, jobId),
        eq(checkpointTasks.checkpointId, checkpointId),
        eq(checkpointTasks.vertexId, task.vertexId),
        eq(checkpointTasks.subtaskIndex, task.subtaskIndex),
      );
      const row = tx.select().from(checkpointTasks).where(taskKey).get();
      if (!row)
        throw new NotFoundError(
          `task of checkpoint ${checkpointId}`,
          `${task.vertexId}#${task.subtaskIndex}`,
        );
      // A late or repeated ack changes nothing: the count must equal the distinct tasks that acknowledged.
      if (checkpoint.status !== 'IN_PROGRESS' || row.acknowledged) return checkpoint;
      tx.update(checkpointTasks)
        .set({
          acknowledged: true,
          ackTime: this.ctx.now().toISOString(),
          stateSizeBytes: task.stateSizeBytes,
        })
        .where(taskKey)
        .run();
      return this.updateRow(tx, jobId, checkpointId, {
        acknowledged: sql`${checkpoints.acknowledged} + 1`,
      });
    });
  }

  complete(
    jobId: string,
    checkpointId: number,
    input: { snapshotPath: string; sizeBytes: number },
  ): CheckpointRecord {
    return writeTx(this.ctx, (tx) => {
      const checkpoint = this.require(jobId, checkpointId);
      if (checkpoint.status !== 'IN_PROGRESS') {
        throw new CheckpointStateError(
          jobId,
          checkpointId,
          `is ${checkpoint.status} and cannot complete`,
        );
      }
      if (checkpoint.acknowledged < checkpoint.total) {
        throw new CheckpointStateError(
          jobId,
          checkpointId,
          `has ${checkpoint.acknowledged} of ${checkpoint.total} acknowledgements and cannot complete`,
        );
      }
      const row = this.updateRow(tx, jobId, checkpointId, {
        status: 'COMPLETED',
        completionTime: this.ctx.now().toISOString(),
        snapshotPath: input.snapshotPath,
        sizeBytes: input.sizeBytes,
      });
      // The job's latest checkpoint moves with the completion, in the same transaction, so a restart never misses it.
      tx.update(jobs)
        .set({ lastCheckpointId: sql`max(coalesce(${jobs.lastCheckpointId}, 0), ${checkpointId})` })
        .where(eq(jobs.jobId, jobId))
        .run();
      return row;
    });
  }

  fail(jobId: string, checkpointId: number, reason: string): CheckpointRecord {
    return writeTx(this.ctx, (tx) => {
      const checkpoint = this.require(jobId, checkpointId);
      if (checkpoint.status === 'FAILED') return checkpoint;
      if (checkpoint.status === 'COMPLETED')
        throw new CheckpointStateError(jobId, checkpointId, 'is COMPLETED and cannot fail');
      return this.updateRow(tx, jobId, checkpointId, { status: 'FAILED', failureReason: reason });
    });
  }

  get(
    jobId: string,
    checkpointId: number,
  ): (CheckpointRecord & { tasks: CheckpointTaskRecord[] }) | undefined {
    const checkpoint = this.byId.get({ jobId, checkpointId });
    if (!checkpoint) return undefined;
    const taskRows = this.ctx.db
      .select({
        vertexId: checkpointTasks.vertexId,
        subtaskIndex: checkpointTasks.subtaskIndex,
        acknowledged: checkpointTasks.acknowledged,
        ackTime: checkpointTasks.ackTime,
        stateSizeBytes: checkpointTasks.stateSizeBytes,
      })
      .from(checkpointTasks)
      .where(and(eq(checkpointTasks.jobId, jobId), eq(checkpointTasks.checkpointId, checkpointId)))
      .orderBy(asc(checkpointTasks.position))
      .all();
    return { ...checkpoint, tasks: taskRows };
  }

  list(jobId: string, filter: { status?: CheckpointStatus } & PageOptions): Page<CheckpointRecord> {
    const limit = checkLimit(filter.limit);
    const after =
      filter.cursor === undefined ? undefined : decodeCursor(LIST, filter.cursor, ['n'] as const);
    const rows = this.ctx.db
      .select()
      .from(checkpoints)
      .where(
        and(
          eq(checkpoints.jobId, jobId),
          filter.status === undefined ? undefined : eq(checkpoints.status, filter.status),
          after === undefined ? undefined : lt(checkpoints.checkpointId, after[0]),
        ),
      )
      .orderBy(desc(checkpoints.checkpointId))
      .limit(limit + 1)
      .all();
    return toPage(
      rows,
      limit,
      LIST,
      (r) => [r.checkpointId],
      (r) => r,
    );
  }

  latestCompleted(jobId: string): CheckpointRecord | undefined {
    return this.ctx.db
      .select()
      .from(checkpoints)
      .where(and(eq(checkpoints.jobId, jobId), eq(checkpoints.status, 'COMPLETED')))
      .orderBy(desc(checkpoints.checkpointId))
      .limit(1)
      .get();
  }

  prune(jobId: string, keep: number): CheckpointRecord[] {
    if (!Number.isInteger(keep) || keep < 0)
      throw new InvalidInputError(`keep must be a non-negative integer, got ${keep}`);
    return writeTx(this.ctx, (tx) => {
      const completed = tx
        .select()
        .from(checkpoints)
        .where(and(eq(checkpoints.jobId, jobId), eq(checkpoints.status, 'COMPLETED')))
        .orderBy(desc(checkpoints.checkpointId))
        .all();
      const removed = completed.slice(keep);
      if (removed.length === 0) return [];
      // checkpoint_tasks go with them (ON DELETE CASCADE).
      tx.delete(checkpoints)
        .where(
          and(
            eq(checkpoints.jobId, jobId),
            inArray(
              checkpoints.checkpointId,
              removed.map((c) => c.checkpointId),
            ),
          ),
        )
        .run();
      return removed;
    });
  }

  private require(jobId: string, checkpointId: number): CheckpointRow {
    const row = this.byId.get({ jobId, checkpointId });
    if (!row) throw new NotFoundError(`checkpoint of job ${jobId}`, checkpointId);
    return row;
  }

  private updateRow(
    tx: Conn,
    jobId: string,
    checkpointId: number,
    set: SQLiteUpdateSetSource<typeof checkpoints>,
  ): CheckpointRow {
    const row = tx
      .update(checkpoints)
      .set(set)
      .where(and(eq(checkpoints.jobId, jobId), eq(checkpoints.checkpointId, checkpointId)))
      .returning()
      .get();
    if (!row) throw new NotFoundError(`checkpoint of job ${jobId}`, checkpointId);
    return row;
  }
}
