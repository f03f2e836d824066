/**
 * @module
 * The drizzle schema of the FlinkNet SQLite database. Migrations under
 * `drizzle/` are generated from this file with drizzle-kit; never edit them by
 * hand. Times are ISO-8601 UTC strings (`Date#toISOString`), so they sort as
 * text. Every list has an index that matches its filter and keyset order.
 */
import type {
  CheckpointKind,
  CheckpointStatus,
  DlqMessageStatus,
  JobGraphDto,
  JobState,
  LogLevel,
  Role,
  TaskManagerState,
  TaskState,
} from '@flinknet/contracts';
import {
  foreignKey,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

export const jobs = sqliteTable(
  'jobs',
  {
    jobId: text('job_id').primaryKey(),
    jobName: text('job_name').notNull(),
    status: text('status').$type<JobState>().notNull(),
    // JSON text, parsed lazily by the row mapper (repository/jobRows.ts): lists and status polls never read it.
    definition: text('definition').notNull(),
    // The graph changes on rescale; it is small and always read whole, so JSON beats a vertices table.
    jobGraph: text('job_graph', { mode: 'json' }).$type<JobGraphDto>().notNull(),
    attempt: integer('attempt').notNull().default(0),
    restartCount: integer('restart_count').notNull().default(0),
    errorMessage: text('error_message'),
    lastCheckpointId: integer('last_checkpoint_id'),
    // Checkpoint ids count up per job even after old checkpoints are pruned.
    checkpointCounter: integer('checkpoint_counter').notNull().default(0),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    startTime: text('start_time'),
    endTime: text('end_time'),
  },
  (t) => [
    index('jobs_created_idx').on(t.createdAt, t.jobId),
    index('jobs_status_created_idx').on(t.status, t.createdAt, t.jobId),
  ],
);

export const jobTransitions = sqliteTable(
  'job_transitions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.jobId, { onDelete: 'cascade' }),
    fromState: text('from_state').$type<JobState>(),
    toState: text('to_state').$type<JobState>().notNull(),
    reason: text('reason').notNull(),
    at: text('at').notNull(),
  },
  (t) => [index('job_transitions_job_idx').on(t.jobId, t.id)],
);

export const tasks = sqliteTable(
  'tasks',
  {
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.jobId, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    vertexId: text('vertex_id').notNull(),
    subtaskIndex: integer('subtask_index').notNull(),
    // Order in which the JobManager listed the tasks (graph order), for stable listings.
    position: integer('position').notNull(),
    taskManagerId: text('task_manager_id'),
    state: text('state').$type<TaskState>().notNull(),
    error: text('error'),
    recordsIn: integer('records_in').notNull().default(0),
    recordsOut: integer('records_out').notNull().default(0),
    recordsInPerSecond: real('records_in_per_second').notNull().default(0),
    recordsOutPerSecond: real('records_out_per_second').notNull().default(0),
    backpressureRatio: real('backpressure_ratio').notNull().default(0),
    stateSizeBytes: integer('state_size_bytes').notNull().default(0),
    dlqRecords: integer('dlq_records').notNull().default(0),
    // Epoch ms of the counters above: the base of the next rate computation.
    metricsAt: integer('metrics_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.attempt, t.vertexId, t.subtaskIndex] }),
    index('tasks_job_position_idx').on(t.jobId, t.attempt, t.position),
    index('tasks_task_manager_idx').on(t.taskManagerId),
  ],
);

export const checkpoints = sqliteTable(
  'checkpoints',
  {
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.jobId, { onDelete: 'cascade' }),
    checkpointId: integer('checkpoint_id').notNull(),
    attempt: integer('attempt').notNull(),
    kind: text('kind').$type<CheckpointKind>().notNull(),
    status: text('status').$type<CheckpointStatus>().notNull(),
    reason: text('reason').notNull(),
    triggerTime: text('trigger_time').notNull(),
    completionTime: text('completion_time'),
    sizeBytes: integer('size_bytes').notNull().default(0),
    acknowledged: integer('acknowledged').notNull().default(0),
    total: integer('total').notNull(),
    failureReason: text('failure_reason'),
    snapshotPath: text('snapshot_path'),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.checkpointId] }),
    index('checkpoints_job_status_idx').on(t.jobId, t.status, t.checkpointId),
  ],
);

