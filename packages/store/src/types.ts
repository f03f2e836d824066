/**
 * @module
 * The JobRepository contract: every read and write the JobManager makes.
 * Times are ISO-8601 UTC strings. Writes that belong together run in one
 * immediate transaction; a method that returns has committed.
 */
import type {
  CheckpointKind,
  CheckpointStatus,
  DlqMessageStatus,
  JobDefinitionDto,
  JobGraphDto,
  JobState,
  LogLevel,
  Role,
  TaskManagerState,
  TaskState,
} from '@flinknet/contracts';

export interface JobRecord {
  jobId: string;
  jobName: string;
  status: JobState;
  definition: JobDefinitionDto;
  jobGraph: JobGraphDto;
  attempt: number;
  restartCount: number;
  errorMessage: string | null;
  lastCheckpointId: number | null;
  createdAt: string;
  updatedAt: string;
  startTime: string | null;
  endTime: string | null;
}

export interface TransitionRecord {
  jobId: string;
  from: JobState | null;
  to: JobState;
  reason: string;
  at: string;
}

/** A page of a keyset-paged list; `nextCursor` is opaque and null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageOptions {
  limit: number;
  cursor?: string | undefined;
}

export interface CreateJobInput {
  jobId: string;
  definition: JobDefinitionDto;
  jobGraph: JobGraphDto;
  /** With a key, the job and the key are stored in the same transaction. */
  idempotency?: { key: string; bodyHash: string } | undefined;
}

export interface TransitionInput {
  to: JobState;
  reason: string;
  /** The transition happens only if the job is in one of these states; otherwise IllegalTransitionError. */
  from?: readonly JobState[] | undefined;
  /** Fields updated in the same transaction. */
  patch?: Partial<
    Pick<JobRecord, 'attempt' | 'restartCount' | 'errorMessage' | 'lastCheckpointId' | 'jobGraph'>
  >;
  /** Log level of the job log line written with the transition (default INFO). */
  level?: LogLevel | undefined;
}

export interface TaskRecord {
  jobId: string;
  attempt: number;
  vertexId: string;
  subtaskIndex: number;
  taskManagerId: string | null;
  state: TaskState;
  error: string | null;
  recordsIn: number;
  recordsOut: number;
  recordsInPerSecond: number;
  recordsOutPerSecond: number;
  backpressureRatio: number;
  stateSizeBytes: number;
  dlqRecords: number;
  updatedAt: string;
}

export interface TaskUpdate {
  jobId: string;
  attempt: number;
  vertexId: string;
  subtaskIndex: number;
  state?: TaskState | undefined;
  error?: string | null | undefined;
  metrics?:
    | {
        recordsIn: number;
        recordsOut: number;
        backpressureRatio: number;
        stateSizeBytes: number;
        dlqRecords: number;
      }
    | undefined;
}

export interface CheckpointRecord {
  jobId: string;
  checkpointId: number;
  attempt: number;
  kind: CheckpointKind;
  status: CheckpointStatus;
  reason: string;
  triggerTime: string;
  completionTime: string | null;
  sizeBytes: number;
  acknowledged: number;
  total: number;
  failureReason: string | null;
  /** Where the JobManager stored the snapshot (relative to its checkpoint dir). */
  snapshotPath: string | null;
}

export interface CheckpointTaskRecord {
  vertexId: string;
  subtaskIndex: number;
  acknowledged: boolean;
  ackTime: string | null;
  stateSizeBytes: number;
}

export interface TaskManagerRecord {
  taskManagerId: string;
  address: string;
  version: string;
  state: TaskManagerState;
  slots: number;
  operators: string[];
  registeredAt: string;
  lastHeartbeat: string;
}

export interface LogRecord {
  id: number;
  jobId: string;
  timestamp: string;
  level: LogLevel;
  source: string;
  message: string;
}

export interface NewLog {
  jobId: string;
  level: LogLevel;
  source: string;
  message: string;
  timestamp?: string | undefined;
}

export interface DlqRecord {
  messageId: string;
  jobId: string;
  stepName: string;
  subtaskIndex: number;
  errorMessage: string;
  /** base64 */
  payload: string;
  /** base64 */
  newPayload: string | null;
  status: DlqMessageStatus;
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

export interface NewDlqMessage {
  messageId: string;
  jobId: string;
  stepName: string;
  subtaskIndex: number;
  errorMessage: string;
  payload: string;
}

export interface TokenRecord {
  tokenId: string;
  name: string;
  role: Role;
  /** sha-256 hex of the secret; the secret itself is never stored. */
  hash: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface AuditRecord {
  id: number;
  at: string;
  tokenId: string | null;
  role: string | null;
  method: string;
  route: string;
  jobId: string | null;
  status: number;
  requestId: string | null;
}

export type NewAudit = Omit<AuditRecord, 'id' | 'at'> & { at?: string };

/** Everything the JobManager reads and writes. */
export interface JobRepository {
  // jobs
  createJob(input: CreateJobInput): JobRecord;
  getJob(jobId: string): JobRecord | undefined;
  /** Newest first; keyset pages (createdAt, jobId), never OFFSET. */
  listJobs(filter: { status?: readonly JobState[]; name?: string } & PageOptions): Page<JobRecord>;
  /** Records the transition, its log line and the patch in one transaction. */
  transitionJob(jobId: string, input: TransitionInput): JobRecord;
  /** Updates fields without a state change. */
  updateJob(jobId: string, patch: TransitionInput['patch']): JobRecord;
  listTransitions(jobId: string): TransitionRecord[];
  countJobsByState(): Record<JobState, number>;
  /** Jobs in any of these states (for recovery and scheduling). */
  jobsInStates(states: readonly JobState[]): JobRecord[];

