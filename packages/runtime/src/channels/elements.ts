/**
 * @module
 * What flows through channels: batches of records (keys alongside when the
 * edge is keyed), checkpoint barriers, and the end of input.
 */
import type { CheckpointKind } from '@flinknet/contracts';

export interface RecordBatch {
  readonly type: 'records';
  readonly values: unknown[];
  /** Keys of the values, same length; null on edges that are not keyed. */
  readonly keys: unknown[] | null;
}

export interface Barrier {
  readonly type: 'barrier';
  readonly checkpointId: number;
  readonly kind: CheckpointKind;
  readonly timestamp: number;
}

export interface EndOfInput {
  readonly type: 'end';
}

export type StreamElement = RecordBatch | Barrier | EndOfInput;

export const END_OF_INPUT: EndOfInput = Object.freeze({ type: 'end' });
