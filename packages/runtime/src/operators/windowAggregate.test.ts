import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPipeline, tempDir } from '../test-support/jobFixture';

let dir: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.remove();
});

const keyBy = {
  name: 'by-user',
  operatorType: 'Operator',
  typeName: 'key-by',
  outputKeying: { serializedKeySelector: 'field:user' },
} as const;
const byWindow = (
  a: { key: string; windowStart: number },
  b: { key: string; windowStart: number },
) => a.key.localeCompare(b.key) || a.windowStart - b.windowStart;

describe('window-aggregate', () => {
  it('sums per key in tumbling event-time windows', async () => {
    const records = [
      { user: 'a', ts: 100, amount: 1 },
      { user: 'b', ts: 200, amount: 10 },
      { user: 'a', ts: 900, amount: 2 },
      { user: 'a', ts: 1100, amount: 4 },
      { user: 'b', ts: 2500, amount: 20 },
    ];
    const { output } = await runPipeline(dir.path, records, [
      keyBy,
      {
        name: 'sum',
        operatorType: 'Operator',
        typeName: 'window-aggregate',
        parallelism: 2,
        windowing: { assignerType: 'TumblingEventTime', sizeMs: 1000 },
        operatorProperties: { aggregate: 'sum', field: 'amount' },
      },
    ]);
    expect((output as never[]).sort(byWindow)).toEqual([
      { key: 'a', windowStart: 0, windowEnd: 1000, value: 3 },
      { key: 'a', windowStart: 1000, windowEnd: 2000, value: 4 },
      { key: 'b', windowStart: 0, windowEnd: 1000, value: 10 },
      { key: 'b', windowStart: 2000, windowEnd: 3000, value: 20 },
    ]);
  });

  it('averages in sliding windows', async () => {
    const records = [
      { user: 'a', ts: 100, amount: 2 },
      { user: 'a', ts: 600, amount: 4 },
    ];
    const { output } = await runPipeline(dir.path, records, [
      keyBy,
      {
        name: 'avg',
        operatorType: 'Operator',
        typeName: 'window-aggregate',
        windowing: { assignerType: 'SlidingEventTime', sizeMs: 1000, slideMs: 500 },
        operatorProperties: { aggregate: 'avg', field: 'amount' },
      },
    ]);
    expect((output as never[]).sort(byWindow)).toEqual([
      { key: 'a', windowStart: -500, windowEnd: 500, value: 2 },
      { key: 'a', windowStart: 0, windowEnd: 1000, value: 3 },
      { key: 'a', windowStart: 500, windowEnd: 1500, value: 4 },
    ]);
  });

  it('merges session windows separated by less than the gap', async () => {
    const records = [
      { user: 'a', ts: 0, amount: 1 },
      { user: 'a', ts: 200, amount: 5 },
      { user: 'a', ts: 1000, amount: 7 },
      { user: 'b', ts: 100, amount: 3 },
    ];
    const { output } = await runPipeline(dir.path, records, [
      keyBy,
      {
        name: 'max',
        operatorType: 'Operator',
        typeName: 'window-aggregate',
        windowing: { assignerType: 'EventTimeSession', gapMs: 300 },
        operatorProperties: { aggregate: 'max', field: 'amount' },
      },
    ]);
    expect((output as never[]).sort(byWindow)).toEqual([
      { key: 'a', windowStart: 0, windowEnd: 500, value: 5 },
      { key: 'a', windowStart: 1000, windowEnd: 1300, value: 7 },
      { key: 'b', windowStart: 100, windowEnd: 400, value: 3 },
    ]);
  });

  it('drops records later than the allowed lateness and re-fires windows for records within it', async () => {
    const records = [
      { user: 'a', ts: 100 },
      { user: 'a', ts: 1500 }, // watermark 1500: window [0, 1000) fires with 1
      { user: 'a', ts: 900 }, // late but within 600 ms lateness: fires again with 2
      { user: 'a', ts: 2000 }, // watermark 2000: [0, 1000) is cleaned up at 999 + 600
      { user: 'a', ts: 50 }, // too late: dropped
    ];
    const { output, hooks } = await runPipeline(dir.path, records, [
      keyBy,
      {
        name: 'count',
        operatorType: 'Operator',
        typeName: 'window-aggregate',
        windowing: { assignerType: 'TumblingEventTime', sizeMs: 1000, allowedLatenessMs: 600 },
        operatorProperties: { aggregate: 'count' },
      },
    ]);
    expect(output).toEqual([
      { key: 'a', windowStart: 0, windowEnd: 1000, value: 1 },
      { key: 'a', windowStart: 0, windowEnd: 1000, value: 2 },
      { key: 'a', windowStart: 1000, windowEnd: 2000, value: 1 },
      { key: 'a', windowStart: 2000, windowEnd: 3000, value: 1 },
    ]);
    expect(hooks.logs.some((l) => /late record dropped/.test(l.message))).toBe(true);
  });

  it('fires open processing-time windows at the end of input', async () => {
    const records = Array.from({ length: 30 }, (_, i) => ({ user: `u${i % 3}` }));
    const { output } = await runPipeline(dir.path, records, [
      keyBy,
      {
        name: 'count',
        operatorType: 'Operator',
        typeName: 'window-aggregate',
        windowing: { assignerType: 'TumblingProcessingTime', sizeMs: 3_600_000 },
        operatorProperties: { aggregate: 'count' },
      },
    ]);
    expect(
      (output as Array<{ key: string; value: number }>).map((r) => [r.key, r.value]).sort(),
    ).toEqual([
      ['u0', 10],
      ['u1', 10],
      ['u2', 10],
    ]);
  });

  it('sends a record without the aggregated field to the DLQ', async () => {
    const { output, hooks } = await runPipeline(
      dir.path,
      [
        { user: 'a', ts: 1, amount: 2 },
        { user: 'a', ts: 2 },
      ],
      [
        keyBy,
        {
          name: 'sum',
          operatorType: 'Operator',
          typeName: 'window-aggregate',
          windowing: { assignerType: 'TumblingEventTime', sizeMs: 10 },
          operatorProperties: { aggregate: 'sum', field: 'amount' },
        },
      ],
      { errorTolerance: 'all' },
    );
    expect(output).toEqual([{ key: 'a', windowStart: 0, windowEnd: 10, value: 2 }]);
    expect(hooks.dlq.map((d) => [d.stepName, d.errorMessage])).toEqual([
      ['sum', 'record has no field "amount" to sum'],
    ]);
  });
});
