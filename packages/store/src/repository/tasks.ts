/**
 * @module
 * Task rows: one per (job, attempt, vertex, subtask), with placement, state,
 * counters and the rates derived from consecutive reports.
 */
import type { TaskState } from '@flinknet/contracts';
import { and, asc, eq, sql } from 'drizzle-orm';
import { InvalidInputError } from '../errors';
import { type RepoContext, writeTx } from '../internals/db';
import { tasks } from '../schema';
import type { TaskRecord, TaskUpdate } from '../types';
import type { JobsRepository } from './jobs';

type TaskRow = typeof tasks.$inferSelect;
type NewTask = Pick<TaskRecord, 'vertexId' | 'subtaskIndex' | 'taskManagerId' | 'state'>;

const ENDED: readonly TaskState[] = ['FINISHED', 'CANCELED', 'FAILED'];

function toTaskRecord(row: TaskRow): TaskRecord {
  const { position: _position, metricsAt: _metricsAt, ...record } = row;
  return record;
}

/**
 * Records per second between two counter readings. A counter that went
 * backwards (a subtask restarted inside the attempt) counts from zero.
 */
export function ratePerSecond(previous: number, current: number, elapsedMs: number): number {
  if (elapsedMs <= 0) return 0;
  const delta = current >= previous ? current - previous : current;
  return (delta * 1000) / elapsedMs;
}

// drizzle accepts a placeholder in SET only wrapped in sql``.
const param = (name: string) => sql`${sql.placeholder(name)}`;

/** Task placement, state and metrics. */
export class TasksRepository {
  private readonly byKey;
  private readonly applyReport;

  constructor(
    private readonly ctx: RepoContext,
    private readonly jobs: JobsRepository,
  ) {
    const { db } = ctx;
    const key = and(
      eq(tasks.jobId, sql.placeholder('jobId')),
      eq(tasks.attempt, sql.placeholder('attempt')),
      eq(tasks.vertexId, sql.placeholder('vertexId')),
      eq(tasks.subtaskIndex, sql.placeholder('subtaskIndex')),
    );
    // Heartbeats apply reports many times a second: both statements are prepared once.
    this.byKey = db.select().from(tasks).where(key).prepare();
    this.applyReport = db
      .update(tasks)
      .set({
        state: param('state'),
        error: param('error'),
        recordsIn: param('recordsIn'),
        recordsOut: param('recordsOut'),
        recordsInPerSecond: param('recordsInPerSecond'),
        recordsOutPerSecond: param('recordsOutPerSecond'),
        backpressureRatio: param('backpressureRatio'),
        stateSizeBytes: param('stateSizeBytes'),
        dlqRecords: param('dlqRecords'),
        metricsAt: param('metricsAt'),
        updatedAt: param('updatedAt'),
      })
      .where(key)
      .prepare();
  }

  put(jobId: string, attempt: number, list: readonly NewTask[]): void {
    if (!Number.isInteger(attempt) || attempt < 0)
      throw new InvalidInputError(`attempt must be a non-negative integer, got ${attempt}`);
    const now = this.ctx.now();
    const at = now.toISOString();
    writeTx(this.ctx, (tx) => {
      this.jobs.requireRow(jobId);
      tx.delete(tasks)
        .where(and(eq(tasks.jobId, jobId), eq(tasks.attempt, attempt)))
        .run();
      if (list.length === 0) return;
      tx.insert(tasks)
        .values(
          list.map((t, position) => ({
            jobId,
            attempt,
            vertexId: t.vertexId,
            subtaskIndex: t.subtaskIndex,
            position,
            taskManagerId: t.taskManagerId,
            state: t.state,
            metricsAt: now.getTime(),
            updatedAt: at,
          })),
        )
        .run();
    });
  }

  update(updates: readonly TaskUpdate[]): void {
    if (updates.length === 0) return;
    const now = this.ctx.now();
    const nowMs = now.getTime();
    const at = now.toISOString();
    writeTx(this.ctx, () => {
      for (const u of updates) {
        const key = {
          jobId: u.jobId,
          attempt: u.attempt,
          vertexId: u.vertexId,
          subtaskIndex: u.subtaskIndex,
        };
        const row = this.byKey.get(key);
        if (!row) continue;
        const state = u.state ?? row.state;
        const next = {
          ...key,
          state,
          error: u.error === undefined ? row.error : u.error,
          recordsIn: row.recordsIn,
          recordsOut: row.recordsOut,
          recordsInPerSecond: row.recordsInPerSecond,
          recordsOutPerSecond: row.recordsOutPerSecond,
          backpressureRatio: row.backpressureRatio,
          stateSizeBytes: row.stateSizeBytes,
          dlqRecords: row.dlqRecords,
          metricsAt: row.metricsAt,
          updatedAt: at,
        };
        const m = u.metrics;
        // Two reports in the same millisecond give no interval: keep the last rate rather than divide by zero.
        if (m && nowMs > row.metricsAt) {
          const elapsed = nowMs - row.metricsAt;
          Object.assign(next, {
            recordsIn: m.recordsIn,
            recordsOut: m.recordsOut,
            recordsInPerSecond: ratePerSecond(row.recordsIn, m.recordsIn, elapsed),
            recordsOutPerSecond: ratePerSecond(row.recordsOut, m.recordsOut, elapsed),
            backpressureRatio: m.backpressureRatio,
            stateSizeBytes: m.stateSizeBytes,
            dlqRecords: m.dlqRecords,
            metricsAt: nowMs,
          });
        } else if (m) {
          Object.assign(next, {
            recordsIn: m.recordsIn,
            recordsOut: m.recordsOut,
            backpressureRatio: m.backpressureRatio,
            stateSizeBytes: m.stateSizeBytes,
            dlqRecords: m.dlqRecords,
          });
        }
        // A task that ended processes nothing more; a stale rate would show a stopped job as busy.
        if (ENDED.includes(state))
          Object.assign(next, { recordsInPerSecond: 0, recordsOutPerSecond: 0 });
        this.applyReport.run(next);
      }
    });
  }

  list(jobId: string, attempt?: number): TaskRecord[] {
    const where =
      attempt === undefined
        ? eq(tasks.jobId, jobId)
        : and(eq(tasks.jobId, jobId), eq(tasks.attempt, attempt));
    return this.ctx.db
      .select()
      .from(tasks)
      .where(where)
      .orderBy(asc(tasks.attempt), asc(tasks.position))
      .all()
      .map(toTaskRecord);
  }
}
