/**
 * @module
 * Operator chaining: on a FORWARD edge the producer hands elements straight
 * to the consumer's handler instead of a channel, as Flink chains operators.
 * Backpressure still holds: the producer waits whenever the consumer does.
 */

import { ChannelClosedError } from './Channel';
import type { StreamElement } from './elements';

/** Where an output router writes: a channel, or a chained consumer. */
export interface ElementTarget {
  write(element: StreamElement): Promise<void> | undefined;
}

/** The consumer side a DirectTarget drives. */
export interface ChainedConsumer {
  readonly ready: Promise<void>;
  readonly canceled: boolean;
  readonly ended: boolean;
  handle(channel: number, element: StreamElement): Promise<void> | undefined;
  endChainedInput(): void;
  /** Reports the consumer's own failure (it is that task that fails, not the producer). */
  fail(error: unknown): void;
}

export class DirectTarget implements ElementTarget {
  private opened = false;

  constructor(private readonly consumer: ChainedConsumer) {}

  write(element: StreamElement): Promise<void> | undefined {
    if (!this.opened) {
      return this.consumer.ready.then(() => {
        this.opened = true;
        return this.deliver(element);
      });
    }
    return this.deliver(element);
  }

  private deliver(element: StreamElement): Promise<void> | undefined {
    const consumer = this.consumer;
    if (consumer.canceled || consumer.ended)
      throw new ChannelClosedError('chained consumer stopped');
    let handling: Promise<void> | undefined;
    try {
      handling = consumer.handle(0, element);
    } catch (error) {
      throw this.consumerFailed(error);
    }
    if (handling) {
      return handling.then(
        () => this.afterDelivery(element),
        (error: unknown) => {
          throw this.consumerFailed(error);
        },
      );
    }
    this.afterDelivery(element);
    return undefined;
  }

  private afterDelivery(element: StreamElement): void {
    if (element.type === 'end') this.consumer.endChainedInput();
  }

  private consumerFailed(error: unknown): Error {
    if (!(error instanceof ChannelClosedError)) this.consumer.fail(error);
    return new ChannelClosedError('chained consumer failed');
  }
}
