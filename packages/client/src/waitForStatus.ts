/**
 * @module
 * Polls a job's status until it reaches one of the awaited states.
 */
import { isTerminal, JOB_STATES, type JobState, type JobStatusDto } from '@flinknet/contracts';
import { TimeoutError } from './errors/TimeoutError';
import { UnexpectedStatusError } from './errors/UnexpectedStatusError';
import { sleep } from './internals/sleep';
import type { CallOptions } from './types/options';

export interface WaitForStatusOptions {
  /** Give up after this many ms with a TimeoutError. Default 60000. */
  timeoutMs?: number;
  /** Time between two polls, in ms. Default 250. */
  intervalMs?: number;
  signal?: AbortSignal;
  /**
   * An extra condition on the status, e.g. `(s) => s.attempt > before.attempt`
   * to wait for the redeploy after a scale (the job is RUNNING before and after).
   */
  where?: (status: JobStatusDto) => boolean;
  /** Called with every status seen (progress output). */
  onStatus?: (status: JobStatusDto) => void;
}

type GetStatus = (jobId: string, options: CallOptions) => Promise<JobStatusDto>;

/** Validates the awaited states, so a typo fails at once instead of after the timeout. */
export function toStates(states: JobState | readonly JobState[]): JobState[] {
  const list = typeof states === 'string' ? [states] : [...states];
  if (list.length === 0) throw new TypeError('waitForStatus: give at least one state');
  for (const state of list) {
    if (!(JOB_STATES as readonly string[]).includes(state)) {
      throw new TypeError(
        `waitForStatus: unknown state ${JSON.stringify(state)} (one of ${JOB_STATES.join(', ')})`,
      );
    }
  }
  return list;
}

/**
 * Resolves with the job's status once it is in one of `states`; rejects with
 * UnexpectedStatusError when the job ends in another state, TimeoutError when
 * `timeoutMs` runs out.
 */
export async function waitForStatus(
  getStatus: GetStatus,
  jobId: string,
  states: JobState | readonly JobState[],
  options: WaitForStatusOptions = {},
): Promise<JobStatusDto> {
  const wanted = toStates(states);
  const { timeoutMs = 60_000, intervalMs = 250, signal, onStatus, where } = options;
  const deadline = Date.now() + timeoutMs;
  let last: JobStatusDto | undefined;
  const timeout = () => {
    const seen = last ? ` (last seen ${last.status})` : '';
    return new TimeoutError(
      `waiting for job ${jobId} to be ${wanted.join(' or ')}${seen}`,
      timeoutMs,
    );
  };
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw timeout();
    try {
      last = await getStatus(jobId, { signal, timeoutMs: remaining });
    } catch (error) {
      if (error instanceof TimeoutError) throw timeout();
      throw error;
    }
    onStatus?.(last);
    if (wanted.includes(last.status) && (where === undefined || where(last))) return last;
    if (isTerminal(last.status)) throw new UnexpectedStatusError(last, wanted);
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())), signal);
  }
}
