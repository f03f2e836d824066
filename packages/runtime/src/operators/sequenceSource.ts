/**
 * @module
 * Source `sequence`: emits `{ seq, key: "k<seq % keys>", ts }` for seq = 0,
 * 1, ... (count? total, ratePerSecond? total, keys? cardinality). The sequence
 * is cut into maxParallelism splits (split j owns seq = j, j + S, j + 2S, ...),
 * so offsets rescale: a subtask restores whatever splits it is assigned.
 */
import type { Collector, PollResult, SourceDefinition } from '../api';
import { readProperties } from './properties';

export const sequenceSource: SourceDefinition = {
  operatorType: 'Source',
  typeName: 'sequence',
  description: 'Emits { seq, key, ts } records: count?, ratePerSecond?, keys?',
  splits: (ctx) => Array.from({ length: ctx.maxParallelism }, (_, i) => String(i)),
  create(ctx) {
    const props = readProperties(ctx.stepName, ctx.properties);
    const count = props.optionalInteger('count', 0) ?? Number.POSITIVE_INFINITY;
    const keys = props.optionalInteger('keys', 1) ?? 1;
    const rate = props.optionalNumber('ratePerSecond', 0.001);
    const splitCount = ctx.maxParallelism;
    // Pre-built key strings: no string concatenation per record for moderate cardinalities.
    const keyNames = keys <= 100_000 ? Array.from({ length: keys }, (_, i) => `k${i}`) : null;
    const splits = ctx.splits.map((split) => {
      const index = Number(split.id);
      const restored = split.state as { next?: unknown } | undefined;
      const next = typeof restored?.next === 'number' ? restored.next : index;
      return { id: split.id, next };
    });
    // Resume at the split that is furthest behind, so the emitted sequence stays a contiguous prefix.
    let cursor = 0;
    splits.forEach((split, i) => {
      if (split.next < splits[cursor]!.next) cursor = i;
    });
    const subtaskRate = rate === undefined ? undefined : rate / ctx.parallelism;
    let started = 0;
    let emitted = 0;
    return {
      open() {
        started = Date.now();
      },
      poll(out: Collector, max: number): PollResult {
        let budget = max;
        if (subtaskRate !== undefined) {
          const allowed = Math.floor(((Date.now() - started) / 1000) * subtaskRate) - emitted;
          if (allowed <= 0) return Math.max(1, Math.ceil(1000 / subtaskRate));
          budget = Math.min(budget, allowed);
        }
        const ts = Date.now();
        let live = splits.length;
        let produced = 0;
        // Round-robin over the splits so a single subtask emits seq in ascending order.
        while (produced < budget && live > 0) {
          live = 0;
          for (let s = 0; s < splits.length && produced < budget; s++) {
            const split = splits[(cursor + s) % splits.length]!;
            const seq = split.next;
            if (seq >= count) continue;
            live++;
            const k = seq % keys;
            out.emit({ seq, key: keyNames === null ? `k${k}` : keyNames[k], ts });
            split.next = seq + splitCount;
            produced++;
          }
        }
        cursor = (cursor + produced) % Math.max(1, splits.length);
        emitted += produced;
        if (produced === 0) return 'end';
        return 'more';
      },
      snapshotState() {
        const state: Record<string, unknown> = {};
        for (const split of splits) state[split.id] = { next: split.next };
        return state;
      },
    };
  },
};
