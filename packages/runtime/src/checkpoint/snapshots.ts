/**
 * @module
 * The snapshot a subtask acknowledges for a checkpoint, and how snapshots of
 * an old deployment are dealt to the subtasks of a new one (rescale): keyed
 * state by key-group range, source splits by split range, and non-keyed
 * function state by old index modulo the new parallelism.
 */
import type { KeyedSnapshot } from '../state/KeyedStateBackend';
import type { TimerSnapshot } from '../state/Timers';

export const SNAPSHOT_VERSION = 1;

export interface SubtaskSnapshot {
  version: typeof SNAPSHOT_VERSION;
  /** Keyed state by key group (keyed steps). */
  keyed?: KeyedSnapshot;
  /** Timers by key group (keyed steps). */
  timers?: TimerSnapshot;
  /** The event-time watermark the subtask had reached. */
  watermark?: number;
  /** Non-keyed state returned by the function's snapshotState. */
  operator?: unknown;
  /** Source split states by split id. */
  splits?: Record<string, unknown>;
}

/** What one new subtask restores from the snapshots of all old subtasks of its vertex. */
export interface RestoredState {
  keyed: KeyedSnapshot[];
  timers: TimerSnapshot[];
  watermark: number;
  operator: unknown[];
  splits: Map<string, unknown>;
}

export class SnapshotFormatError extends Error {
  override readonly name = 'SnapshotFormatError';
}

/** Checks one stored snapshot's shape. */
export function parseSnapshot(raw: unknown, where: string): SubtaskSnapshot {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SnapshotFormatError(`snapshot of ${where} is not an object`);
  }
  const snapshot = raw as Partial<SubtaskSnapshot>;
  if (snapshot.version !== SNAPSHOT_VERSION) {
    throw new SnapshotFormatError(
      `snapshot of ${where} has version ${String(snapshot.version)}, expected ${SNAPSHOT_VERSION}`,
    );
  }
  for (const field of ['keyed', 'timers', 'splits'] as const) {
    const value = snapshot[field];
    if (
      value !== undefined &&
      (value === null || typeof value !== 'object' || Array.isArray(value))
    ) {
      throw new SnapshotFormatError(`snapshot of ${where}: ${field} must be an object`);
    }
  }
  return snapshot as SubtaskSnapshot;
}

/**
 * The part of `oldSnapshots` (indexed by old subtask index) that new subtask
 * `subtaskIndex` of `parallelism` takes over. Keyed state and timers are
 * passed whole and filtered by key-group range when loaded.
 */
export function restoredStateFor(
  oldSnapshots: readonly unknown[],
  vertexId: string,
  subtaskIndex: number,
  parallelism: number,
): RestoredState {
  const restored: RestoredState = {
    keyed: [],
    timers: [],
    watermark: Number.NEGATIVE_INFINITY,
    operator: [],
    splits: new Map(),
  };
  let watermark = Number.POSITIVE_INFINITY;
  oldSnapshots.forEach((raw, oldIndex) => {
    if (raw === null || raw === undefined) return;
    const snapshot = parseSnapshot(raw, `${vertexId}#${oldIndex}`);
    if (snapshot.keyed) restored.keyed.push(snapshot.keyed);
    if (snapshot.timers) restored.timers.push(snapshot.timers);
    if (typeof snapshot.watermark === 'number') watermark = Math.min(watermark, snapshot.watermark);
    if (snapshot.splits)
      for (const [id, state] of Object.entries(snapshot.splits)) restored.splits.set(id, state);
    if (oldIndex % parallelism === subtaskIndex && snapshot.operator !== undefined)
      restored.operator.push(snapshot.operator);
  });
  // The lowest old watermark: nothing is late that was not late before.
  if (Number.isFinite(watermark)) restored.watermark = watermark;
  return restored;
}
