/**
 * @module
 * Store records -> wire DTOs of the contracts.
 */
import {
  allowedActions,
  type CheckpointInfoDto,
  type DlqMessageDto,
  type JobOverviewDto,
  type JobStatusDto,
  type LogEntryDto,
  type TokenDto,
} from '@flinknet/contracts';
import type {
  CheckpointRecord,
  DlqRecord,
  JobRecord,
  LogRecord,
  TokenRecord,
} from '@flinknet/store';

/** JobStatusDto of a job. */
export function toJobStatus(job: JobRecord): JobStatusDto {
  return {
    jobId: job.jobId,
    jobName: job.jobName,
    status: job.status,
    attempt: job.attempt,
    restartCount: job.restartCount,
    errorMessage: job.errorMessage,
    lastCheckpointId: job.lastCheckpointId,
    allowedActions: allowedActions(job.status),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

/** JobOverviewDto of a job (one row of the list). */
export function toJobOverview(job: JobRecord, nowMs: number): JobOverviewDto {
  const start = job.startTime === null ? null : Date.parse(job.startTime);
  const end = job.endTime === null ? nowMs : Date.parse(job.endTime);
  return {
    jobId: job.jobId,
    jobName: job.jobName,
    status: job.status,
    parallelism: Math.max(1, ...job.jobGraph.vertices.map((v) => v.parallelism)),
    tasksTotal: job.jobGraph.vertices.reduce((sum, v) => sum + v.parallelism, 0),
    createdAt: job.createdAt,
    startTime: job.startTime,
    endTime: job.endTime,
    durationMs: start === null ? null : Math.max(0, end - start),
  };
}

/** CheckpointInfoDto of a checkpoint. */
export function toCheckpointInfo(cp: CheckpointRecord): CheckpointInfoDto {
  return {
    checkpointId: cp.checkpointId,
    jobId: cp.jobId,
    status: cp.status,
    kind: cp.kind,
    attempt: cp.attempt,
    triggerTime: cp.triggerTime,
    completionTime: cp.completionTime,
    durationMs:
      cp.completionTime === null
        ? null
        : Math.max(0, Date.parse(cp.completionTime) - Date.parse(cp.triggerTime)),
    sizeBytes: cp.sizeBytes,
    acknowledged: cp.acknowledged,
    total: cp.total,
    failureReason: cp.failureReason,
    reason: cp.reason,
  };
}

/** DlqMessageDto of a message. */
export function toDlqMessage(m: DlqRecord): DlqMessageDto {
  return { ...m };
}

/** LogEntryDto of a log line. */
export function toLogEntry(l: LogRecord): LogEntryDto {
  return { ...l };
}

/** TokenDto of a token: never its hash. */
export function toToken(t: TokenRecord): TokenDto {
  return {
    tokenId: t.tokenId,
    name: t.name,
    role: t.role,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    lastUsedAt: t.lastUsedAt,
  };
}
