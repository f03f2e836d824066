/**
 * @module
 * The JobManager <-> TaskManager protocol under `/internal/v1/`: registration,
 * heartbeats carrying reports, and commands (long-polled so they arrive within
 * milliseconds). Every task-scoped message carries the deployment attempt; the
 * JobManager ignores reports of stale attempts.
 */
import { z } from 'zod';
import { CheckpointKind } from './checkpoints';
import { Base64, JobId, TaskManagerId, Timestamp } from './common';
import { JobDefinitionDto } from './job-definition';
import { JobGraphDto } from './job-graph';
import { LogLevel } from './logs';

export const PROTOCOL_VERSION = 1;

export const RegisterRequest = z.strictObject({
  taskManagerId: TaskManagerId,
  address: z.string().max(200),
  slots: z.number().int().min(1).max(1024),
  version: z.string().max(50),
  operators: z
    .array(z.string().max(100))
    .max(1000)
    .describe('typeNames offered, e.g. "Source:sequence"'),
});
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const RegisterResponse = z.object({
  taskManagerId: z.string(),
  heartbeatIntervalMs: z.number().int().positive(),
  heartbeatTimeoutMs: z.number().int().positive(),
  protocolVersion: z.number().int(),
});
export type RegisterResponse = z.infer<typeof RegisterResponse>;

export const TaskState = z.enum(['DEPLOYING', 'RUNNING', 'FINISHED', 'CANCELED', 'FAILED']);
export type TaskState = z.infer<typeof TaskState>;

export const TaskKey = z.object({
  jobId: JobId,
  attempt: z.number().int().nonnegative(),
  vertexId: z.string(),
  subtaskIndex: z.number().int().nonnegative(),
});
export type TaskKey = z.infer<typeof TaskKey>;

export const TaskMetricsReport = z.object({
  recordsIn: z.number().int().nonnegative(),
  recordsOut: z.number().int().nonnegative(),
  backpressureRatio: z.number().min(0).max(1),
  stateSizeBytes: z.number().int().nonnegative(),
  dlqRecords: z.number().int().nonnegative(),
});
export type TaskMetricsReport = z.infer<typeof TaskMetricsReport>;

export const TaskReport = TaskKey.extend({
  state: TaskState,
  error: z.string().max(10_000).optional(),
  metrics: TaskMetricsReport.optional(),
});
export type TaskReport = z.infer<typeof TaskReport>;

/** A subtask's snapshot for a checkpoint: keyed state by key group, offsets, anything JSON. */
export const CheckpointAck = TaskKey.extend({
  checkpointId: z.number().int().positive(),
  snapshot: z.unknown().describe('JSON state of the subtask; stored by the JobManager'),
  stateSizeBytes: z.number().int().nonnegative(),
});
export type CheckpointAck = z.infer<typeof CheckpointAck>;

export const CheckpointDecline = TaskKey.extend({
  checkpointId: z.number().int().positive(),
  reason: z.string().max(10_000),
});
export type CheckpointDecline = z.infer<typeof CheckpointDecline>;

export const TaskLogLine = z.object({
  jobId: JobId,
  attempt: z.number().int().nonnegative(),
  level: LogLevel,
  source: z.string().max(200),
  message: z.string().max(10_000),
  timestamp: Timestamp,
});
export type TaskLogLine = z.infer<typeof TaskLogLine>;

export const DlqRecordReport = TaskKey.extend({
  stepName: z.string(),
  errorMessage: z.string().max(10_000),
  payload: Base64,
  messageId: z.string().optional().describe('set when a resubmitted message failed again'),
});
export type DlqRecordReport = z.infer<typeof DlqRecordReport>;

export const HeartbeatRequest = z.strictObject({
  taskManagerId: TaskManagerId,
  tasks: z.array(TaskReport).default([]),
  checkpointAcks: z.array(CheckpointAck).default([]),
  checkpointDeclines: z.array(CheckpointDecline).default([]),
  logs: z.array(TaskLogLine).default([]),
  dlq: z.array(DlqRecordReport).default([]),
});
export type HeartbeatRequest = z.input<typeof HeartbeatRequest>;

export const DeployTask = z.object({
  vertexId: z.string(),
  subtaskIndex: z.number().int().nonnegative(),
});

export const DeployCommand = z.object({
  type: z.literal('deploy'),
  jobId: JobId,
  attempt: z.number().int().nonnegative(),
  jobName: z.string(),
  definition: JobDefinitionDto,
  jobGraph: JobGraphDto,
  tasks: z.array(DeployTask),
  restore: z
    .object({ checkpointId: z.number().int().positive() })
    .nullable()
    .describe('fetch the snapshot from GET /internal/v1/jobs/{jobId}/checkpoints/{checkpointId}'),
});
export type DeployCommand = z.infer<typeof DeployCommand>;

export const CancelCommand = z.object({
  type: z.literal('cancel'),
  jobId: JobId,
  attempt: z.number().int().nonnegative(),
});
export type CancelCommand = z.infer<typeof CancelCommand>;

/** Sources end after the barrier of this (final) checkpoint; tasks then FINISH. */
export const TriggerCheckpointCommand = z.object({
  type: z.literal('checkpoint'),
  jobId: JobId,
  attempt: z.number().int().nonnegative(),
  checkpointId: z.number().int().positive(),
  kind: CheckpointKind,
  timestamp: z.number().int(),
});
export type TriggerCheckpointCommand = z.infer<typeof TriggerCheckpointCommand>;

/** Every subtask acknowledged: sinks commit what they staged for it. */
export const CheckpointCompleteCommand = z.object({
  type: z.literal('checkpointComplete'),
  jobId: JobId,
  attempt: z.number().int().nonnegative(),
  checkpointId: z.number().int().positive(),
});
export type CheckpointCompleteCommand = z.infer<typeof CheckpointCompleteCommand>;

/** Stop: sources stop emitting, the job drains, tasks report FINISHED. */
export const FinishCommand = z.object({
  type: z.literal('finish'),
  jobId: JobId,
  attempt: z.number().int().nonnegative(),
});
export type FinishCommand = z.infer<typeof FinishCommand>;

export const ResubmitDlqCommand = z.object({
  type: z.literal('resubmitDlq'),
  jobId: JobId,
  attempt: z.number().int().nonnegative(),
  records: z.array(z.object({ messageId: z.string(), stepName: z.string(), payload: Base64 })),
});
export type ResubmitDlqCommand = z.infer<typeof ResubmitDlqCommand>;

export const TaskManagerCommand = z.discriminatedUnion('type', [
  DeployCommand,
  CancelCommand,
  TriggerCheckpointCommand,
  CheckpointCompleteCommand,
  FinishCommand,
  ResubmitDlqCommand,
]);
export type TaskManagerCommand = z.infer<typeof TaskManagerCommand>;

export const HeartbeatResponse = z.object({
  commands: z.array(TaskManagerCommand),
  /** false when the JobManager does not know this TaskManager (restarted): register again. */
  registered: z.boolean(),
});
export type HeartbeatResponse = z.infer<typeof HeartbeatResponse>;

export const PollQuery = z.object({
  waitMs: z.coerce.number().int().min(0).max(60_000).default(25_000),
});

export const SnapshotResponse = z.object({
  jobId: z.string(),
  checkpointId: z.number().int().positive(),
  /** Snapshots by vertex id, then by the subtask index that wrote them. */
  vertices: z.record(z.string(), z.array(z.unknown())),
});
export type SnapshotResponse = z.infer<typeof SnapshotResponse>;
