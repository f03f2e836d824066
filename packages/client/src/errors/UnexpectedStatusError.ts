/**
 * @module
 * `waitForStatus` saw the job end in a state the caller was not waiting for.
 */
import type { JobStatusDto } from '@flinknet/contracts';
import { FlinkNetClientError } from './FlinkNetClientError';

/** The job reached a terminal state outside the awaited ones (e.g. FAILED while waiting for RUNNING). */
export class UnexpectedStatusError extends FlinkNetClientError {
  /** The job's status when the wait gave up. */
  readonly jobStatus: JobStatusDto;
  readonly expected: readonly string[];

  constructor(jobStatus: JobStatusDto, expected: readonly string[]) {
    const because = jobStatus.errorMessage ? ` (${jobStatus.errorMessage})` : '';
    super(`job ${jobStatus.jobId} is ${jobStatus.status}${because}, not ${expected.join(' or ')}`);
    this.jobStatus = jobStatus;
    this.expected = expected;
  }
}
