/**
 * @module
 * Per-key timers in two domains (processing time, event time), kept by key
 * group so they are checkpointed and rescaled with the keyed state.
 */

import type { TimeDomain } from '../api';
import { canonicalKey, keyGroupOf } from '../keyGroups';

export interface Timer {
  readonly timestamp: number;
  readonly domain: TimeDomain;
  readonly key: unknown;
}

/** Timers by key group: [domain, timestamp, key][] */
export type TimerSnapshot = Record<string, Array<[TimeDomain, number, unknown]>>;

/** A set of unique timers with a min-heap per domain for firing in order. */
export class Timers {
  private readonly active = new Map<string, Timer>();
  private readonly heaps: Record<TimeDomain, Timer[]> = { processing: [], event: [] };

  constructor(private readonly maxParallelism: number) {}

  get size(): number {
    return this.active.size;
  }

  private id(domain: TimeDomain, timestamp: number, key: unknown): string {
    return `${domain === 'event' ? 'e' : 'p'}${timestamp}|${canonicalKey(key)}`;
  }

  register(domain: TimeDomain, timestamp: number, key: unknown): void {
    const id = this.id(domain, timestamp, key);
    if (this.active.has(id)) return;
    const timer: Timer = { timestamp, domain, key };
    this.active.set(id, timer);
    push(this.heaps[domain], timer);
  }

  delete(domain: TimeDomain, timestamp: number, key: unknown): void {
    this.active.delete(this.id(domain, timestamp, key));
  }

  /** Earliest live timer of a domain (drops deleted ones on the way). */
  peek(domain: TimeDomain): Timer | undefined {
    const heap = this.heaps[domain];
    while (heap.length > 0) {
      const top = heap[0]!;
      if (this.active.get(this.id(top.domain, top.timestamp, top.key)) === top) return top;
      pop(heap);
    }
    return undefined;
  }

  /** Removes and returns the earliest timer of `domain` due at `time`, if any. */
  takeDue(domain: TimeDomain, time: number): Timer | undefined {
    const top = this.peek(domain);
    if (!top || top.timestamp > time) return undefined;
    pop(this.heaps[domain]);
    this.active.delete(this.id(top.domain, top.timestamp, top.key));
    return top;
  }

  snapshot(): TimerSnapshot {
    const out: TimerSnapshot = {};
    for (const timer of this.active.values()) {
      const group = String(keyGroupOf(timer.key, this.maxParallelism));
      const timers = out[group] ?? [];
      timers.push([timer.domain, timer.timestamp, timer.key]);
      out[group] = timers;
    }
    return out;
  }

  restore(snapshots: TimerSnapshot[], range: { start: number; end: number }): void {
    for (const snapshot of snapshots) {
      for (const [groupText, timers] of Object.entries(snapshot)) {
        const group = Number(groupText);
        if (group < range.start || group > range.end) continue;
        for (const [domain, timestamp, key] of timers) this.register(domain, timestamp, key);
      }
    }
  }
}

function push(heap: Timer[], timer: Timer): void {
  heap.push(timer);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent]!.timestamp <= heap[i]!.timestamp) break;
    [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
    i = parent;
  }
}

function pop(heap: Timer[]): void {
  const last = heap.pop();
  if (heap.length === 0 || !last) return;
  heap[0] = last;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let smallest = i;
    if (l < heap.length && heap[l]!.timestamp < heap[smallest]!.timestamp) smallest = l;
    if (r < heap.length && heap[r]!.timestamp < heap[smallest]!.timestamp) smallest = r;
    if (smallest === i) return;
    [heap[smallest], heap[i]] = [heap[i]!, heap[smallest]!];
    i = smallest;
  }
}
