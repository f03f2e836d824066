/**
 * @module
 * LogEntryDto: a job's log, from transitions, failures and TaskManager lines.
 */
import { z } from 'zod';
import { PageQuery, Timestamp } from './common';

export const LogLevel = z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']);
export type LogLevel = z.infer<typeof LogLevel>;

export const LogEntryDto = z.object({
  id: z.number().int().positive(),
  jobId: z.string(),
  timestamp: Timestamp,
  level: LogLevel,
  source: z.string().describe('jobmanager, or the TaskManager and subtask that logged it'),
  message: z.string(),
});
export type LogEntryDto = z.infer<typeof LogEntryDto>;

export const LogListQuery = PageQuery.extend({
  level: LogLevel.optional().describe('this level and above'),
  since: Timestamp.optional().describe('entries at or after this time'),
});
export type LogListQuery = z.infer<typeof LogListQuery>;
