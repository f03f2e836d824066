/**
 * @module
 * The JobRepository over one better-sqlite3 connection. Each concern lives in
 * its own module under `repository/`; this class only composes them.
 */
import type {
  CheckpointStatus,
  DlqMessageStatus,
  JobState,
  LogLevel,
  TaskManagerState,
} from '@flinknet/contracts';
import type { Database } from 'better-sqlite3';
import type { RepoContext, StoreDb } from './internals/db';
import { GroupCommit } from './internals/groupCommit';
import { AuthRepository } from './repository/auth';
import { CheckpointsRepository, type NewCheckpoint } from './repository/checkpoints';
import { DlqRepository } from './repository/dlq';
import { JobsRepository } from './repository/jobs';
import { LogsRepository } from './repository/logs';
import { TaskManagersRepository } from './repository/taskManagers';
import { TasksRepository } from './repository/tasks';
import type {
  AuditRecord,
  CheckpointRecord,
  CheckpointTaskRecord,
  CreateJobInput,
  DlqRecord,
  JobRecord,
  JobRepository,
  LogRecord,
  NewAudit,
  NewDlqMessage,
  NewLog,
  Page,
  PageOptions,
  TaskManagerRecord,
  TaskRecord,
  TaskUpdate,
  TokenRecord,
  TransitionInput,
  TransitionRecord,
} from './types';

/** A JobRepository on SQLite; every method is synchronous and a returned write has committed. */
export class SqliteJobRepository implements JobRepository {
  private readonly jobs: JobsRepository;
  private readonly tasks: TasksRepository;
  private readonly checkpoints: CheckpointsRepository;
  private readonly taskManagers: TaskManagersRepository;
  private readonly logs: LogsRepository;
  private readonly dlq: DlqRepository;
  private readonly auth: AuthRepository;
  private readonly pingStatement;
  private readonly groupCommit: GroupCommit;

  constructor(
    db: StoreDb,
    private readonly sqlite: Database,
    now: () => Date = () => new Date(),
  ) {
    const ctx: RepoContext = { db, sqlite, now };
    this.jobs = new JobsRepository(ctx);
    this.tasks = new TasksRepository(ctx, this.jobs);
    this.checkpoints = new CheckpointsRepository(ctx, this.jobs);
    this.taskManagers = new TaskManagersRepository(ctx);
    this.logs = new LogsRepository(ctx, this.jobs);
    this.dlq = new DlqRepository(ctx, this.jobs);
    this.auth = new AuthRepository(ctx);
    this.pingStatement = sqlite.prepare('select 1 as ok');
    this.groupCommit = new GroupCommit(sqlite);
  }

  // jobs
  createJob(input: CreateJobInput): JobRecord {
    return this.jobs.create(input);
  }
  getJob(jobId: string): JobRecord | undefined {
    return this.jobs.get(jobId);
  }
  listJobs(filter: { status?: readonly JobState[]; name?: string } & PageOptions): Page<JobRecord> {
    return this.jobs.list(filter);
  }
  transitionJob(jobId: string, input: TransitionInput): JobRecord {
    return this.jobs.transition(jobId, input);
  }
  updateJob(jobId: string, patch: TransitionInput['patch']): JobRecord {
    return this.jobs.update(jobId, patch);
  }
  listTransitions(jobId: string): TransitionRecord[] {
    return this.jobs.transitions(jobId);
  }
  countJobsByState(): Record<JobState, number> {
    return this.jobs.countByStates();
  }
  jobsInStates(states: readonly JobState[]): JobRecord[] {
    return this.jobs.inStates(states);
  }
  findIdempotencyKey(key: string): { bodyHash: string; jobId: string } | undefined {
    return this.jobs.findIdempotencyKey(key);
  }

  // tasks
  putTasks(
    jobId: string,
    attempt: number,
    tasks: Array<Pick<TaskRecord, 'vertexId' | 'subtaskIndex' | 'taskManagerId' | 'state'>>,
  ): void {
    this.tasks.put(jobId, attempt, tasks);
  }
  updateTasks(updates: readonly TaskUpdate[]): void {
    this.tasks.update(updates);
  }
  listTasks(jobId: string, attempt?: number): TaskRecord[] {
    return this.tasks.list(jobId, attempt);
  }

