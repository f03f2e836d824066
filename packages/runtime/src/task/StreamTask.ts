/**
 * @module
 * The loop of an operator or sink subtask: read batches from the input gate,
 * call the function per record (rejections go to the DLQ or fail the task),
 * align barriers across input channels, fire timers, and drain on end.
 */
import type { JobVertexDto, OperatorDefinitionDto } from '@flinknet/contracts';
import type {
  FunctionLifecycle,
  OperatorFunction,
  OperatorFunctionDefinition,
  SinkDefinition,
  SinkFunction,
} from '../api';
import { ChannelClosedError } from '../channels/Channel';
import {
  type Barrier,
  END_OF_INPUT,
  type RecordBatch,
  type StreamElement,
} from '../channels/elements';
import { InputGate } from '../channels/InputGate';
import type { RestoredState, SubtaskSnapshot } from '../checkpoint/snapshots';
import type { ChainEntry } from './chain';
import type { ExecutionEnvironment } from './environment';
import { isTaskEnding, Subtask, TaskFailure } from './Subtask';

/** How long an idle task sleeps before it looks at processing-time timers again. */
const IDLE_WAIT_MS = 200;

export class StreamTask extends Subtask {
  readonly gate: InputGate;
  private fn:
    | (FunctionLifecycle & {
        processRecord?: OperatorFunction['processRecord'];
        invoke?: SinkFunction['invoke'];
      })
    | null = null;
  private readonly isSink: boolean;
  private aligning: Barrier | null = null;
  private readonly injected: Array<{
    value: unknown;
    key: unknown;
    messageId: string;
    position: number;
  }> = [];
  private closed = false;
  private batches = 0;
  /** Set when this task is chained to its upstream: it has no loop; the upstream calls handle() directly. */
  private chainedInput: {
    ended: Promise<void>;
    end: () => void;
    abort: (error: unknown) => void;
  } | null = null;
  /** Resolves once the function is open, so a chained upstream does not deliver too early. */
  readonly ready: Promise<void>;
  private markReady!: (ok: boolean) => void;
  /** Serialises commits with snapshots (a sink renames files in both). */
  private commitChain: Promise<void> = Promise.resolve();

  constructor(
    env: ExecutionEnvironment,
    vertex: JobVertexDto,
    step: OperatorDefinitionDto,
    subtaskIndex: number,
    restored: RestoredState | null,
    public definition: OperatorFunctionDefinition | SinkDefinition,
    inputChannels: number,
  ) {
    super(env, vertex, step, subtaskIndex, restored);
    this.gate = new InputGate(inputChannels);
    this.isSink = definition.operatorType === 'Sink';
    this.ready = new Promise<boolean>((resolve) => {
      this.markReady = resolve;
    }).then((ok) => {
      if (!ok) throw new ChannelClosedError(`${this.name} is not running`);
    });
    this.ready.catch(() => undefined);
  }

  /** Makes this task run inside its upstream's loop (operator chaining on FORWARD edges). */
  chainToUpstream(): void {
    let end!: () => void;
    let abort!: (error: unknown) => void;
    const ended = new Promise<void>((resolve, reject) => {
      end = resolve;
      abort = reject;
    });
    ended.catch(() => undefined);
    this.chainedInput = { ended, end, abort };
  }

  trigger(): void {
    // Operators see checkpoints as barriers in their input.
  }

  wake(): void {
    this.gate.notify();
    if (this.canceled) this.chainedInput?.abort(new ChannelClosedError('stopped'));
  }

  override cancel(): void {
    super.cancel();
    this.gate.close();
    this.chainedInput?.abort(new ChannelClosedError('canceled'));
  }

  /** Called by the chained upstream after handling END: the run() continues with end of input. */
  endChainedInput(): void {
    this.chainedInput?.end();
  }

  inject(value: unknown, messageId: string, key: unknown, position: number): void {
    this.injected.push({ value, key, messageId, position });
    this.wake();
  }

