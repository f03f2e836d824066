/**
 * @module
 * Scalars shared by every DTO: ids, timestamps, cursors.
 */
import { z } from 'zod';

/** Flink's default max parallelism for key groups; the upper bound of any parallelism. */
export const MAX_PARALLELISM = 128;

/** Job ids are UUIDs (Flink.NET uses Guids); anything else in a path is a 400. */
export const JobId = z.uuid().describe('Job id (UUID)');
export type JobId = z.infer<typeof JobId>;

/** DLQ message ids are UUIDs as well. */
export const MessageId = z.uuid().describe('DLQ message id (UUID)');
export type MessageId = z.infer<typeof MessageId>;

/** Checkpoint ids count up from 1 within a job, as in Flink. */
export const CheckpointId = z.coerce
  .number()
  .int()
  .positive()
  .describe('Checkpoint id, counting up from 1 per job');
export type CheckpointId = z.infer<typeof CheckpointId>;

/** TaskManager ids are chosen by the TaskManager: short, URL-safe. */
export const TaskManagerId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'only letters, digits, ".", "_" and "-"');
export type TaskManagerId = z.infer<typeof TaskManagerId>;

/** ISO-8601 UTC timestamp string. */
export const Timestamp = z.iso.datetime({ offset: true }).describe('ISO-8601 UTC time');
export type Timestamp = z.infer<typeof Timestamp>;

/** Base64-encoded bytes (payload, newPayload). */
export const Base64 = z.base64().describe('base64-encoded bytes');

/** Page size of every list route. */
export const Limit = z.coerce.number().int().min(1).max(1000).default(50);

/** Query fields shared by every paged list: an opaque cursor from the previous `Link: rel="next"`. */
export const PageQuery = z.object({
  limit: Limit.optional(),
  cursor: z.string().max(512).optional().describe('opaque cursor from the previous page'),
});
export type PageQuery = z.infer<typeof PageQuery>;
