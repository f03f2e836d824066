/**
 * @module
 * Window assignment (pure): tumbling, sliding and session windows over a
 * timestamp, and the accumulator of the built-in aggregates.
 */
import type { WindowConfigDto } from '@flinknet/contracts';

export interface WindowSpan {
  start: number;
  end: number;
}

export type Aggregate = 'count' | 'sum' | 'min' | 'max' | 'avg';

/** What a window keeps: enough for every aggregate. */
export interface Accumulator {
  start: number;
  end: number;
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
}

function floorMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** The windows a timestamp belongs to (a session window is the record's own [ts, ts + gap)). */
export function assignWindows(windowing: WindowConfigDto, timestamp: number): WindowSpan[] {
  const type = windowing.assignerType;
  if (type.endsWith('Session')) return [{ start: timestamp, end: timestamp + windowing.gapMs! }];
  const size = windowing.sizeMs!;
  if (type.startsWith('Tumbling')) {
    const start = timestamp - floorMod(timestamp, size);
    return [{ start, end: start + size }];
  }
  const slide = windowing.slideMs!;
  const spans: WindowSpan[] = [];
  for (
    let start = timestamp - floorMod(timestamp, slide);
    start > timestamp - size;
    start -= slide
  ) {
    spans.push({ start, end: start + size });
  }
  return spans;
}

export function emptyAccumulator(span: WindowSpan): Accumulator {
  return { start: span.start, end: span.end, count: 0, sum: 0, min: null, max: null };
}

/** Adds one measurement (null for count-only). */
export function accumulate(acc: Accumulator, measurement: number | null): void {
  acc.count++;
  if (measurement === null) return;
  acc.sum += measurement;
  acc.min = acc.min === null ? measurement : Math.min(acc.min, measurement);
  acc.max = acc.max === null ? measurement : Math.max(acc.max, measurement);
}

/** Merges session windows: the union of spans and of what they accumulated. */
export function mergeAccumulators(a: Accumulator, b: Accumulator): Accumulator {
  return {
    start: Math.min(a.start, b.start),
    end: Math.max(a.end, b.end),
    count: a.count + b.count,
    sum: a.sum + b.sum,
    min: a.min === null ? b.min : b.min === null ? a.min : Math.min(a.min, b.min),
    max: a.max === null ? b.max : b.max === null ? a.max : Math.max(a.max, b.max),
  };
}

/** The aggregate's result for a window. */
export function resultOf(acc: Accumulator, aggregate: Aggregate): number | null {
  switch (aggregate) {
    case 'count':
      return acc.count;
    case 'sum':
      return acc.sum;
    case 'min':
      return acc.min;
    case 'max':
      return acc.max;
    case 'avg':
      return acc.count === 0 ? null : acc.sum / acc.count;
  }
}
