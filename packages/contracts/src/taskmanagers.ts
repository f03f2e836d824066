/**
 * @module
 * TaskManagerInfo and the cluster overview.
 */
import { z } from 'zod';
import { Timestamp } from './common';

export const TaskManagerState = z.enum(['ACTIVE', 'LOST', 'STOPPED']);
export type TaskManagerState = z.infer<typeof TaskManagerState>;

export const TaskManagerInfo = z.object({
  taskManagerId: z.string(),
  address: z.string(),
  version: z.string(),
  state: TaskManagerState,
  slotsTotal: z.number().int().nonnegative(),
  slotsFree: z.number().int().nonnegative(),
  operators: z
    .array(z.string())
    .describe('operators offered, as `<OperatorType>:<typeName>` (e.g. `Source:sequence`)'),
  registeredAt: Timestamp,
  lastHeartbeat: Timestamp,
  heartbeatAgeMs: z.number().int().nonnegative(),
});
export type TaskManagerInfo = z.infer<typeof TaskManagerInfo>;

export const ClusterOverviewDto = z.object({
  taskManagers: z.number().int().nonnegative(),
  slotsTotal: z.number().int().nonnegative(),
  slotsAvailable: z.number().int().nonnegative(),
  jobsRunning: z.number().int().nonnegative(),
  jobsFinished: z.number().int().nonnegative(),
  jobsCanceled: z.number().int().nonnegative(),
  jobsFailed: z.number().int().nonnegative(),
  jobsByState: z.record(z.string(), z.number().int().nonnegative()),
  version: z.string(),
});
export type ClusterOverviewDto = z.infer<typeof ClusterOverviewDto>;