  // checkpoints
  createCheckpoint(input: NewCheckpoint): CheckpointRecord {
    return this.checkpoints.create(input);
  }
  ackCheckpointTask(
    jobId: string,
    checkpointId: number,
    task: { vertexId: string; subtaskIndex: number; stateSizeBytes: number },
  ): CheckpointRecord {
    return this.checkpoints.ack(jobId, checkpointId, task);
  }
  completeCheckpoint(
    jobId: string,
    checkpointId: number,
    input: { snapshotPath: string; sizeBytes: number },
  ): CheckpointRecord {
    return this.checkpoints.complete(jobId, checkpointId, input);
  }
  failCheckpoint(jobId: string, checkpointId: number, reason: string): CheckpointRecord {
    return this.checkpoints.fail(jobId, checkpointId, reason);
  }
  getCheckpoint(
    jobId: string,
    checkpointId: number,
  ): (CheckpointRecord & { tasks: CheckpointTaskRecord[] }) | undefined {
    return this.checkpoints.get(jobId, checkpointId);
  }
  listCheckpoints(
    jobId: string,
    filter: { status?: CheckpointStatus } & PageOptions,
  ): Page<CheckpointRecord> {
    return this.checkpoints.list(jobId, filter);
  }
  latestCompletedCheckpoint(jobId: string): CheckpointRecord | undefined {
    return this.checkpoints.latestCompleted(jobId);
  }
  pruneCheckpoints(jobId: string, keep: number): CheckpointRecord[] {
    return this.checkpoints.prune(jobId, keep);
  }

  // taskmanagers
  upsertTaskManager(
    tm: Omit<TaskManagerRecord, 'registeredAt' | 'lastHeartbeat' | 'state'>,
  ): TaskManagerRecord {
    return this.taskManagers.upsert(tm);
  }
  touchTaskManager(taskManagerId: string, at?: string): void {
    this.taskManagers.heartbeat(taskManagerId, at);
  }
  setTaskManagerState(taskManagerId: string, state: TaskManagerState): void {
    this.taskManagers.setState(taskManagerId, state);
  }
  getTaskManager(taskManagerId: string): TaskManagerRecord | undefined {
    return this.taskManagers.get(taskManagerId);
  }
  listTaskManagers(): TaskManagerRecord[] {
    return this.taskManagers.list();
  }

  // logs
  appendLogs(entries: readonly NewLog[]): void {
    this.logs.append(entries);
  }
  listLogs(
    jobId: string,
    filter: { level?: LogLevel; since?: string } & PageOptions,
  ): Page<LogRecord> {
    return this.logs.list(jobId, filter);
  }

  // dlq
  addDlqMessages(messages: readonly NewDlqMessage[]): void {
    this.dlq.add(messages);
  }
  listDlq(jobId: string, filter: { status?: DlqMessageStatus } & PageOptions): Page<DlqRecord> {
    return this.dlq.list(jobId, filter);
  }
  getDlq(jobId: string, messageId: string): DlqRecord | undefined {
    return this.dlq.get(jobId, messageId);
  }
  updateDlqPayload(jobId: string, messageId: string, newPayload: string): DlqRecord | undefined {
    return this.dlq.updatePayload(jobId, messageId, newPayload);
  }
  setDlqStatus(
    jobId: string,
    messageIds: readonly string[],
    status: DlqMessageStatus,
  ): DlqRecord[] {
    return this.dlq.setStatus(jobId, messageIds, status);
  }
  reopenDlq(jobId: string, messageId: string, errorMessage: string): void {
    this.dlq.reopen(jobId, messageId, errorMessage);
  }
  deleteDlq(jobId: string, messageId: string): boolean {
    return this.dlq.delete(jobId, messageId);
  }

  // tokens and audit
  createToken(token: Omit<TokenRecord, 'createdAt' | 'lastUsedAt'>): TokenRecord {
    return this.auth.createToken(token);
  }
  findTokenByHash(hash: string): TokenRecord | undefined {
    return this.auth.findTokenByHash(hash);
  }
  listTokens(): TokenRecord[] {
    return this.auth.listTokens();
  }
  deleteToken(tokenId: string): boolean {
    return this.auth.deleteToken(tokenId);
  }
  touchToken(tokenId: string, at?: string): void {
    this.auth.touchToken(tokenId, at);
  }
  countTokens(): number {
    return this.auth.countTokens();
  }
  appendAudit(entry: NewAudit): void {
    this.auth.appendAudit(entry);
  }
  listAudit(filter: PageOptions): Page<AuditRecord> {
    return this.auth.listAudit(filter);
  }

  ping(): boolean {
    if (!this.sqlite.open) return false;
    try {
      return (this.pingStatement.get() as { ok: number } | undefined)?.ok === 1;
    } catch {
      return false;
    }
  }

  batchWrite<T>(write: () => T): Promise<T> {
    return this.groupCommit.run(write);
  }

  /** Commits queued batch writes and closes the connection; safe to call twice. */
  close(): void {
    if (!this.sqlite.open) return;
    this.groupCommit.flush();
    this.sqlite.close();
  }
}
