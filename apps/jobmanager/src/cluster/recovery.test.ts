import { canTransition, JOB_STATES, type JobState } from '@flinknet/contracts';
import { describe, expect, it } from 'vitest';
import { recoveryPlan } from './recovery';

describe('recoveryPlan', () => {
  it('redeploys RUNNING, FAILING, STOPPING and RESTARTING jobs from their latest checkpoint', () => {
    for (const state of ['RUNNING', 'FAILING', 'STOPPING', 'RESTARTING'] as const) {
      const plan = recoveryPlan(state);
      expect(plan.restore).toBe('latest');
      expect(plan.transitions.at(-1)?.to ?? state).toBe('RESTARTING');
    }
  });

  it('keeps CREATED jobs waiting, completes cancels and leaves terminal jobs alone', () => {
    expect(recoveryPlan('CREATED')).toEqual({ transitions: [], restore: null });
    expect(recoveryPlan('CANCELLING').transitions.map((t) => t.to)).toEqual(['CANCELED']);
    for (const state of ['FINISHED', 'CANCELED', 'FAILED'] as const)
      expect(recoveryPlan(state)).toEqual({ transitions: [], restore: undefined });
  });

  it('only plans transitions the state machine allows', () => {
    for (const state of JOB_STATES) {
      let from: JobState = state;
      for (const { to } of recoveryPlan(state).transitions) {
        expect(canTransition(from, to), `${from} -> ${to}`).toBe(true);
        from = to;
      }
    }
  });
});
