/**
 * @module
 * The heartbeat: every `heartbeatIntervalMs` (from registration), and ~10 ms
 * after anything the JobManager should learn quickly (checkpoint acks, task
 * state changes, DLQ records), send the task reports and the outbox. Reports
 * that fail to go out stay in the outbox for the next beat.
 */
import type { HeartbeatResponse, TaskManagerCommand, TaskReport } from '@flinknet/contracts';
import type { CommandHandler } from './commandHandler';
import { ProtocolError } from './errors';
import type { ProtocolClient } from './protocolClient';
import { type Registration, StoppedError } from './registration';
import { type ReportOutbox, taskKeyOf } from './reportOutbox';

export interface HeartbeatLoopOptions {
  taskManagerId: string;
  client: Pick<ProtocolClient, 'heartbeat'>;
  registration: Registration;
  outbox: ReportOutbox;
  handler: Pick<CommandHandler, 'collectTaskReports'>;
  dispatch(commands: TaskManagerCommand[]): void;
  /** Overrides the interval the JobManager asks for (tests). */
  intervalMs?: number | undefined;
  /** Delay of a flush after an urgent report; default 10 ms. */
  debounceMs?: number;
  log?: (message: string) => void;
}

/** Sends heartbeats on an interval and soon after urgent reports. */
export class HeartbeatLoop {
  private timer: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private failures = 0;
  private readonly log: (message: string) => void;

  constructor(private readonly options: HeartbeatLoopOptions) {
    this.log = options.log ?? (() => {});
  }

  /** Starts beating on the interval the registration answers with. */
  start(): void {
    this.options.registration.ensure().then(
      () => this.schedule(),
      () => {},
    );
  }

  /** Asks for a heartbeat within the debounce delay (coalescing bursts of reports). */
  flushSoon(): void {
    if (this.stopped || this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.beat();
    }, this.options.debounceMs ?? 10);
  }

  /** Sends one heartbeat now (or right after the one in flight); resolves when it is done. */
  beat(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = this.loop().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Stops the timers; a beat in flight finishes. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.flushTimer);
    await this.inFlight;
  }

  /** One last heartbeat at shutdown, without waiting for a registration. */
  async sendFinal(): Promise<void> {
    await this.inFlight;
    if (!this.options.registration.response) return;
    await this.sendOnce().catch((error: unknown) =>
      this.log(`final heartbeat failed: ${(error as Error).message}`),
    );
  }

  private schedule(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const interval =
      this.options.intervalMs ?? this.options.registration.response?.heartbeatIntervalMs ?? 1000;
    this.timer = setTimeout(() => {
      void this.beat().finally(() => this.schedule());
    }, interval);
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.options.registration.ensure();
        const response = await this.sendOnce();
        if (!response.registered) {
          this.options.registration.invalidate();
          this.again = true;
          continue;
        }
        if (this.failures > 0)
          this.log(`heartbeats reach the JobManager again after ${this.failures} failures`);
        this.failures = 0;
        this.options.dispatch(response.commands);
        if (this.options.outbox.pending) this.again = true;
      } catch (error) {
        if (error instanceof StoppedError) return;
        this.failures++;
        if (this.failures === 1 || this.failures % 20 === 0) {
          this.log(`heartbeat failed (${this.failures}x): ${(error as Error).message}`);
        }
        return;
      }
    } while (this.again && !this.stopped);
  }

  /** Sends the outbox and task reports once; puts the outbox batch back unless it was delivered. */
  private async sendOnce(): Promise<HeartbeatResponse> {
    const { outbox, handler, client, taskManagerId } = this.options;
    const reportSet = handler.collectTaskReports();
    const batch = outbox.take();
    const tasks = mergeTaskReports(batch.taskChanges, reportSet.tasks);
    let response: HeartbeatResponse;
    try {
      response = await client.heartbeat({
        taskManagerId,
        tasks,
        checkpointAcks: batch.checkpointAcks,
        checkpointDeclines: batch.checkpointDeclines,
        logs: batch.logs,
        dlq: batch.dlq,
      });
    } catch (error) {
      if (error instanceof ProtocolError && [400, 413, 422].includes(error.status)) {
        // The JobManager will never take this batch; resending it would block every later report.
        this.log(`heartbeat rejected, dropping its reports: ${error.message}`);
      } else {
        outbox.restore(batch);
      }
      throw error;
    }
    if (response.registered) reportSet.confirm();
    else outbox.restore(batch);
    return response;
  }
}

/** Task states for a heartbeat: the executions' current reports win over earlier change events. */
export function mergeTaskReports(
  changes: readonly TaskReport[],
  current: readonly TaskReport[],
): TaskReport[] {
  const byKey = new Map<string, TaskReport>();
  for (const report of changes) byKey.set(taskKeyOf(report), report);
  for (const report of current) byKey.set(taskKeyOf(report), report);
  return [...byKey.values()];
}
