/**
 * @module
 * VertexMetricsDto: throughput per vertex and per subtask.
 */
import { z } from 'zod';
import { Timestamp } from './common';

export const SubtaskMetricsDto = z.object({
  subtaskIndex: z.number().int().nonnegative(),
  taskManagerId: z.string().nullable(),
  status: z.string(),
  recordsIn: z.number().int().nonnegative(),
  recordsOut: z.number().int().nonnegative(),
  recordsInPerSecond: z.number().nonnegative(),
  recordsOutPerSecond: z.number().nonnegative(),
  backpressureRatio: z.number().min(0).max(1),
  stateSizeBytes: z.number().int().nonnegative(),
  dlqRecords: z.number().int().nonnegative(),
  updatedAt: Timestamp.nullable(),
});
export type SubtaskMetricsDto = z.infer<typeof SubtaskMetricsDto>;

export const VertexMetricsDto = z.object({
  vertexId: z.string(),
  vertexName: z.string(),
  parallelism: z.number().int().positive(),
  recordsIn: z.number().int().nonnegative(),
  recordsOut: z.number().int().nonnegative(),
  recordsInPerSecond: z.number().nonnegative(),
  recordsOutPerSecond: z.number().nonnegative(),
  backpressureRatio: z.number().min(0).max(1),
  stateSizeBytes: z.number().int().nonnegative(),
  subtasks: z.array(SubtaskMetricsDto),
});
export type VertexMetricsDto = z.infer<typeof VertexMetricsDto>;
