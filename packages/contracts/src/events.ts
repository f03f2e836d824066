/**
 * @module
 * Job events as sent on the server-sent-events stream.
 */
import { z } from 'zod';
import { Timestamp } from './common';
import { JobState } from './job-state';

export const JobEventType = z.enum(['status', 'checkpoint', 'failure', 'log']);
export type JobEventType = z.infer<typeof JobEventType>;

export const JobEventDto = z.object({
  id: z.number().int().positive().describe('monotonic per server; the SSE id for Last-Event-ID'),
  jobId: z.string(),
  type: JobEventType,
  at: Timestamp,
  status: JobState.optional(),
  checkpointId: z.number().int().positive().optional(),
  checkpointStatus: z.string().optional(),
  message: z.string().optional(),
});
export type JobEventDto = z.infer<typeof JobEventDto>;
