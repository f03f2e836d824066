import { describe, expect, it } from 'vitest';
import {
  accumulate,
  assignWindows,
  emptyAccumulator,
  mergeAccumulators,
  resultOf,
} from './windows';

describe('assignWindows', () => {
  it('puts a timestamp in one tumbling window aligned to the size', () => {
    expect(assignWindows({ assignerType: 'TumblingEventTime', sizeMs: 1000 }, 2500)).toEqual([
      { start: 2000, end: 3000 },
    ]);
    expect(assignWindows({ assignerType: 'TumblingEventTime', sizeMs: 1000 }, -1)).toEqual([
      { start: -1000, end: 0 },
    ]);
  });

  it('puts a timestamp in size/slide sliding windows', () => {
    expect(
      assignWindows({ assignerType: 'SlidingEventTime', sizeMs: 1000, slideMs: 250 }, 1100),
    ).toEqual([
      { start: 1000, end: 2000 },
      { start: 750, end: 1750 },
      { start: 500, end: 1500 },
      { start: 250, end: 1250 },
    ]);
  });

  it('opens a session window of the gap at the timestamp', () => {
    expect(assignWindows({ assignerType: 'EventTimeSession', gapMs: 300 }, 1000)).toEqual([
      { start: 1000, end: 1300 },
    ]);
  });
});

describe('accumulators', () => {
  it('compute count, sum, min, max and avg, and merge', () => {
    const a = emptyAccumulator({ start: 0, end: 10 });
    for (const v of [3, 9, 6]) accumulate(a, v);
    expect(['count', 'sum', 'min', 'max', 'avg'].map((agg) => resultOf(a, agg as never))).toEqual([
      3, 18, 3, 9, 6,
    ]);
    const b = emptyAccumulator({ start: 5, end: 20 });
    accumulate(b, 1);
    const merged = mergeAccumulators(a, b);
    expect(merged).toMatchObject({ start: 0, end: 20, count: 4, sum: 19, min: 1, max: 9 });
  });
});
