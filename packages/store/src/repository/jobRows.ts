/**
 * @module
 * The hot statements of the jobs table as plain better-sqlite3 statements,
 * prepared once per connection, and the row mapper shared by every job read.
 * Submits, transitions and status polls run these on every request, where
 * drizzle's per-call query building and row mapping cost more than SQLite.
 */
import type { JobDefinitionDto, JobGraphDto, JobState } from '@flinknet/contracts';
import type { Database, Statement } from 'better-sqlite3';
import type { JobRecord } from '../types';

/** A jobs row as the statements below select it: the JSON columns still as text. */
export type RawJobRow = Omit<JobRecord, 'definition' | 'jobGraph'> & {
  definition: string;
  jobGraph: string;
};

/** What a record is built from: a row, whose graph drizzle may have parsed already. */
type JobRowInput = Omit<RawJobRow, 'jobGraph'> & { jobGraph: string | JobGraphDto };

/** What a transition needs to know about the current row. */
export interface JobHead {
  status: JobState;
  startTime: string | null;
}

const JOB_COLUMNS = `job_id AS jobId, job_name AS jobName, status, definition, job_graph AS jobGraph,
  attempt, restart_count AS restartCount, error_message AS errorMessage,
  last_checkpoint_id AS lastCheckpointId, created_at AS createdAt, updated_at AS updatedAt,
  start_time AS startTime, end_time AS endTime`;

/** The prepared statements of the jobs hot path on one connection. */
export class JobStatements {
  readonly byId: Statement<[string], RawJobRow>;
  readonly head: Statement<[string], JobHead>;
  /** The unfiltered list, newest first: first page and the page after a keyset cursor. */
  readonly firstPage: Statement<[{ limit: number }], RawJobRow>;
  readonly nextPage: Statement<[{ createdAt: string; jobId: string; limit: number }], RawJobRow>;
  readonly idempotencyKeyExists: Statement<[string], { one: 1 }>;
  readonly insertJob: Statement<
    [
      {
        jobId: string;
        jobName: string;
        definition: string;
        jobGraph: string;
        at: string;
      },
    ]
  >;
  readonly insertIdempotencyKey: Statement<
    [{ key: string; bodyHash: string; jobId: string; at: string }]
  >;
  readonly insertTransition: Statement<
    [{ jobId: string; from: string | null; to: string; reason: string; at: string }]
  >;
  readonly insertLog: Statement<[{ jobId: string; at: string; level: string; message: string }]>;
  /** Sets the state and times; the patch columns go through drizzle (rare: restarts, rescales). */
  readonly setStatus: Statement<
    [
      {
        jobId: string;
        status: JobState;
        at: string;
        startTime: string | null;
        endTime: string | null;
      },
    ],
    RawJobRow
  >;

  constructor(sqlite: Database) {
    this.byId = sqlite.prepare(`SELECT ${JOB_COLUMNS} FROM jobs WHERE job_id = ?`);
    this.head = sqlite.prepare('SELECT status, start_time AS startTime FROM jobs WHERE job_id = ?');
    this.firstPage = sqlite.prepare(
      `SELECT ${JOB_COLUMNS} FROM jobs ORDER BY created_at DESC, job_id DESC LIMIT @limit`,
    );
    this.nextPage = sqlite.prepare(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE (created_at, job_id) < (@createdAt, @jobId)
       ORDER BY created_at DESC, job_id DESC LIMIT @limit`,
    );
    this.idempotencyKeyExists = sqlite.prepare(
      'SELECT 1 AS one FROM idempotency_keys WHERE key = ?',
    );
    this.insertJob = sqlite.prepare(
      `INSERT INTO jobs (job_id, job_name, status, definition, job_graph, created_at, updated_at)
       VALUES (@jobId, @jobName, 'CREATED', @definition, @jobGraph, @at, @at)`,
    );
    this.insertIdempotencyKey = sqlite.prepare(
      'INSERT INTO idempotency_keys (key, body_hash, job_id, created_at) VALUES (@key, @bodyHash, @jobId, @at)',
    );
    this.insertTransition = sqlite.prepare(
      'INSERT INTO job_transitions (job_id, from_state, to_state, reason, at) VALUES (@jobId, @from, @to, @reason, @at)',
    );
    this.insertLog = sqlite.prepare(
      `INSERT INTO job_logs (job_id, timestamp, level, source, message)
       VALUES (@jobId, @at, @level, 'jobmanager', @message)`,
    );
    this.setStatus = sqlite.prepare(
      `UPDATE jobs SET status = @status, updated_at = @at,
         start_time = coalesce(@startTime, start_time), end_time = coalesce(@endTime, end_time)
       WHERE job_id = @jobId
       RETURNING ${JOB_COLUMNS}`,
    );
  }
}

/**
 * A job row as a JobRecord whose `definition` and `jobGraph` stay JSON text
 * until read. They are own, enumerable accessors, so JSON.stringify,
 * spreading, structuredClone and equality see plain fields; the text and the
 * parsed value live in private fields, which none of those see. Every record
 * gets the same getter and setter functions, so records share one hidden
 * class: accessors written in an object literal are new closures per record,
 * which gives each record a map of its own (slow to build, and old-space
 * garbage that made a list of 50 jobs cost twice its query).
 */
class StoredJob {
  // `declare`: no field is defined before the constructor assigns it, so the keys keep column order.
  declare readonly jobId: string;
  declare readonly jobName: string;
  declare readonly status: JobState;
  declare definition: JobDefinitionDto;
  declare jobGraph: JobGraphDto;
  declare readonly attempt: number;
  declare readonly restartCount: number;
  declare readonly errorMessage: string | null;
  declare readonly lastCheckpointId: number | null;
  declare readonly createdAt: string;
  declare readonly updatedAt: string;
  declare readonly startTime: string | null;
  declare readonly endTime: string | null;
  #definition: string | JobDefinitionDto;
  #jobGraph: string | JobGraphDto;

  static readonly #lazyFields: PropertyDescriptorMap = {
    definition: {
      enumerable: true,
      configurable: true,
      get(this: StoredJob): JobDefinitionDto {
        if (typeof this.#definition === 'string')
          this.#definition = JSON.parse(this.#definition) as JobDefinitionDto;
        return this.#definition;
      },
      set(this: StoredJob, next: JobDefinitionDto) {
        this.#definition = next;
      },
    },
    jobGraph: {
      enumerable: true,
      configurable: true,
      get(this: StoredJob): JobGraphDto {
        if (typeof this.#jobGraph === 'string')
          this.#jobGraph = JSON.parse(this.#jobGraph) as JobGraphDto;
        return this.#jobGraph;
      },
      set(this: StoredJob, next: JobGraphDto) {
        this.#jobGraph = next;
      },
    },
  };

  constructor(row: JobRowInput) {
    this.#definition = row.definition;
    this.#jobGraph = row.jobGraph;
    // Keys in column order, as drizzle rows had them.
    this.jobId = row.jobId;
    this.jobName = row.jobName;
    this.status = row.status;
    Object.defineProperties(this, StoredJob.#lazyFields);
    this.attempt = row.attempt;
    this.restartCount = row.restartCount;
    this.errorMessage = row.errorMessage;
    this.lastCheckpointId = row.lastCheckpointId;
    this.createdAt = row.createdAt;
    this.updatedAt = row.updatedAt;
    this.startTime = row.startTime;
    this.endTime = row.endTime;
  }
}

/** A JobRecord from a jobs row whose `definition` (and, from the plain statements, `jobGraph`) is JSON text. */
export function toJobRecord(row: JobRowInput): JobRecord {
  return new StoredJob(row);
}
