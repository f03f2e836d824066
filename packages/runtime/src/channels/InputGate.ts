/**
 * @module
 * The input side of a subtask: one channel per upstream subtask. Channels can
 * be blocked (barrier alignment) and end independently; the reader takes from
 * the unblocked ones round-robin and sleeps until any of them is written.
 */
import { Channel } from './Channel';
import type { StreamElement } from './elements';

export class InputGate {
  readonly channels: Channel[];
  readonly blocked: boolean[];
  readonly ended: boolean[];
  private next = 0;
  private wake: (() => void) | null = null;

  constructor(count: number, capacity?: number) {
    this.channels = Array.from({ length: count }, () => new Channel(capacity));
    this.blocked = new Array<boolean>(count).fill(false);
    this.ended = new Array<boolean>(count).fill(false);
    for (const channel of this.channels) channel.onWritten = () => this.notify();
  }

  /** The next element of any readable channel with its index, or undefined when none has one. */
  poll(): { element: StreamElement; channel: number } | undefined {
    const count = this.channels.length;
    for (let i = 0; i < count; i++) {
      const index = (this.next + i) % count;
      if (this.blocked[index] || this.ended[index]) continue;
      const element = this.channels[index]!.read();
      if (element !== undefined) {
        // Stay on a channel with data: batches of one producer arrive together.
        this.next = index;
        return { element, channel: index };
      }
    }
    return undefined;
  }

  /** True when every channel delivered its end of input. */
  get allEnded(): boolean {
    return this.ended.every(Boolean);
  }

  /** Resolves on the next write to any channel, on notify(), or after `timeoutMs`. */
  wait(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        if (timer) clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      this.wake = done;
      if (Number.isFinite(timeoutMs)) timer = setTimeout(done, Math.max(0, timeoutMs));
    });
  }

  /** Wakes a waiting reader (new data, an injected record, cancel). */
  notify(): void {
    this.wake?.();
  }

  close(): void {
    for (const channel of this.channels) channel.close();
    this.notify();
  }
}
