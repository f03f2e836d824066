/**
 * @module
 * The job state machine as data (Flink's state names), shared by the server,
 * the SDK and the dashboard so that all of them agree on what is legal.
 */
import { z } from 'zod';

export const JOB_STATES = [
  'CREATED',
  'RUNNING',
  'STOPPING',
  'FINISHED',
  'CANCELLING',
  'CANCELED',
  'FAILING',
  'FAILED',
  'RESTARTING',
] as const;
export const JobState = z.enum(JOB_STATES);
export type JobState = z.infer<typeof JobState>;

/** States a job never leaves. */
export const TERMINAL_STATES: readonly JobState[] = ['FINISHED', 'CANCELED', 'FAILED'];

/** Allowed transitions: from -> the states it may move to. */
export const JOB_TRANSITIONS: Readonly<Record<JobState, readonly JobState[]>> = {
  CREATED: ['RUNNING', 'CANCELLING', 'CANCELED', 'FAILED'],
  RUNNING: ['STOPPING', 'CANCELLING', 'FAILING', 'RESTARTING', 'FINISHED'],
  STOPPING: ['FINISHED', 'FAILING', 'CANCELLING', 'RUNNING'],
  FINISHED: [],
  CANCELLING: ['CANCELED'],
  CANCELED: [],
  FAILING: ['RESTARTING', 'FAILED', 'CANCELLING'],
  FAILED: [],
  RESTARTING: ['CREATED', 'RUNNING', 'CANCELLING', 'FAILED'],
};

export const JOB_ACTIONS = [
  'stop',
  'cancel',
  'restart',
  'scale',
  'checkpoint',
  'resubmitDlq',
] as const;
export const JobAction = z.enum(JOB_ACTIONS);
export type JobAction = z.infer<typeof JobAction>;

/**
 * In which states a user action is legal. Terminal states stay terminal, as in
 * Flink: a finished, canceled or failed job is brought back by submitting it
 * again, not by restarting it.
 */
export const ACTION_STATES: Readonly<Record<JobAction, readonly JobState[]>> = {
  stop: ['RUNNING'],
  cancel: ['CREATED', 'RUNNING', 'STOPPING', 'FAILING', 'RESTARTING'],
  restart: ['RUNNING'],
  scale: ['RUNNING'],
  checkpoint: ['RUNNING'],
  resubmitDlq: ['RUNNING'],
};

/** True when a job may move from `from` to `to`. */
export function canTransition(from: JobState, to: JobState): boolean {
  return JOB_TRANSITIONS[from].includes(to);
}

/** True when `action` is legal for a job in `state`. */
export function isActionAllowed(action: JobAction, state: JobState): boolean {
  return ACTION_STATES[action].includes(state);
}

/** True for FINISHED, CANCELED and FAILED. */
export function isTerminal(state: JobState): boolean {
  return TERMINAL_STATES.includes(state);
}

/** The actions a job in `state` offers, for UIs and `409` bodies. */
export function allowedActions(state: JobState): JobAction[] {
  return JOB_ACTIONS.filter((action) => isActionAllowed(action, state));
}
