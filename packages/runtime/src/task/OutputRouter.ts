/**
 * @module
 * The output side of a subtask: buffers emitted records into batches per
 * target channel (FORWARD to the same index, REBALANCE round-robin by batch,
 * HASH by key group) and writes them, waiting only when a channel is full.
 */
import type { ShipStrategy } from '@flinknet/contracts';
import type { Collector } from '../api';
import type { ElementTarget } from '../channels/DirectTarget';
import type { StreamElement } from '../channels/elements';
import type { KeySelector } from '../expressions/keySelector';
import { keyGroupOf, operatorIndexForKeyGroup } from '../keyGroups';
import type { TaskMetrics } from './TaskMetrics';

/** Records per batch; large enough to amortise channel hand-offs, small enough for latency. */
export const BATCH_SIZE = 1024;

interface Buffer {
  values: unknown[];
  keys: unknown[] | null;
}

export class OutputRouter implements Collector {
  private readonly buffers: Buffer[];
  private roundRobin = 0;
  /** The open batch of an unkeyed edge, or null (keyed, or no targets): one push per record on the hot path. */
  private open: unknown[] | null;

  constructor(
    private readonly targets: ElementTarget[],
    private readonly strategy: ShipStrategy,
    private readonly keySelector: KeySelector | null,
    private readonly maxParallelism: number,
    private readonly metrics: TaskMetrics,
    /** Called for a record whose key cannot be computed: it belongs to the emitting step. */
    private readonly onKeyError: (value: unknown, error: unknown) => void,
  ) {
    const hashed = strategy === 'HASH';
    this.buffers = hashed
      ? targets.map(() => ({ values: [], keys: [] }))
      : [{ values: [], keys: null }];
    this.open = targets.length > 0 && keySelector === null ? this.buffers[0]!.values : null;
  }

  emit(value: unknown): void {
    const open = this.open;
    if (open !== null) {
      // recordsOut is counted per batch in flush().
      open.push(value);
      return;
    }
    const keySelector = this.keySelector;
    // No open batch and no key selector: there are no targets.
    if (keySelector === null) return;
    let key: unknown;
    try {
      key = keySelector(value);
    } catch (error) {
      this.onKeyError(value, error);
      return;
    }
    const target = operatorIndexForKeyGroup(
      keyGroupOf(key, this.maxParallelism),
      this.targets.length,
      this.maxParallelism,
    );
    const buffer = this.buffers[target]!;
    buffer.values.push(value);
    buffer.keys!.push(key);
  }

  /** Records buffered and not yet written. */
  get pending(): number {
    let total = 0;
    for (const buffer of this.buffers) total += buffer.values.length;
    return total;
  }

  /** Writes the buffered batches; returns a promise only when some channel was full. */
  flush(): Promise<void> | undefined {
    let waits: Array<Promise<void>> | null = null;
    for (let i = 0; i < this.buffers.length; i++) {
      const buffer = this.buffers[i]!;
      if (buffer.values.length === 0) continue;
      const channel = this.strategy === 'HASH' ? this.targets[i]! : this.nextTarget();
      const batch: StreamElement = { type: 'records', values: buffer.values, keys: buffer.keys };
      this.metrics.recordsOut += buffer.values.length;
      const next: Buffer = { values: [], keys: buffer.keys === null ? null : [] };
      this.buffers[i] = next;
      if (this.open !== null) this.open = next.values;
      const wait = channel.write(batch);
      if (wait) {
        waits ??= [];
        waits.push(wait);
      }
    }
    if (waits === null) return undefined;
    return this.measure(waits.length === 1 ? waits[0]! : Promise.all(waits).then(() => undefined));
  }

  /** Flushes, then sends a control element (barrier, end) to every target. */
  async broadcast(element: StreamElement): Promise<void> {
    const flushing = this.flush();
    if (flushing) await flushing;
    for (const channel of this.targets) {
      const wait = channel.write(element);
      if (wait) await this.measure(wait);
    }
  }

  private nextTarget(): ElementTarget {
    if (this.strategy === 'FORWARD' || this.targets.length === 1) return this.targets[0]!;
    const channel = this.targets[this.roundRobin % this.targets.length]!;
    this.roundRobin++;
    return channel;
  }

  private async measure(wait: Promise<void>): Promise<void> {
    const started = performance.now();
    this.metrics.blockedSince = started;
    try {
      await wait;
    } finally {
      this.metrics.blockedSince = null;
      this.metrics.backpressuredMs += performance.now() - started;
    }
  }
}
