import { describe, expect, it } from 'vitest';
import type { ElementTarget } from '../channels/DirectTarget';
import type { StreamElement } from '../channels/elements';
import { OutputRouter } from './OutputRouter';
import { TaskMetrics } from './TaskMetrics';

/** A target that keeps what it is written (a test double for a channel). */
class Recorder implements ElementTarget {
  readonly written: StreamElement[] = [];
  write(element: StreamElement): undefined {
    this.written.push(element);
    return undefined;
  }
}

describe('OutputRouter', () => {
  it('writes unkeyed records as one batch per flush and counts them when the batch leaves', () => {
    const target = new Recorder();
    const metrics = new TaskMetrics();
    const router = new OutputRouter([target], 'FORWARD', null, 128, metrics, () => {});
    router.emit(1);
    router.emit(2);
    expect(router.pending).toBe(2);
    expect(router.flush()).toBeUndefined();
    expect(metrics.recordsOut).toBe(2);
    router.emit(3);
    router.flush();
    expect(target.written).toEqual([
      { type: 'records', values: [1, 2], keys: null },
      { type: 'records', values: [3], keys: null },
    ]);
    expect(metrics.recordsOut).toBe(3);
    expect(router.pending).toBe(0);
  });

  it('sends keyed records to the target of their key group, keys alongside', () => {
    const targets = [new Recorder(), new Recorder()];
    const metrics = new TaskMetrics();
    const router = new OutputRouter(
      targets,
      'HASH',
      (v) => (v as { k: string }).k,
      128,
      metrics,
      () => {},
    );
    for (let i = 0; i < 20; i++) router.emit({ k: `k${i}` });
    router.flush();
    const batches = targets.flatMap((t) => t.written) as Array<{
      values: unknown[];
      keys: unknown[];
    }>;
    expect(batches.reduce((n, b) => n + b.values.length, 0)).toBe(20);
    for (const b of batches) expect(b.keys).toEqual(b.values.map((v) => (v as { k: string }).k));
    expect(metrics.recordsOut).toBe(20);
  });

  it('drops records when there is no target, and counts none', () => {
    const metrics = new TaskMetrics();
    const router = new OutputRouter([], 'FORWARD', null, 128, metrics, () => {});
    router.emit(1);
    expect(router.flush()).toBeUndefined();
    expect(metrics.recordsOut).toBe(0);
  });
});
