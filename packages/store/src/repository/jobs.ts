/**
 * @module
 * Jobs, their transitions and idempotency keys.
 */
import { canTransition, isTerminal, JOB_STATES, type JobState } from '@flinknet/contracts';
import { and, asc, count, desc, eq, inArray, like, type SQL, sql } from 'drizzle-orm';
import {
  AlreadyExistsError,
  IllegalTransitionError,
  InvalidInputError,
  NotFoundError,
} from '../errors';
import { decodeCursor } from '../internals/cursor';
import { type Conn, type RepoContext, writeTx } from '../internals/db';
import { checkLimit, toPage } from '../internals/paging';
import { idempotencyKeys, jobLogs, jobs, jobTransitions } from '../schema';
import type {
  CreateJobInput,
  JobRecord,
  Page,
  PageOptions,
  TransitionInput,
  TransitionRecord,
} from '../types';

type JobRow = typeof jobs.$inferSelect;
type JobPatch = NonNullable<TransitionInput['patch']>;

const LIST = 'jobs';

function toJobRecord(row: JobRow): JobRecord {
  const { checkpointCounter: _internal, ...record } = row;
  return record;
}

/** Escapes LIKE wildcards so a name filter matches the text literally. */
function likeSubstring(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Jobs, transitions and idempotency keys over one connection. */
export class JobsRepository {
  private readonly byId;
  private readonly firstPage;
  private readonly nextPage;
  private readonly countByState;

  constructor(private readonly ctx: RepoContext) {
    const { db } = ctx;
    const newestFirst = [desc(jobs.createdAt), desc(jobs.jobId)];
    // The hot reads (status polls, the unfiltered list, the overview) are prepared once.
    this.byId = db
      .select()
      .from(jobs)
      .where(eq(jobs.jobId, sql.placeholder('jobId')))
      .prepare();
    this.firstPage = db
      .select()
      .from(jobs)
      .orderBy(...newestFirst)
      .limit(sql.placeholder('limit'))
      .prepare();
    this.nextPage = db
      .select()
      .from(jobs)
      .where(
        sql`(${jobs.createdAt}, ${jobs.jobId}) < (${sql.placeholder('createdAt')}, ${sql.placeholder('jobId')})`,
      )
      .orderBy(...newestFirst)
      .limit(sql.placeholder('limit'))
      .prepare();
    this.countByState = db
      .select({ status: jobs.status, n: count() })
      .from(jobs)
      .groupBy(jobs.status)
      .prepare();
  }

  create(input: CreateJobInput): JobRecord {
    const at = this.ctx.now().toISOString();
    return writeTx(this.ctx, (tx) => {
      if (this.byId.get({ jobId: input.jobId })) throw new AlreadyExistsError('job', input.jobId);
      const key = input.idempotency?.key;
      if (
        key !== undefined &&
        tx.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key)).get()
      ) {
        throw new AlreadyExistsError('idempotency key', key);
      }
      const row = tx
        .insert(jobs)
        .values({
          jobId: input.jobId,
          jobName: input.definition.jobName,
          status: 'CREATED',
          definition: input.definition,
          jobGraph: input.jobGraph,
          createdAt: at,
          updatedAt: at,
        })
        .returning()
        .get();
      if (input.idempotency) {
        tx.insert(idempotencyKeys)
          .values({
            key: input.idempotency.key,
            bodyHash: input.idempotency.bodyHash,
            jobId: input.jobId,
            createdAt: at,
          })
          .run();
      }
      tx.insert(jobTransitions)
        .values({
          jobId: input.jobId,
          fromState: null,
          toState: 'CREATED',
          reason: 'submitted',
          at,
        })
        .run();
      tx.insert(jobLogs)
        .values({
          jobId: input.jobId,
          timestamp: at,
          level: 'INFO',
          source: 'jobmanager',
          message: `submitted as CREATED: ${input.definition.jobName}`,
        })
        .run();
      return toJobRecord(row);
    });
  }

  get(jobId: string): JobRecord | undefined {
    const row = this.byId.get({ jobId });
    return row ? toJobRecord(row) : undefined;
  }

  list(filter: { status?: readonly JobState[]; name?: string } & PageOptions): Page<JobRecord> {
    const limit = checkLimit(filter.limit);
    const after =
      filter.cursor === undefined
        ? undefined
        : decodeCursor(LIST, filter.cursor, ['s', 's'] as const);
    const filtered =
      (filter.status !== undefined && filter.status.length > 0) || Boolean(filter.name);
    let rows: JobRow[];
    if (!filtered) {
      rows = after
        ? this.nextPage.all({ createdAt: after[0], jobId: after[1], limit: limit + 1 })
        : this.firstPage.all({ limit: limit + 1 });
    } else {
      const where: SQL[] = [];
      if (filter.status !== undefined && filter.status.length > 0) {
        for (const s of filter.status) {
          if (!JOB_STATES.includes(s))
            throw new InvalidInputError(`unknown job state ${JSON.stringify(s)}`);
        }
        where.push(inArray(jobs.status, [...filter.status]));
      }
      if (filter.name)
        where.push(sql`${like(jobs.jobName, likeSubstring(filter.name))} escape '\\'`);
      if (after) where.push(sql`(${jobs.createdAt}, ${jobs.jobId}) < (${after[0]}, ${after[1]})`);
      rows = this.ctx.db
        .select()
        .from(jobs)
        .where(and(...where))
        .orderBy(desc(jobs.createdAt), desc(jobs.jobId))
        .limit(limit + 1)
        .all();
    }
    return toPage(rows, limit, LIST, (r) => [r.createdAt, r.jobId], toJobRecord);
  }

  transition(jobId: string, input: TransitionInput): JobRecord {
    return writeTx(this.ctx, (tx) => {
      const current = this.requireRow(jobId);
      const from = current.status;
      if (
        (input.from !== undefined && !input.from.includes(from)) ||
        !canTransition(from, input.to)
      ) {
        throw new IllegalTransitionError(jobId, from, input.to);
      }
      const at = this.ctx.now().toISOString();
      const row = tx
        .update(jobs)
        .set({
          ...patchColumns(input.patch),
          status: input.to,
          updatedAt: at,
          ...(input.to === 'RUNNING' && current.startTime === null ? { startTime: at } : {}),
          ...(isTerminal(input.to) ? { endTime: at } : {}),
        })
        .where(eq(jobs.jobId, jobId))
        .returning()
        .get();
      if (!row) throw new NotFoundError('job', jobId);
      tx.insert(jobTransitions)
        .values({ jobId, fromState: from, toState: input.to, reason: input.reason, at })
        .run();
      tx.insert(jobLogs)
        .values({
          jobId,
          timestamp: at,
          level: input.level ?? 'INFO',
          source: 'jobmanager',
          message: input.reason
            ? `${from} -> ${input.to}: ${input.reason}`
            : `${from} -> ${input.to}`,
        })
        .run();
      return toJobRecord(row);
    });
  }

  update(jobId: string, patch: TransitionInput['patch']): JobRecord {
    return writeTx(this.ctx, (tx) => {
      this.requireRow(jobId);
      const row = tx
        .update(jobs)
        .set({ ...patchColumns(patch), updatedAt: this.ctx.now().toISOString() })
        .where(eq(jobs.jobId, jobId))
        .returning()
        .get();
      if (!row) throw new NotFoundError('job', jobId);
      return toJobRecord(row);
    });
  }

  transitions(jobId: string): TransitionRecord[] {
    return this.ctx.db
      .select()
      .from(jobTransitions)
      .where(eq(jobTransitions.jobId, jobId))
      .orderBy(asc(jobTransitions.id))
      .all()
      .map((r) => ({
        jobId: r.jobId,
        from: r.fromState,
        to: r.toState,
        reason: r.reason,
        at: r.at,
      }));
  }

  countByStates(): Record<JobState, number> {
    const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
    for (const { status, n } of this.countByState.all()) counts[status] = n;
    return counts;
  }

  inStates(states: readonly JobState[]): JobRecord[] {
    if (states.length === 0) return [];
    return this.ctx.db
      .select()
      .from(jobs)
      .where(inArray(jobs.status, [...states]))
      .orderBy(asc(jobs.createdAt), asc(jobs.jobId))
      .all()
      .map(toJobRecord);
  }

  findIdempotencyKey(key: string): { bodyHash: string; jobId: string } | undefined {
    return this.ctx.db
      .select({ bodyHash: idempotencyKeys.bodyHash, jobId: idempotencyKeys.jobId })
      .from(idempotencyKeys)
      .where(eq(idempotencyKeys.key, key))
      .get();
  }

  /** Throws NotFoundError unless the job exists; used by the other modules before writing job-owned rows. */
  requireRow(jobId: string): JobRow {
    const row = this.byId.get({ jobId });
    if (!row) throw new NotFoundError('job', jobId);
    return row;
  }

  /** Bumps and returns the job's checkpoint counter inside the caller's transaction. */
  nextCheckpointId(tx: Conn, jobId: string): number {
    const row = tx
      .update(jobs)
      .set({ checkpointCounter: sql`${jobs.checkpointCounter} + 1` })
      .where(eq(jobs.jobId, jobId))
      .returning({ id: jobs.checkpointCounter })
      .get();
    if (!row) throw new NotFoundError('job', jobId);
    return row.id;
  }
}

/** Only the patch fields that were given, so `undefined` never overwrites a column. */
function patchColumns(patch: JobPatch | undefined): Partial<JobRow> {
  if (!patch) return {};
  const set: Partial<JobRow> = {};
  if (patch.attempt !== undefined) set.attempt = patch.attempt;
  if (patch.restartCount !== undefined) set.restartCount = patch.restartCount;
  if (patch.errorMessage !== undefined) set.errorMessage = patch.errorMessage;
  if (patch.lastCheckpointId !== undefined) set.lastCheckpointId = patch.lastCheckpointId;
  if (patch.jobGraph !== undefined) set.jobGraph = patch.jobGraph;
  return set;
}