export const checkpointTasks = sqliteTable(
  'checkpoint_tasks',
  {
    jobId: text('job_id').notNull(),
    checkpointId: integer('checkpoint_id').notNull(),
    vertexId: text('vertex_id').notNull(),
    subtaskIndex: integer('subtask_index').notNull(),
    position: integer('position').notNull(),
    acknowledged: integer('acknowledged', { mode: 'boolean' }).notNull().default(false),
    ackTime: text('ack_time'),
    stateSizeBytes: integer('state_size_bytes').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.checkpointId, t.vertexId, t.subtaskIndex] }),
    foreignKey({
      columns: [t.jobId, t.checkpointId],
      foreignColumns: [checkpoints.jobId, checkpoints.checkpointId],
    }).onDelete('cascade'),
  ],
);

export const taskManagers = sqliteTable(
  'taskmanagers',
  {
    taskManagerId: text('task_manager_id').primaryKey(),
    address: text('address').notNull(),
    version: text('version').notNull(),
    state: text('state').$type<TaskManagerState>().notNull(),
    slots: integer('slots').notNull(),
    operators: text('operators', { mode: 'json' }).$type<string[]>().notNull(),
    registeredAt: text('registered_at').notNull(),
    lastHeartbeat: text('last_heartbeat').notNull(),
  },
  (t) => [index('taskmanagers_state_idx').on(t.state)],
);

export const jobLogs = sqliteTable(
  'job_logs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.jobId, { onDelete: 'cascade' }),
    timestamp: text('timestamp').notNull(),
    level: text('level').$type<LogLevel>().notNull(),
    source: text('source').notNull(),
    message: text('message').notNull(),
  },
  (t) => [
    index('job_logs_job_idx').on(t.jobId, t.id),
    index('job_logs_job_level_idx').on(t.jobId, t.level, t.id),
    index('job_logs_job_time_idx').on(t.jobId, t.timestamp),
  ],
);

export const dlqMessages = sqliteTable(
  'dlq_messages',
  {
    // Insertion order: keyset pages stay stable while new messages arrive.
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageId: text('message_id').notNull(),
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.jobId, { onDelete: 'cascade' }),
    stepName: text('step_name').notNull(),
    subtaskIndex: integer('subtask_index').notNull(),
    errorMessage: text('error_message').notNull(),
    payload: text('payload').notNull(),
    newPayload: text('new_payload'),
    status: text('status').$type<DlqMessageStatus>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('dlq_messages_message_id_idx').on(t.messageId),
    index('dlq_messages_job_idx').on(t.jobId, t.id),
    index('dlq_messages_job_status_idx').on(t.jobId, t.status, t.id),
  ],
);

export const idempotencyKeys = sqliteTable('idempotency_keys', {
  key: text('key').primaryKey(),
  bodyHash: text('body_hash').notNull(),
  jobId: text('job_id')
    .notNull()
    .references(() => jobs.jobId, { onDelete: 'cascade' }),
  createdAt: text('created_at').notNull(),
});

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    tokenId: text('token_id').primaryKey(),
    name: text('name').notNull(),
    role: text('role').$type<Role>().notNull(),
    hash: text('hash').notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at'),
    lastUsedAt: text('last_used_at'),
  },
  (t) => [
    uniqueIndex('api_tokens_hash_idx').on(t.hash),
    index('api_tokens_created_idx').on(t.createdAt, t.tokenId),
  ],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    tokenId: text('token_id'),
    role: text('role'),
    method: text('method').notNull(),
    route: text('route').notNull(),
    jobId: text('job_id'),
    status: integer('status').notNull(),
    requestId: text('request_id'),
  },
  (t) => [index('audit_log_job_idx').on(t.jobId, t.id)],
);