  notifyCheckpointComplete(checkpointId: number): Promise<void> {
    const fn = this.fn;
    if (!fn?.notifyCheckpointComplete) return Promise.resolve();
    const run = this.commitChain.then(() => fn.notifyCheckpointComplete!(checkpointId));
    this.commitChain = run.catch(() => undefined);
    return run.catch((error: unknown) => {
      this.log(
        'ERROR',
        `commit of checkpoint ${checkpointId} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    });
  }

  async run(): Promise<void> {
    try {
      const ctx = this.createContext();
      this.restoreKeyed();
      const fn = this.definition.create(ctx);
      this.fn = fn;
      if (this.restored && fn.restoreState) await fn.restoreState(this.restored.operator);
      await fn.open?.();
      this.checkCanceled();
      this.setState('RUNNING');
      this.markReady(true);
      if (this.chainedInput) await this.chainedInput.ended;
      else await this.loop();
      this.checkCanceled();
      await this.endOfInput();
      this.finalSnapshot = await this.snapshot(0);
      await this.close();
      this.setState('FINISHED');
    } catch (error) {
      this.markReady(false);
      await this.close().catch(() => undefined);
      this.settle(error);
    }
  }

  private async loop(): Promise<void> {
    const gate = this.gate;
    for (;;) {
      this.checkCanceled();
      if (this.injected.length > 0) await this.processInjected();
      for (const member of this.chainMembers)
        if (member.hasInjected) await member.processInjected();
      const item = gate.poll();
      if (item === undefined) {
        if (gate.allEnded) return;
        await this.fireProcessingTimers();
        const next = this.timers.peek('processing');
        await gate.wait(next ? Math.min(IDLE_WAIT_MS, next.timestamp - Date.now()) : IDLE_WAIT_MS);
        continue;
      }
      const handling = this.handle(item.channel, item.element);
      if (handling) await handling;
    }
  }

  /** Processes one element of input channel `channel`; a promise only when it has to wait. */
  handle(channel: number, element: StreamElement): Promise<void> | undefined {
    if (element.type === 'records') {
      if (this.isSink) {
        const invoking = this.invokeBatch(element, 0);
        if (invoking) return invoking.then(() => this.afterBatch());
      } else this.processBatch(element);
      return this.afterBatch();
    }
    if (element.type === 'barrier') return this.onBarrier(channel, element);
    this.gate.ended[channel] = true;
    if (this.aligning) return this.tryCompleteAlignment();
    return undefined;
  }

  private afterBatch(): Promise<void> | undefined {
    if (this.watermarkDirty) this.fireEventTimers();
    // Date.now() is cheap, but not free at millions of records a second.
    if ((++this.batches & 15) === 0) this.fireTimersDue();
    return this.router.flush();
  }

  private processBatch(batch: RecordBatch): void {
    const fn = this.fn!;
    const processRecord = fn.processRecord!;
    const out = this.router;
    const { values, keys } = batch;
    const count = values.length;
    this.metrics.recordsIn += count;
    if (keys === null) {
      for (let i = 0; i < count; i++) {
        try {
          processRecord.call(fn, values[i], undefined, out);
        } catch (error) {
          this.reject(values[i], error);
        }
      }
      return;
    }
    const state = this.keyedState;
    for (let i = 0; i < count; i++) {
      const key = keys[i];
      state.setCurrentKey(key);
      try {
        processRecord.call(fn, values[i], key, out);
      } catch (error) {
        this.reject(values[i], error);
      }
      // Event time advances per record: due windows fire before the next record is assigned.
      if (this.watermarkDirty) this.fireEventTimers();
    }
  }

  /** Invokes the sink per record from `from` on; switches to async only when invoke returns a promise. */
  private invokeBatch(batch: RecordBatch, from: number): Promise<void> | undefined {
    const fn = this.fn!;
    const invoke = fn.invoke!;
    const { values, keys } = batch;
    const count = values.length;
    if (from === 0) this.metrics.recordsIn += count;
    for (let i = from; i < count; i++) {
      const key = keys === null ? undefined : keys[i];
      if (keys !== null) this.keyedState.setCurrentKey(key);
      let pending: void | Promise<void>;
      try {
        pending = invoke.call(fn, values[i], key);
      } catch (error) {
        this.reject(values[i], error);
        continue;
      }
      if (pending !== undefined) {
        return pending.then(
          () => {
            this.metrics.recordsOut++;
            // A slow sink must not keep writing after cancel.
            this.checkCanceled();
            return this.invokeBatch(batch, i + 1);
          },
          (error: unknown) => {
            if (isTaskEnding(error)) throw error;
            this.reject(values[i], error);
            return this.invokeBatch(batch, i + 1);
          },
        );
      }
      this.metrics.recordsOut++;
    }
    return undefined;
  }

  get hasInjected(): boolean {
    return this.injected.length > 0;
  }

  async processInjected(): Promise<void> {
    for (const record of this.injected.splice(0)) {
      this.currentMessageId = record.messageId;
      const batch: RecordBatch = {
        type: 'records',
        values: [record.value],
        keys: this.vertex.keyed ? [record.key] : null,
      };
      try {
        if (record.position > 0) this.processChained(record.position, record.value, record.key);
        else if (this.isSink) await this.invokeBatch(batch, 0);
        else this.processBatch(batch);
      } finally {
        this.currentMessageId = undefined;
      }
    }
    const flushing = this.router.flush();
    if (flushing) await flushing;
  }

  /** A resubmitted record entering the chained operator at `position`; its failures carry that operator's name. */
  private processChained(position: number, value: unknown, key: unknown): void {
    const fn = this.fn as unknown as Partial<ChainEntry>;
    if (typeof fn.processFrom !== 'function')
      throw new TaskFailure(`${this.name} has no chained operator ${position}`);
    this.metrics.recordsIn++;
    if (this.vertex.keyed) this.keyedState.setCurrentKey(key);
    fn.processFrom(position, value, key, this.router);
  }

  private fireEventTimers(): void {
    this.watermarkDirty = false;
    this.fireTimers('event', this.watermark, this.fn?.onTimer?.bind(this.fn));
  }

  private fireTimersDue(): void {
    const next = this.timers.peek('processing');
    if (next && next.timestamp <= Date.now())
      this.fireTimers('processing', Date.now(), this.fn?.onTimer?.bind(this.fn));
  }

  private async fireProcessingTimers(): Promise<void> {
    this.fireTimersDue();
    const flushing = this.router.flush();
    if (flushing) await flushing;
  }

  private async onBarrier(channel: number, barrier: Barrier): Promise<void> {
    if (this.aligning && this.aligning.checkpointId !== barrier.checkpointId) {
      // Sources inject barriers in order, so a newer one means the older alignment cannot finish here.
      if (barrier.checkpointId < this.aligning.checkpointId) return;
      this.decline(
        this.aligning.checkpointId,
        `${this.name} saw barrier ${barrier.checkpointId} while aligning ${this.aligning.checkpointId}`,
      );
      this.gate.blocked.fill(false);
      this.aligning = null;
    }
    this.aligning ??= barrier;
    this.gate.blocked[channel] = true;
    await this.tryCompleteAlignment();
  }

  private async tryCompleteAlignment(): Promise<void> {
    const barrier = this.aligning;
    if (!barrier) return;
    const { blocked, ended } = this.gate;
    for (let i = 0; i < blocked.length; i++) if (!blocked[i] && !ended[i]) return;
    const flushing = this.router.flush();
    if (flushing) await flushing;
    try {
      this.acknowledge(barrier.checkpointId, await this.snapshot(barrier.checkpointId));
    } catch (error) {
      if (isTaskEnding(error)) throw error;
      this.decline(
        barrier.checkpointId,
        `snapshot of ${this.name} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    await this.router.broadcast(barrier);
    this.aligning = null;
    blocked.fill(false);
  }

  private async snapshot(checkpointId: number): Promise<SubtaskSnapshot> {
    const snapshot = this.baseSnapshot();
    const fn = this.fn;
    if (fn?.snapshotState) {
      const run = this.commitChain.then(() => fn.snapshotState!(checkpointId));
      this.commitChain = run.then(
        () => undefined,
        () => undefined,
      );
      const state = await run;
      if (state !== undefined) snapshot.operator = state;
    }
    return snapshot;
  }

  /** All input ended: fire every pending timer (windows emit), let the function finish, pass the end on. */
  private async endOfInput(): Promise<void> {
    const onTimer = this.fn?.onTimer?.bind(this.fn);
    this.fireTimers('event', Number.POSITIVE_INFINITY, onTimer);
    this.fireTimers('processing', Number.POSITIVE_INFINITY, onTimer);
    await this.fn?.endOfInput?.(this.router);
    await this.router.broadcast(END_OF_INPUT);
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fn?.close?.();
  }
}
