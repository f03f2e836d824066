import { describe, expect, it } from 'vitest';
import {
  ACTION_STATES,
  allowedActions,
  canTransition,
  isActionAllowed,
  isTerminal,
  JOB_STATES,
  JOB_TRANSITIONS,
} from './job-state';

describe('job state machine', () => {
  it('lets no terminal state go anywhere', () => {
    for (const state of ['FINISHED', 'CANCELED', 'FAILED'] as const) {
      expect(isTerminal(state)).toBe(true);
      expect(JOB_TRANSITIONS[state]).toEqual([]);
    }
  });

  it('reaches every state from CREATED', () => {
    const seen = new Set<string>(['CREATED']);
    const queue = ['CREATED' as const];
    for (let state = queue.shift(); state; state = queue.shift()) {
      for (const next of JOB_TRANSITIONS[state]) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next as never);
        }
      }
    }
    expect([...seen].sort()).toEqual([...JOB_STATES].sort());
  });

  it('follows Flink: RUNNING can stop, cancel, fail and restart but not go back to CREATED', () => {
    expect(canTransition('RUNNING', 'STOPPING')).toBe(true);
    expect(canTransition('RUNNING', 'CANCELLING')).toBe(true);
    expect(canTransition('RUNNING', 'FAILING')).toBe(true);
    expect(canTransition('RUNNING', 'CREATED')).toBe(false);
    expect(canTransition('CANCELLING', 'RUNNING')).toBe(false);
  });

  it('allows stop only while RUNNING and cancel in no terminal state', () => {
    expect(isActionAllowed('stop', 'RUNNING')).toBe(true);
    expect(isActionAllowed('stop', 'CREATED')).toBe(false);
    for (const state of ACTION_STATES.cancel) expect(isTerminal(state)).toBe(false);
    expect(allowedActions('FINISHED')).toEqual([]);
    expect(allowedActions('RUNNING')).toEqual([
      'stop',
      'cancel',
      'restart',
      'scale',
      'checkpoint',
      'resubmitDlq',
    ]);
    expect(allowedActions('CREATED')).toEqual(['cancel']);
  });
});
