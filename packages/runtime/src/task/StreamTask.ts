/**
 * @module
 * The loop of an operator or sink subtask: read batches from the input gate,
 * call the function per record (rejections go to the DLQ or fail the task),
 * align barriers across input channels, fire timers, and drain on end.
 */
import type { JobVertexDto, OperatorDefinitionDto } from '@flinknet/contracts';
import type { FunctionLifecycle, OperatorFunction, OperatorFunctionDefinition, SinkDefinition, SinkFunction } from '../api';
import { InputGate } from '../channels/InputGate';
import { type Barrier, END_OF_INPUT, type RecordBatch } from '../channels/elements';
import type { RestoredState, SubtaskSnapshot } from '../checkpoint/snapshots';
import type { ExecutionEnvironment } from './environment';
import { isTaskEnding, Subtask } from './Subtask';

/** How long an idle task sleeps before it looks at processing-time timers again. */
const IDLE_WAIT_MS = 200;

export class StreamTask extends Subtask {
  readonly gate: InputGate;
  private fn: (FunctionLifecycle & { processRecord?: OperatorFunction['processRecord']; invoke?: SinkFunction['invoke'] }) | null = null;
  private readonly isSink: boolean;
  private aligning: Barrier | null = null;
  private readonly injected: Array<{ value: unknown; key: unknown; messageId: string }> = [];
  private closed = false;
  /** Serialises commits with snapshots (a sink renames files in both). */
  private commitChain: Promise<void> = Promise.resolve();

  constructor(
    env: ExecutionEnvironment,
    vertex: JobVertexDto,
    step: OperatorDefinitionDto,
    subtaskIndex: number,
    restored: RestoredState | null,
    private readonly definition: OperatorFunctionDefinition | SinkDefinition,
    inputChannels: number,
  ) {
    super(env, vertex, step, subtaskIndex, restored);
    this.gate = new InputGate(inputChannels);
    this.isSink = definition.operatorType === 'Sink';
  }

  trigger(): void {
    // Operators see checkpoints as barriers in their input.
  }

  wake(): void {
    this.gate.notify();
  }

  override cancel(): void {
    super.cancel();
    this.gate.close();
  }

  inject(value: unknown, messageId: string, key?: unknown): void {
    this.injected.push({ value, key, messageId });
    this.wake();
  }

  notifyCheckpointComplete(checkpointId: number): Promise<void> {
    const fn = this.fn;
    if (!fn?.notifyCheckpointComplete) return Promise.resolve();
    const run = this.commitChain.then(() => fn.notifyCheckpointComplete!(checkpointId));
    this.commitChain = run.catch(() => undefined);
    return run.catch((error: unknown) => {
      this.log('ERROR', `commit of checkpoint ${checkpointId} failed: ${error instanceof Error ? error.message : String(error)}`);
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
      await this.loop();
      await this.endOfInput();
      this.finalSnapshot = await this.snapshot(0);
      await this.close();
      this.setState('FINISHED');
    } catch (error) {
      await this.close().catch(() => undefined);
      this.settle(error);
    }
  }

  private async loop(): Promise<void> {
    const gate = this.gate;
    let batches = 0;
    for (;;) {
      this.checkCanceled();
      if (this.injected.length > 0) await this.processInjected();
      const item = gate.poll();
      if (item === undefined) {
        if (gate.allEnded) return;
        await this.fireProcessingTimers();
        const next = this.timers.peek('processing');
        await gate.wait(next ? Math.min(IDLE_WAIT_MS, next.timestamp - Date.now()) : IDLE_WAIT_MS);
        continue;
      }
      const element = item.element;
      if (element.type === 'records') {
        if (this.isSink) await this.invokeBatch(element);
        else this.processBatch(element);
        if (this.watermarkDirty) this.fireEventTimers();
        // Date.now() is cheap, but not free at millions of records a second.
        if ((++batches & 15) === 0) this.fireTimersDue();
        const flushing = this.router.flush();
        if (flushing) await flushing;
      } else if (element.type === 'barrier') {
        await this.onBarrier(item.channel, element);
      } else {
        gate.ended[item.channel] = true;
        if (this.aligning) await this.tryCompleteAlignment();
      }
    }
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
    }
  }

  private async invokeBatch(batch: RecordBatch): Promise<void> {
    const fn = this.fn!;
    const invoke = fn.invoke!;
    const { values, keys } = batch;
    const count = values.length;
    this.metrics.recordsIn += count;
    for (let i = 0; i < count; i++) {
      const key = keys === null ? undefined : keys[i];
      if (keys !== null) this.keyedState.setCurrentKey(key);
      try {
        const pending = invoke.call(fn, values[i], key);
        if (pending !== undefined) await pending;
        this.metrics.recordsOut++;
      } catch (error) {
        if (isTaskEnding(error)) throw error;
        this.reject(values[i], error);
      }
    }
  }

  private async processInjected(): Promise<void> {
    for (const record of this.injected.splice(0)) {
      this.currentMessageId = record.messageId;
      try {
        await (this.isSink
          ? this.invokeBatch({ type: 'records', values: [record.value], keys: this.vertex.keyed ? [record.key] : null })
          : this.processBatch({ type: 'records', values: [record.value], keys: this.vertex.keyed ? [record.key] : null }));
      } finally {
        this.currentMessageId = undefined;
      }
    }
    const flushing = this.router.flush();
    if (flushing) await flushing;
  }

  private fireEventTimers(): void {
    this.watermarkDirty = false;
    this.fireTimers('event', this.watermark, this.fn?.onTimer?.bind(this.fn));
  }

  private fireTimersDue(): void {
    const next = this.timers.peek('processing');
    if (next && next.timestamp <= Date.now()) this.fireTimers('processing', Date.now(), this.fn?.onTimer?.bind(this.fn));
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
      this.decline(this.aligning.checkpointId, `${this.name} saw barrier ${barrier.checkpointId} while aligning ${this.aligning.checkpointId}`);
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
      this.decline(barrier.checkpointId, `snapshot of ${this.name} failed: ${error instanceof Error ? error.message : String(error)}`);
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
