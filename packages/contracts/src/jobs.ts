/**
 * @module
 * Job read models: JobStatusDto, JobOverviewDto, job detail, and the bodies of
 * the job actions (restart, scale).
 */
import { z } from 'zod';
import { CheckpointId, JobId, MAX_PARALLELISM, PageQuery, Timestamp } from './common';
import { JobDefinitionDto } from './job-definition';
import { JobGraphDto } from './job-graph';
import { JobAction, JobState } from './job-state';

/** Status of one job; what every job action answers. */
export const JobStatusDto = z.object({
  jobId: JobId,
  jobName: z.string(),
  status: JobState,
  attempt: z.number().int().nonnegative().describe('deployment attempt, +1 on every (re)deploy'),
  restartCount: z.number().int().nonnegative(),
  errorMessage: z.string().nullable(),
  lastCheckpointId: z.number().int().positive().nullable(),
  allowedActions: z.array(JobAction),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type JobStatusDto = z.infer<typeof JobStatusDto>;

/** One row of `GET /api/jobmanager/jobs`. */
export const JobOverviewDto = z.object({
  jobId: JobId,
  jobName: z.string(),
  status: JobState,
  parallelism: z.number().int().positive().describe('highest parallelism of any vertex'),
  tasksTotal: z.number().int().nonnegative(),
  createdAt: Timestamp,
  startTime: Timestamp.nullable(),
  endTime: Timestamp.nullable(),
  durationMs: z.number().int().nonnegative().nullable(),
});
export type JobOverviewDto = z.infer<typeof JobOverviewDto>;

export const JobTransitionDto = z.object({
  from: JobState.nullable(),
  to: JobState,
  reason: z.string(),
  at: Timestamp,
});
export type JobTransitionDto = z.infer<typeof JobTransitionDto>;

/** `GET /api/jobmanager/jobs/{jobId}`: definition, graph, status and history. */
export const JobDetailDto = JobStatusDto.extend({
  definition: JobDefinitionDto.describe('the definition as normalised at submit'),
  jobGraph: JobGraphDto,
  startTime: Timestamp.nullable(),
  endTime: Timestamp.nullable(),
  transitions: z.array(JobTransitionDto),
});
export type JobDetailDto = z.infer<typeof JobDetailDto>;

/** Filters of the job list. */
export const JobListQuery = PageQuery.extend({
  status: z
    .union([JobState, z.string().regex(/^[A-Z]+(,[A-Z]+)*$/)])
    .optional()
    .describe('one state or a comma-separated list'),
  name: z.string().max(200).optional().describe('substring of the job name'),
});
export type JobListQuery = z.infer<typeof JobListQuery>;

/** Body of `POST .../restart` (optional): which completed checkpoint to restore. */
export const RestartRequestDto = z.strictObject({
  checkpointId: CheckpointId.optional().describe('default: the latest completed checkpoint'),
});
export type RestartRequestDto = z.infer<typeof RestartRequestDto>;

/** Body of `PUT .../scale`: one step (operatorName) or all of them. */
export const ScaleParametersDto = z.strictObject({
  operatorName: z.string().min(1).max(100).optional().describe('default: every step'),
  desiredParallelism: z.number().int().min(1).max(MAX_PARALLELISM),
});
export type ScaleParametersDto = z.infer<typeof ScaleParametersDto>;

/** Body of `POST .../stop` (optional). */
export const StopRequestDto = z.strictObject({
  drain: z.boolean().optional().describe('reserved; stop always takes a final checkpoint'),
});
export type StopRequestDto = z.infer<typeof StopRequestDto>;
