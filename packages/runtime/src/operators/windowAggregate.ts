/**
 * @module
 * Operator `window-aggregate`: per key, tumbling / sliding / session windows
 * in processing or event time (the step's `windowing`), aggregating count,
 * sum, min, max or avg of `field`; emits `{ key, windowStart, windowEnd,
 * value }` when a window closes. Windows and their timers live in keyed
 * state, so they survive restore and rescale; end of input (finish) fires
 * every open window, as Flink does on stop-with-drain.
 *
 * Event time: the timestamp is `timestampField` (default `ts`, epoch ms or
 * ISO string); the watermark is the highest timestamp the subtask has seen.
 * A window fires when the watermark reaches its end and is kept for
 * `allowedLatenessMs` more: a late record in it fires an updated result;
 * records later than that are dropped (counted in the log).
 */
import type { Collector, OperatorFunctionDefinition, TimeDomain } from '../api';
import { RecordRejectedError } from '../expressions/compileExpression';
import { readProperties } from './properties';
import {
  type Accumulator,
  type Aggregate,
  accumulate,
  assignWindows,
  emptyAccumulator,
  mergeAccumulators,
  resultOf,
} from './windows';

const WINDOWS_STATE = 'window-aggregate.windows';

export const windowAggregateOperator: OperatorFunctionDefinition = {
  operatorType: 'Operator',
  typeName: 'window-aggregate',
  description:
    'Keyed windows (tumbling, sliding, session; processing or event time) with count/sum/min/max/avg',
  create(ctx) {
    const props = readProperties(ctx.stepName, ctx.properties);
    const aggregate = props.oneOf<Aggregate>(
      'aggregate',
      ['count', 'sum', 'min', 'max', 'avg'],
      'count',
    );
    const field = props.optionalString('field');
    const windowing = ctx.step.windowing;
    if (!windowing)
      throw new Error(`step "${ctx.stepName}": window-aggregate needs the step's windowing`);
    if (!ctx.keyed) {
      throw new Error(
        `step "${ctx.stepName}": window-aggregate needs keyed input (a key-by step before it, or outputKeying on this step)`,
      );
    }
    const eventTime = windowing.assignerType.includes('EventTime');
    const session = windowing.assignerType.endsWith('Session');
    const lateness = eventTime ? (windowing.allowedLatenessMs ?? 0) : 0;
    const timestampField = windowing.timestampField ?? 'ts';
    const domain: TimeDomain = eventTime ? 'event' : 'processing';
    const windows = ctx.state.map<Accumulator>(WINDOWS_STATE);
    const timers = ctx.timers;
    let dropped = 0;

    // Event-time windows fire at their last millisecond (Flink's maxTimestamp); processing-time ones at their end.
    const fireTime = (acc: Accumulator) => (eventTime ? acc.end - 1 : acc.end);
    const cleanupTime = (acc: Accumulator) => fireTime(acc) + lateness;

    const measure = (value: unknown): number | null => {
      if (aggregate === 'count') return null;
      const raw = field === undefined ? value : (value as Record<string, unknown> | null)?.[field];
      if (
        field !== undefined &&
        (value === null || typeof value !== 'object' || !Object.hasOwn(value, field))
      ) {
        throw new RecordRejectedError(`record has no field "${field}" to ${aggregate}`);
      }
      if (typeof raw !== 'number' || !Number.isFinite(raw)) {
        throw new RecordRejectedError(
          `${aggregate} needs a number${field ? ` in "${field}"` : ''}, got ${JSON.stringify(raw)}`,
        );
      }
      return raw;
    };

    const timestampOf = (value: unknown): number => {
      if (!eventTime) return Date.now();
      const raw =
        value !== null && typeof value === 'object' && Object.hasOwn(value, timestampField)
          ? (value as Record<string, unknown>)[timestampField]
          : undefined;
      const ts =
        typeof raw === 'number' ? raw : typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
      if (!Number.isFinite(ts))
        throw new RecordRejectedError(`record has no event time in "${timestampField}"`);
      return Math.floor(ts);
    };

    const emit = (key: unknown, acc: Accumulator, out: Collector) => {
      out.emit({
        key,
        windowStart: acc.start,
        windowEnd: acc.end,
        value: resultOf(acc, aggregate),
      });
    };

    const schedule = (acc: Accumulator) => {
      if (domain === 'event') {
        timers.registerEventTimeTimer(fireTime(acc));
        if (lateness > 0) timers.registerEventTimeTimer(cleanupTime(acc));
      } else timers.registerProcessingTimeTimer(fireTime(acc));
    };
    const unschedule = (acc: Accumulator) => {
      if (domain === 'event') {
        timers.deleteEventTimeTimer(fireTime(acc));
        if (lateness > 0) timers.deleteEventTimeTimer(cleanupTime(acc));
      } else timers.deleteProcessingTimeTimer(fireTime(acc));
    };

    return {
      processRecord(value, key, out) {
        const measurement = measure(value);
        const ts = timestampOf(value);
        const watermark = timers.currentWatermark();
        for (const span of assignWindows(windowing, ts)) {
          let acc = emptyAccumulator(span);
          if (eventTime && cleanupTime(acc) <= watermark && !session) {
            if (dropped++ === 0)
              ctx.log(
                'WARN',
                `late record dropped by "${ctx.stepName}" (window ${span.start}-${span.end} already closed); further drops are only counted`,
              );
            continue;
          }
          if (session) {
            // Merge every session this one overlaps into one.
            for (const [id, existing] of windows.entries()) {
              if (existing.start < acc.end && acc.start < existing.end) {
                acc = mergeAccumulators(existing, acc);
                unschedule(existing);
                windows.delete(id);
              }
            }
            accumulate(acc, measurement);
            windows.set(String(acc.start), acc);
            schedule(acc);
            continue;
          }
          const id = String(span.start);
          const existing = windows.get(id);
          if (existing) acc = existing;
          else schedule(acc);
          accumulate(acc, measurement);
          if (!existing) windows.set(id, acc);
          // Late but within the allowed lateness: fire the updated result now.
          if (eventTime && fireTime(acc) <= watermark) emit(key, acc, out);
        }
        if (eventTime) timers.advanceWatermark(ts);
      },
      onTimer(timestamp, _domain, key, out) {
        for (const [id, acc] of windows.entries()) {
          if (fireTime(acc) === timestamp) emit(key, acc, out);
          if (cleanupTime(acc) <= timestamp) windows.delete(id);
        }
      },
      close() {
        if (dropped > 1) ctx.log('WARN', `"${ctx.stepName}" dropped ${dropped} late records`);
      },
    };
  },
};
