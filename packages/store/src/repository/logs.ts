/**
 * @module
 * Job logs: transitions written by the JobManager and lines reported by
 * TaskManagers, served oldest first in the order they were stored.
 */
import { LogLevel } from '@flinknet/contracts';
import { and, asc, eq, gt, gte, inArray } from 'drizzle-orm';
import { InvalidInputError } from '../errors';
import { decodeCursor } from '../internals/cursor';
import { type RepoContext, writeTx } from '../internals/db';
import { checkLimit, toPage } from '../internals/paging';
import { toStoredTime } from '../internals/time';
import { jobLogs } from '../schema';
import type { LogRecord, NewLog, Page, PageOptions } from '../types';
import type { JobsRepository } from './jobs';

const LIST = 'logs';
const LEVELS = LogLevel.options;

/** The levels at or above `level`, in severity order. */
export function levelsFrom(level: LogLevel): LogLevel[] {
  const i = LEVELS.indexOf(level);
  if (i < 0) throw new InvalidInputError(`unknown log level ${JSON.stringify(level)}`);
  return LEVELS.slice(i);
}

/** Appending and reading job logs. */
export class LogsRepository {
  constructor(
    private readonly ctx: RepoContext,
    private readonly jobs: JobsRepository,
  ) {}

  append(entries: readonly NewLog[]): void {
    if (entries.length === 0) return;
    const at = this.ctx.now().toISOString();
    const rows = entries.map((e, i) => {
      if (!LEVELS.includes(e.level))
        throw new InvalidInputError(
          `entries[${i}].level is not a log level: ${JSON.stringify(e.level)}`,
        );
      return {
        jobId: e.jobId,
        level: e.level,
        source: e.source,
        message: e.message,
        timestamp:
          e.timestamp === undefined ? at : toStoredTime(e.timestamp, `entries[${i}].timestamp`),
      };
    });
    writeTx(this.ctx, (tx) => {
      // A clear NotFoundError instead of a foreign key failure; the whole batch is refused.
      for (const jobId of new Set(rows.map((r) => r.jobId))) this.jobs.requireRow(jobId);
      // Stay well under SQLite's bound-parameter limit on large heartbeats.
      for (let i = 0; i < rows.length; i += 500)
        tx.insert(jobLogs)
          .values(rows.slice(i, i + 500))
          .run();
    });
  }

  list(jobId: string, filter: { level?: LogLevel; since?: string } & PageOptions): Page<LogRecord> {
    const limit = checkLimit(filter.limit);
    const after =
      filter.cursor === undefined ? undefined : decodeCursor(LIST, filter.cursor, ['n'] as const);
    const rows = this.ctx.db
      .select()
      .from(jobLogs)
      .where(
        and(
          eq(jobLogs.jobId, jobId),
          filter.level === undefined || filter.level === 'DEBUG'
            ? undefined
            : inArray(jobLogs.level, levelsFrom(filter.level)),
          filter.since === undefined
            ? undefined
            : gte(jobLogs.timestamp, toStoredTime(filter.since, 'since')),
          after === undefined ? undefined : gt(jobLogs.id, after[0]),
        ),
      )
      .orderBy(asc(jobLogs.id))
      .limit(limit + 1)
      .all();
    return toPage(
      rows,
      limit,
      LIST,
      (r) => [r.id],
      (r) => r,
    );
  }
}
