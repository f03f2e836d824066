/**
 * @module
 * Keeps one long-poll for commands outstanding at all times, so a command the
 * JobManager queues reaches this TaskManager within milliseconds.
 */
import type { TaskManagerCommand } from '@flinknet/contracts';
import { backoffDelay, sleep } from './backoff';
import { ProtocolError } from './errors';
import type { ProtocolClient } from './protocolClient';
import { type Registration, StoppedError } from './registration';

export interface CommandPollerOptions {
  taskManagerId: string;
  client: Pick<ProtocolClient, 'poll'>;
  registration: Registration;
  dispatch(commands: TaskManagerCommand[]): void;
  /** How long the JobManager may hold a poll; default 25 s. */
  waitMs?: number;
  log?: (message: string) => void;
}

/** The long-poll loop; `start` runs it until `stop`. */
export class CommandPoller {
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private readonly log: (message: string) => void;

  constructor(private readonly options: CommandPollerOptions) {
    this.log = options.log ?? (() => {});
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Aborts the outstanding poll and resolves when the loop has exited. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    const { client, registration, taskManagerId, dispatch } = this.options;
    const signal = this.abort.signal;
    let failures = 0;
    while (!signal.aborted) {
      try {
        await registration.ensure();
        const response = await client.poll(taskManagerId, this.options.waitMs ?? 25_000, signal);
        if (!response.registered) {
          registration.invalidate();
          continue;
        }
        failures = 0;
        dispatch(response.commands);
      } catch (error) {
        if (signal.aborted || error instanceof StoppedError) return;
        failures++;
        // A JobManager that restarted answers 404 for an id it never saw.
        if (error instanceof ProtocolError && error.status === 404) registration.invalidate();
        if (failures === 1 || failures % 20 === 0) {
          this.log(`command poll failed (${failures}x): ${(error as Error).message}`);
        }
        await sleep(backoffDelay(failures), signal);
      }
    }
  }
}