  // idempotency
  findIdempotencyKey(key: string): { bodyHash: string; jobId: string } | undefined;

  // tasks
  /** Replaces the task rows of (jobId, attempt). */
  putTasks(
    jobId: string,
    attempt: number,
    tasks: Array<Pick<TaskRecord, 'vertexId' | 'subtaskIndex' | 'taskManagerId' | 'state'>>,
  ): void;
  /** Applies reports; rates are computed from the previous counters. Ignores unknown tasks. */
  updateTasks(updates: readonly TaskUpdate[]): void;
  listTasks(jobId: string, attempt?: number): TaskRecord[];

  // checkpoints
  /** Allocates the next checkpoint id of the job and its pending task rows. */
  createCheckpoint(input: {
    jobId: string;
    attempt: number;
    kind: CheckpointKind;
    reason: string;
    tasks: ReadonlyArray<{ vertexId: string; subtaskIndex: number }>;
  }): CheckpointRecord;
  /** Marks one task acknowledged; returns the checkpoint after the ack. */
  ackCheckpointTask(
    jobId: string,
    checkpointId: number,
    task: { vertexId: string; subtaskIndex: number; stateSizeBytes: number },
  ): CheckpointRecord;
  completeCheckpoint(
    jobId: string,
    checkpointId: number,
    input: { snapshotPath: string; sizeBytes: number },
  ): CheckpointRecord;
  failCheckpoint(jobId: string, checkpointId: number, reason: string): CheckpointRecord;
  getCheckpoint(
    jobId: string,
    checkpointId: number,
  ): (CheckpointRecord & { tasks: CheckpointTaskRecord[] }) | undefined;
  /** Newest first. */
  listCheckpoints(
    jobId: string,
    filter: { status?: CheckpointStatus } & PageOptions,
  ): Page<CheckpointRecord>;
  latestCompletedCheckpoint(jobId: string): CheckpointRecord | undefined;
  /** Keeps the newest `keep` COMPLETED checkpoints; returns the removed ones (their files go too). */
  pruneCheckpoints(jobId: string, keep: number): CheckpointRecord[];

  // taskmanagers
  upsertTaskManager(
    tm: Omit<TaskManagerRecord, 'registeredAt' | 'lastHeartbeat' | 'state'>,
  ): TaskManagerRecord;
  touchTaskManager(taskManagerId: string, at?: string): void;
  setTaskManagerState(taskManagerId: string, state: TaskManagerState): void;
  getTaskManager(taskManagerId: string): TaskManagerRecord | undefined;
  listTaskManagers(): TaskManagerRecord[];

  // logs
  appendLogs(entries: readonly NewLog[]): void;
  /** Oldest first; level means this level and above. */
  listLogs(
    jobId: string,
    filter: { level?: LogLevel; since?: string } & PageOptions,
  ): Page<LogRecord>;

  // dlq
  addDlqMessages(messages: readonly NewDlqMessage[]): void;
  /** Oldest first. */
  listDlq(jobId: string, filter: { status?: DlqMessageStatus } & PageOptions): Page<DlqRecord>;
  getDlq(jobId: string, messageId: string): DlqRecord | undefined;
  updateDlqPayload(jobId: string, messageId: string, newPayload: string): DlqRecord | undefined;
  /** Sets the status of messages (RESUBMITTED increments attempts); returns the updated ones. */
  setDlqStatus(jobId: string, messageIds: readonly string[], status: DlqMessageStatus): DlqRecord[];
  /** A resubmitted message failed again: back to PENDING with the new error. */
  reopenDlq(jobId: string, messageId: string, errorMessage: string): void;
  deleteDlq(jobId: string, messageId: string): boolean;

  // tokens and audit
  createToken(token: Omit<TokenRecord, 'createdAt' | 'lastUsedAt'>): TokenRecord;
  findTokenByHash(hash: string): TokenRecord | undefined;
  listTokens(): TokenRecord[];
  deleteToken(tokenId: string): boolean;
  touchToken(tokenId: string, at?: string): void;
  countTokens(): number;
  appendAudit(entry: NewAudit): void;
  /** Newest first. */
  listAudit(filter: PageOptions): Page<AuditRecord>;

  /**
   * Runs `write` (calls of this repository) in a transaction shared with the
   * other writes queued in the same event-loop turn: one commit for many
   * concurrent requests. Resolves with its result once that transaction has
   * committed; rejects with its error, its changes rolled back and the
   * others' kept. `write` must be synchronous.
   */
  batchWrite<T>(write: () => T): Promise<T>;

  /** Liveness of the database. */
  ping(): boolean;
  /** Commits queued batch writes, then closes. */
  close(): void;
}
