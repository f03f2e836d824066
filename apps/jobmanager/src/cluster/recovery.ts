/**
 * @module
 * What a starting JobManager does with each job the previous one left
 * behind: the transitions to record and whether the job then waits for slots
 * (and from which checkpoint). Pure, so the policy reads in one place.
 */
import type { JobState, LogLevel } from '@flinknet/contracts';

export interface RecoveryPlan {
  transitions: Array<{ to: JobState; reason: string; level: LogLevel }>;
  /** null: the job waits to deploy from scratch; 'latest': from its latest checkpoint; undefined: it does not wait. */
  restore: null | 'latest' | undefined;
}

const REDEPLOY = 'JobManager restarted; redeploying from the latest checkpoint';

/** The recovery of a job found in `state` at start. */
export function recoveryPlan(state: JobState): RecoveryPlan {
  switch (state) {
    case 'CREATED':
      return { transitions: [], restore: null };
    case 'CANCELLING':
      // Its tasks are gone or will be fenced out as zombies: the cancel has happened.
      return {
        transitions: [
          { to: 'CANCELED', reason: 'JobManager restarted while cancelling', level: 'INFO' },
        ],
        restore: undefined,
      };
    case 'STOPPING':
      return {
        transitions: [
          {
            to: 'RUNNING',
            reason: 'JobManager restarted while stopping; the stop is abandoned',
            level: 'WARN',
          },
          { to: 'RESTARTING', reason: REDEPLOY, level: 'INFO' },
        ],
        restore: 'latest',
      };
    case 'RUNNING':
    case 'FAILING':
      return {
        transitions: [{ to: 'RESTARTING', reason: REDEPLOY, level: 'INFO' }],
        restore: 'latest',
      };
    case 'RESTARTING':
      return { transitions: [], restore: 'latest' };
    default:
      return { transitions: [], restore: undefined };
  }
}
