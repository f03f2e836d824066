/**
 * @module
 * The job a route or an action is about, or the 404 every one of them answers.
 */
import type { JobRecord, JobRepository } from '@flinknet/store';
import { NotFoundError } from './errors';

/** The stored job `jobId`; throws NotFoundError (404) when there is none. */
export function requireJob(store: JobRepository, jobId: string): JobRecord {
  const job = store.getJob(jobId);
  if (!job) throw new NotFoundError(`job ${jobId} not found`);
  return job;
}
