import { describe, expect, it } from 'vitest';
import type { SourceContext } from '../api';
import { subtaskForIndex } from '../keyGroups';
import { sequenceSource } from './sequenceSource';

/** A bare context for driving the source function directly (unit test). */
function contextFor(
  subtaskIndex: number,
  parallelism: number,
  properties: Record<string, unknown>,
  restored = new Map<string, unknown>(),
): SourceContext {
  const base = {
    stepName: 'seq',
    subtaskIndex,
    parallelism,
    maxParallelism: 128,
    properties,
  } as unknown as SourceContext;
  const all = sequenceSource.splits(base) as string[];
  const splits = all
    .filter((_, i) => subtaskForIndex(i, all.length, parallelism) === subtaskIndex)
    .map((id) => ({ id, state: restored.get(id) }));
  return { ...base, splits };
}

function drain(ctx: SourceContext, limit = Number.POSITIVE_INFINITY) {
  const fn = sequenceSource.create(ctx);
  const out: Array<{ seq: number; key: string }> = [];
  while (
    out.length < limit &&
    fn.poll({ emit: (v) => out.push(v as never) }, Math.min(100, limit - out.length)) === 'more'
  );
  return { out, fn };
}

describe('sequence source', () => {
  it('emits { seq, key: "k<seq % keys>", ts } in order on one subtask', () => {
    const { out } = drain(contextFor(0, 1, { count: 300, keys: 7 }));
    expect(out.map((r) => r.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(out[10]).toMatchObject({ seq: 10, key: 'k3' });
    expect(typeof (out[0] as unknown as { ts: number }).ts).toBe('number');
  });

  it('emits every seq exactly once across subtasks', () => {
    const seqs = [0, 1, 2].flatMap((i) =>
      drain(contextFor(i, 3, { count: 1000 })).out.map((r) => r.seq),
    );
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('resumes from snapshotted split offsets at another parallelism without gaps or repeats', () => {
    const before = [0, 1].map((i) => drain(contextFor(i, 2, { count: 5000 }), 700 + i * 300));
    const offsets = new Map<string, unknown>();
    for (const { fn } of before)
      for (const [id, state] of Object.entries(fn.snapshotState())) offsets.set(id, state);
    const after = [0, 1, 2].map((i) => drain(contextFor(i, 3, { count: 5000 }, offsets)).out);
    const seqs = [...before.flatMap((b) => b.out), ...after.flat()]
      .map((r) => r.seq)
      .sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });

  it('refuses a negative count', () => {
    expect(() => sequenceSource.create(contextFor(0, 1, { count: -1 }))).toThrow(
      /operatorProperties.count/,
    );
  });
});
