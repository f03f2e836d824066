/**
 * @module
 * CheckpointInfoDto and its per-task detail.
 */
import { z } from 'zod';
import { PageQuery, Timestamp } from './common';

export const CheckpointStatus = z.enum(['IN_PROGRESS', 'COMPLETED', 'FAILED']);
export type CheckpointStatus = z.infer<typeof CheckpointStatus>;

export const CheckpointKind = z.enum(['CHECKPOINT', 'SAVEPOINT']);
export type CheckpointKind = z.infer<typeof CheckpointKind>;

export const CheckpointInfoDto = z.object({
  checkpointId: z.number().int().positive(),
  jobId: z.string(),
  status: CheckpointStatus,
  kind: CheckpointKind,
  attempt: z.number().int().nonnegative(),
  triggerTime: Timestamp,
  completionTime: Timestamp.nullable(),
  durationMs: z.number().int().nonnegative().nullable(),
  sizeBytes: z.number().int().nonnegative(),
  acknowledged: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  failureReason: z.string().nullable(),
  reason: z.string().describe('why it was taken: periodic, manual, stop, scale'),
});
export type CheckpointInfoDto = z.infer<typeof CheckpointInfoDto>;

export const CheckpointTaskAckDto = z.object({
  vertexId: z.string(),
  subtaskIndex: z.number().int().nonnegative(),
  acknowledged: z.boolean(),
  ackTime: Timestamp.nullable(),
  stateSizeBytes: z.number().int().nonnegative(),
});
export type CheckpointTaskAckDto = z.infer<typeof CheckpointTaskAckDto>;

export const CheckpointDetailDto = CheckpointInfoDto.extend({
  tasks: z.array(CheckpointTaskAckDto),
});
export type CheckpointDetailDto = z.infer<typeof CheckpointDetailDto>;

export const CheckpointListQuery = PageQuery.extend({
  status: CheckpointStatus.optional(),
});
export type CheckpointListQuery = z.infer<typeof CheckpointListQuery>;
