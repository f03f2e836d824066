/**
 * @module
 * A bounded single-producer, single-consumer channel between two subtasks.
 * It holds at most `capacity` elements (record batches count as one); a writer
 * that finds it full gets a promise and must wait: that is the backpressure.
 */
import type { StreamElement } from './elements';

/** Default capacity in elements; with 1024-record batches that bounds a channel to ~16k records. */
export const DEFAULT_CHANNEL_CAPACITY = 16;

export class ChannelClosedError extends Error {
  override readonly name = 'ChannelClosedError';
}

/** A bounded FIFO of stream elements with an awaitable write when full. */
export class Channel {
  private items: StreamElement[] = [];
  private head = 0;
  private waitingWriter: {
    resolve: () => void;
    reject: (error: Error) => void;
    element: StreamElement;
  } | null = null;
  private closed = false;
  /** Called after every successful write, so a reader waiting on several channels wakes up. */
  onWritten: (() => void) | null = null;

  constructor(readonly capacity: number = DEFAULT_CHANNEL_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`channel capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.items.length - this.head;
  }

  /** True when a write would have to wait. */
  get full(): boolean {
    return this.size >= this.capacity;
  }

  /** Appends an element; returns a promise (resolved once it is queued) only when the channel is full. */
  write(element: StreamElement): Promise<void> | undefined {
    if (this.closed) return Promise.reject(new ChannelClosedError('channel closed'));
    if (this.waitingWriter) throw new Error('Channel allows one pending write at a time');
    if (this.size < this.capacity) {
      this.items.push(element);
      this.onWritten?.();
      return undefined;
    }
    return new Promise<void>((resolve, reject) => {
      this.waitingWriter = { resolve, reject, element };
    });
  }

  /** Takes the oldest element, or undefined when empty; lets a waiting writer in. */
  read(): StreamElement | undefined {
    if (this.head >= this.items.length) return undefined;
    const element = this.items[this.head]!;
    this.head++;
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    const writer = this.waitingWriter;
    if (writer && this.size < this.capacity) {
      this.waitingWriter = null;
      this.items.push(writer.element);
      writer.resolve();
      this.onWritten?.();
    }
    return element;
  }

  /** Peeks without taking. */
  peek(): StreamElement | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** Drops everything and fails a waiting writer: used on cancel. */
  close(): void {
    this.closed = true;
    this.items = [];
    this.head = 0;
    const writer = this.waitingWriter;
    this.waitingWriter = null;
    writer?.reject(new ChannelClosedError('channel closed'));
  }
}
