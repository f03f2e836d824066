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
import { idempotencyKeys, jobs, jobTransitions } from '../schema';
import type {
  CreateJobInput,
  JobRecord,
  Page,
  PageOptions,
  TransitionInput,
  TransitionRecord,
} from '../types';
import { type JobHead, JobStatements, type RawJobRow, toJobRecord } from './jobRows';

type JobRow = typeof jobs.$inferSelect;
type JobPatch = NonNullable<TransitionInput['patch']>;

const LIST = 'jobs';

/** Escapes LIKE wildcards so a name filter matches the text literally. */
function likeSubstring(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Jobs, transitions and idempotency keys over one connection. */
export class JobsRepository {
  private readonly statements: JobStatements;
  private readonly writeImmediate: <T>(fn: () => T) => T;
  private readonly countByState;

  constructor(private readonly ctx: RepoContext) {
    const { db } = ctx;
    this.statements = new JobStatements(ctx.sqlite);
    // One reusable BEGIN IMMEDIATE wrapper: better-sqlite3's own, without drizzle's per-call transaction object.
    const immediate = ctx.sqlite.transaction((fn: () => unknown) => fn());
    this.writeImmediate = <T>(fn: () => T): T => immediate.immediate(fn) as T;
    // The overview's counts; the hot reads (status polls, the unfiltered list) are in JobStatements.
    this.countByState = db
      .select({ status: jobs.status, n: count() })
      .from(jobs)
      .groupBy(jobs.status)
      .prepare();
  }

  create(input: CreateJobInput): JobRecord {
    const at = this.ctx.now().toISOString();
    const { jobId, definition } = input;
    const st = this.statements;
    return this.writeImmediate(() => {
      if (st.head.get(jobId)) throw new AlreadyExistsError('job', jobId);
      const idempotency = input.idempotency;
      if (idempotency !== undefined && st.idempotencyKeyExists.get(idempotency.key)) {
        throw new AlreadyExistsError('idempotency key', idempotency.key);
      }
      const definitionText = JSON.stringify(definition);
      const jobGraphText = JSON.stringify(input.jobGraph);
      st.insertJob.run({
        jobId,
        jobName: definition.jobName,
        definition: definitionText,
        jobGraph: jobGraphText,
        at,
      });
      if (idempotency) {
        st.insertIdempotencyKey.run({
          key: idempotency.key,
          bodyHash: idempotency.bodyHash,
          jobId,
          at,
        });
      }
      st.insertTransition.run({ jobId, from: null, to: 'CREATED', reason: 'submitted', at });
      st.insertLog.run({
        jobId,
        at,
        level: 'INFO',
        message: `submitted as CREATED: ${definition.jobName}`,
      });
      // The row as inserted (reading it back with RETURNING cost a third of the insert).
      return toJobRecord({
        jobId,
        jobName: definition.jobName,
        status: 'CREATED',
        definition: definitionText,
        jobGraph: jobGraphText,
        attempt: 0,
        restartCount: 0,
        errorMessage: null,
        lastCheckpointId: null,
        createdAt: at,
        updatedAt: at,
        startTime: null,
        endTime: null,
      });
    });
  }

  get(jobId: string): JobRecord | undefined {
    const row = this.statements.byId.get(jobId);
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
    let rows: Array<RawJobRow | JobRow>;
    if (!filtered) {
      rows = after
        ? this.statements.nextPage.all({ createdAt: after[0], jobId: after[1], limit: limit + 1 })
        : this.statements.firstPage.all({ limit: limit + 1 });
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
    const st = this.statements;
    return this.writeImmediate(() => {
      const current = this.requireRow(jobId);
      const from = current.status;
      if (
        (input.from !== undefined && !input.from.includes(from)) ||
        !canTransition(from, input.to)
      ) {
        throw new IllegalTransitionError(jobId, from, input.to);
      }
      const at = this.ctx.now().toISOString();
      const startTime = input.to === 'RUNNING' && current.startTime === null ? at : null;
      const endTime = isTerminal(input.to) ? at : null;
      let record: JobRecord | undefined;
      if (input.patch === undefined) {
        const row = st.setStatus.get({ jobId, status: input.to, at, startTime, endTime });
        record = row && toJobRecord(row);
      } else {
        // Patches (restarts, rescales) are rare: drizzle builds their column list.
        const row = this.ctx.db
          .update(jobs)
          .set({
            ...patchColumns(input.patch),
            status: input.to,
            updatedAt: at,
            ...(startTime !== null ? { startTime } : {}),
            ...(endTime !== null ? { endTime } : {}),
          })
          .where(eq(jobs.jobId, jobId))
          .returning()
          .get();
        record = row && toJobRecord(row);
      }
      if (!record) throw new NotFoundError('job', jobId);
      st.insertTransition.run({ jobId, from, to: input.to, reason: input.reason, at });
      st.insertLog.run({
        jobId,
        at,
        level: input.level ?? 'INFO',
        message: input.reason
          ? `${from} -> ${input.to}: ${input.reason}`
          : `${from} -> ${input.to}`,
      });
      return record;
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
  requireRow(jobId: string): JobHead {
    const row = this.statements.head.get(jobId);
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
