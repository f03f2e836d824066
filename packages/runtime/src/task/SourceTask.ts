/**
 * @module
 * The loop of a source subtask: poll the source for a batch, hand it to the
 * output, inject barriers between polls, and end on exhaustion or finish().
 */
import type { JobVertexDto, OperatorDefinitionDto } from '@flinknet/contracts';
import type { AssignedSplit, SourceDefinition, SourceFunction } from '../api';
import { END_OF_INPUT } from '../channels/elements';
import type { RestoredState, SubtaskSnapshot } from '../checkpoint/snapshots';
import { subtaskForIndex } from '../keyGroups';
import type { ChainEntry } from './chain';
import type { ExecutionEnvironment } from './environment';
import { BATCH_SIZE } from './OutputRouter';
import { Subtask } from './Subtask';

/** Give the event loop a turn at least this often (ms) so commands and heartbeats get through. */
const YIELD_EVERY_MS = 10;

interface PendingBarrier {
  checkpointId: number;
  kind: 'CHECKPOINT' | 'SAVEPOINT';
  timestamp: number;
}

export class SourceTask extends Subtask {
  private fn: SourceFunction | null = null;
  private readonly barriers: PendingBarrier[] = [];
  private readonly injected: Array<{ value: unknown; messageId: string; position: number }> = [];
  private finishRequested = false;
  private wakeSleep: (() => void) | null = null;

  constructor(
    env: ExecutionEnvironment,
    vertex: JobVertexDto,
    step: OperatorDefinitionDto,
    subtaskIndex: number,
    restored: RestoredState | null,
    public definition: SourceDefinition,
  ) {
    super(env, vertex, step, subtaskIndex, restored);
  }

  trigger(checkpointId: number, kind: 'CHECKPOINT' | 'SAVEPOINT', timestamp: number): void {
    this.barriers.push({ checkpointId, kind, timestamp });
    this.wake();
  }

  /** Stop emitting after the current poll; downstream drains and finishes. */
  finish(): void {
    this.finishRequested = true;
    this.wake();
  }

  wake(): void {
    this.wakeSleep?.();
  }

  inject(value: unknown, messageId: string, _key: unknown, position: number): void {
    this.injected.push({ value, messageId, position });
    this.wake();
  }

  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    await this.fn?.notifyCheckpointComplete?.(checkpointId);
  }

  async run(): Promise<void> {
    try {
      await this.open();
      this.setState('RUNNING');
      await this.loop();
      if (this.canceled) throw new Error('canceled');
      await this.router.broadcast(END_OF_INPUT);
      this.finalSnapshot = this.snapshot();
      await this.close();
      this.setState('FINISHED');
    } catch (error) {
      await this.close().catch(() => undefined);
      this.settle(error);
    }
  }

  private async open(): Promise<void> {
    const ctx = this.createContext();
    const all = await this.definition.splits(ctx);
    if (!Array.isArray(all) || all.some((id) => typeof id !== 'string')) {
      throw new Error(`source "${this.definition.typeName}" returned invalid splits`);
    }
    const splits: AssignedSplit[] = [];
    all.forEach((id, index) => {
      if (subtaskForIndex(index, all.length, this.vertex.parallelism) !== this.subtaskIndex) return;
      splits.push({ id, state: this.restored?.splits.get(id) });
    });
    this.checkCanceled();
    this.fn = this.definition.create({ ...ctx, splits });
    await this.fn.open?.();
  }

  private async loop(): Promise<void> {
    const fn = this.fn!;
    const router = this.router;
    let lastYield = performance.now();
    for (;;) {
      this.checkCanceled();
      while (this.barriers.length > 0) await this.checkpoint(this.barriers.shift()!);
      if (this.injected.length > 0) this.emitInjected(fn);
      for (const member of this.chainMembers)
        if (member.hasInjected) await member.processInjected();
      if (this.finishRequested) return;
      let result = fn.poll(router, BATCH_SIZE);
      if (typeof result === 'object') result = await result;
      const flushing = router.flush();
      if (flushing) await flushing;
      if (result === 'end') {
        // A barrier requested during the last poll still goes out before the end.
        while (this.barriers.length > 0) await this.checkpoint(this.barriers.shift()!);
        return;
      }
      if (typeof result === 'number') {
        await this.sleep(result);
        lastYield = performance.now();
      } else if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
  }

  private emitInjected(fn: SourceFunction): void {
    for (const { value, messageId, position } of this.injected.splice(0)) {
      this.currentMessageId = messageId;
      try {
        const chain = fn as Partial<ChainEntry>;
        if (position > 0 && chain.processFrom)
          chain.processFrom(position, value, undefined, this.router);
        else if (fn.resubmit) fn.resubmit(value, this.router);
        else this.router.emit(value);
      } catch (error) {
        this.reject(value, error);
      } finally {
        this.currentMessageId = undefined;
      }
    }
  }

  private snapshot() {
    const snapshot = this.baseSnapshot();
    snapshot.splits = this.fn?.snapshotState() ?? {};
    return snapshot;
  }

  private async checkpoint(barrier: PendingBarrier): Promise<void> {
    const flushing = this.router.flush();
    if (flushing) await flushing;
    let snapshot: SubtaskSnapshot;
    try {
      snapshot = this.snapshot();
    } catch (error) {
      this.decline(
        barrier.checkpointId,
        `snapshot of ${this.name} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    this.acknowledge(barrier.checkpointId, snapshot);
    await this.router.broadcast({ type: 'barrier', ...barrier });
  }

  private sleep(ms: number): Promise<void> {
    if (
      this.canceled ||
      this.finishRequested ||
      this.barriers.length > 0 ||
      this.injected.length > 0
    )
      return Promise.resolve();
    if (this.chainMembers.some((member) => member.hasInjected)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(1, Math.min(ms, 1000)));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleep = () => {
        this.wakeSleep = null;
        done();
      };
    });
  }

  private closed = false;

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fn?.close?.();
  }
}
