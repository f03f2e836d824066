/**
 * @module
 * The dead-letter queue: records a step rejected, their repairs and
 * resubmissions. Served oldest first in arrival order.
 */
import { DlqMessageStatus } from '@flinknet/contracts';
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { InvalidInputError, NotFoundError } from '../errors';
import { decodeCursor } from '../internals/cursor';
import { type RepoContext, writeTx } from '../internals/db';
import { checkLimit, toPage } from '../internals/paging';
import { dlqMessages } from '../schema';
import type { DlqRecord, NewDlqMessage, Page, PageOptions } from '../types';
import type { JobsRepository } from './jobs';

type DlqRow = typeof dlqMessages.$inferSelect;

const LIST = 'dlq';

function toDlqRecord(row: DlqRow): DlqRecord {
  const { id: _id, ...record } = row;
  return record;
}

function checkStatus(status: DlqMessageStatus): DlqMessageStatus {
  if (!DlqMessageStatus.options.includes(status))
    throw new InvalidInputError(`unknown DLQ status ${JSON.stringify(status)}`);
  return status;
}

/** DLQ messages of every job. */
export class DlqRepository {
  constructor(
    private readonly ctx: RepoContext,
    private readonly jobs: JobsRepository,
  ) {}

  /** Messages whose id is already stored are skipped: a TaskManager may resend a heartbeat. */
  add(messages: readonly NewDlqMessage[]): void {
    if (messages.length === 0) return;
    const at = this.ctx.now().toISOString();
    writeTx(this.ctx, (tx) => {
      for (const jobId of new Set(messages.map((m) => m.jobId))) this.jobs.requireRow(jobId);
      const rows = messages.map((m) => ({
        ...m,
        status: 'PENDING' as const,
        createdAt: at,
        updatedAt: at,
      }));
      for (let i = 0; i < rows.length; i += 200) {
        tx.insert(dlqMessages)
          .values(rows.slice(i, i + 200))
          .onConflictDoNothing({ target: dlqMessages.messageId })
          .run();
      }
    });
  }

  list(jobId: string, filter: { status?: DlqMessageStatus } & PageOptions): Page<DlqRecord> {
    const limit = checkLimit(filter.limit);
    const after =
      filter.cursor === undefined ? undefined : decodeCursor(LIST, filter.cursor, ['n'] as const);
    const rows = this.ctx.db
      .select()
      .from(dlqMessages)
      .where(
        and(
          eq(dlqMessages.jobId, jobId),
          filter.status === undefined
            ? undefined
            : eq(dlqMessages.status, checkStatus(filter.status)),
          after === undefined ? undefined : gt(dlqMessages.id, after[0]),
        ),
      )
      .orderBy(asc(dlqMessages.id))
      .limit(limit + 1)
      .all();
    return toPage(rows, limit, LIST, (r) => [r.id], toDlqRecord);
  }

  get(jobId: string, messageId: string): DlqRecord | undefined {
    const row = this.ctx.db
      .select()
      .from(dlqMessages)
      .where(and(eq(dlqMessages.jobId, jobId), eq(dlqMessages.messageId, messageId)))
      .get();
    return row ? toDlqRecord(row) : undefined;
  }

  updatePayload(jobId: string, messageId: string, newPayload: string): DlqRecord | undefined {
    const row = this.ctx.db
      .update(dlqMessages)
      .set({ newPayload, updatedAt: this.ctx.now().toISOString() })
      .where(and(eq(dlqMessages.jobId, jobId), eq(dlqMessages.messageId, messageId)))
      .returning()
      .get();
    return row ? toDlqRecord(row) : undefined;
  }

  setStatus(jobId: string, messageIds: readonly string[], status: DlqMessageStatus): DlqRecord[] {
    checkStatus(status);
    if (messageIds.length === 0) return [];
    const at = this.ctx.now().toISOString();
    return writeTx(this.ctx, (tx) => {
      const updated: DlqRow[] = [];
      for (let i = 0; i < messageIds.length; i += 500) {
        const rows = tx
          .update(dlqMessages)
          .set({
            status,
            updatedAt: at,
            ...(status === 'RESUBMITTED' ? { attempts: sql`${dlqMessages.attempts} + 1` } : {}),
          })
          .where(
            and(
              eq(dlqMessages.jobId, jobId),
              inArray(dlqMessages.messageId, messageIds.slice(i, i + 500)),
            ),
          )
          .returning()
          .all();
        updated.push(...rows);
      }
      return updated.sort((a, b) => a.id - b.id).map(toDlqRecord);
    });
  }

  reopen(jobId: string, messageId: string, errorMessage: string): void {
    const result = this.ctx.db
      .update(dlqMessages)
      .set({ status: 'PENDING', errorMessage, updatedAt: this.ctx.now().toISOString() })
      .where(and(eq(dlqMessages.jobId, jobId), eq(dlqMessages.messageId, messageId)))
      .run();
    if (result.changes === 0) throw new NotFoundError(`DLQ message of job ${jobId}`, messageId);
  }

  delete(jobId: string, messageId: string): boolean {
    const result = this.ctx.db
      .delete(dlqMessages)
      .where(and(eq(dlqMessages.jobId, jobId), eq(dlqMessages.messageId, messageId)))
      .run();
    return result.changes > 0;
  }
}
