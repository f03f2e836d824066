/**
 * @module
 * The baseline of the pipeline measure: a hand-written loop that makes the
 * records the `sequence` source makes and applies the same map and filter
 * (written as plain JavaScript, or as the compiled expressions), then drops
 * them as the `discard` sink does.
 */
import { compileExpression } from '@flinknet/runtime';
import { PIPELINE_FILTER, PIPELINE_MAP } from '../jobDefinitions';

export interface LoopResult {
  records: number;
  kept: number;
  ms: number;
}

/** Records per batch, as a source poll hands them over; the stop check runs once per batch. */
const BATCH = 1024;

/**
 * Runs the loop for about `seconds` and counts the records that went through
 * map and filter. `expressions: 'js'` is the hand-written loop (the issue's
 * baseline); `'compiled'` evaluates the job's own expressions in the same
 * loop, to split engine cost from expression cost.
 */
export function runHandLoop(seconds: number, expressions: 'js' | 'compiled'): LoopResult {
  const keys = Array.from({ length: 100 }, (_, i) => `k${i}`);
  const compiledMap = compileExpression(PIPELINE_MAP);
  const compiledFilter = compileExpression(PIPELINE_FILTER);
  const map =
    expressions === 'js'
      ? (value: { seq: number; key: string }) => ({
          seq: value.seq,
          key: value.key,
          double: value.seq * 2,
        })
      : (value: unknown) => compiledMap(value);
  const filter =
    expressions === 'js'
      ? (value: { seq: number }) => value.seq % 3 !== 0
      : (value: unknown) => compiledFilter(value) === true;
  let kept = 0;
  let seq = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  // Batches are real arrays, as records are between the runtime's steps: a
  // loop whose records never leave a register would let V8 optimise them away.
  do {
    const ts = Date.now();
    const batch: Array<{ seq: number; key: string; ts: number }> = [];
    for (let i = 0; i < BATCH; i++, seq++) batch.push({ seq, key: keys[seq % 100]!, ts });
    const mapped = batch.map(map as (v: unknown) => unknown);
    const passed = mapped.filter(filter as (v: unknown) => boolean);
    kept += discard(passed);
  } while (performance.now() < deadline);
  return { records: seq, kept, ms: performance.now() - started };
}

/** The discard sink: counts and drops a batch. */
function discard(batch: readonly unknown[]): number {
  return batch.length;
}
