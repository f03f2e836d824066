/**
 * @module
 * The operator API that user code (plugins) and the built-ins implement. A
 * definition names an operator (`operatorType` + `typeName`) and creates one
 * function instance per subtask. The runtime calls a function from one task
 * loop only, so functions need no locking; anything they keep in keyed state
 * (`ctx.state`) is checkpointed by key group and survives restore and rescale.
 */
import type {
  DeployCommand,
  ErrorTolerance,
  LogLevel,
  OperatorDefinitionDto,
} from '@flinknet/contracts';

/** What every user function receives when it is created. */
export interface RuntimeContext {
  readonly jobId: string;
  readonly attempt: number;
  /** Name of the step (the vertex id). */
  readonly stepName: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** The step as submitted, operatorProperties normalised. */
  readonly step: OperatorDefinitionDto;
  /** The step's operatorProperties (never undefined). */
  readonly properties: Readonly<Record<string, unknown>>;
  readonly errorTolerance: ErrorTolerance;
  /** True when the records entering this step are partitioned by key (the `key` argument is set). */
  readonly keyed: boolean;
  /** Resolves a user-given path under the TaskManager data dir; throws PathEscapeError when it leaves it. */
  resolvePath(relativePath: string): Promise<string>;
  /** Writes a line to the job's log. */
  log(level: LogLevel, message: string): void;
  /** Rejects a record outside processRecord/invoke (e.g. after an async batch write): DLQ or task failure. */
  rejectRecord(value: unknown, error: unknown): void;
  /** Keyed state scoped to the key of the record (or timer) being processed; only on keyed steps. */
  readonly state: KeyedStateStore;
  /** Timers scoped to the current key; fire through `onTimer`. */
  readonly timers: TimerService;
  /** Aborted when the task is canceled: pass it to fetch and other I/O. */
  readonly signal: AbortSignal;
  readonly deploy: DeployCommand;
}

/** Receives the records a function emits. */
export interface Collector {
  emit(value: unknown): void;
}

/** A split of a source with its restored state (undefined when starting fresh). */
export interface AssignedSplit {
  readonly id: string;
  readonly state: unknown;
}

export interface SourceContext extends RuntimeContext {
  /** The splits this subtask reads, assigned by range over all the source's splits. */
  readonly splits: readonly AssignedSplit[];
}

/** 'more': call again; 'end': input exhausted; a number: nothing now, call again in that many ms. */
export type PollResult = 'more' | 'end' | number;

/** Lifecycle calls shared by operators and sinks. */
export interface FunctionLifecycle {
  /** Restored non-keyed state: the snapshots of the old subtasks this one takes over (old index % parallelism). */
  restoreState?(states: unknown[]): void | Promise<void>;
  open?(): void | Promise<void>;
  /** Called on the checkpoint barrier; returns JSON-serialisable non-keyed state. */
  snapshotState?(checkpointId: number): unknown | Promise<unknown>;
  /** Every subtask acknowledged checkpoint `checkpointId` (and so every earlier one). */
  notifyCheckpointComplete?(checkpointId: number): void | Promise<void>;
  /** A timer registered through ctx.timers fired; ctx.state is scoped to its key. */
  onTimer?(timestamp: number, domain: TimeDomain, key: unknown, out: Collector): void;
  /** All input ended (bounded input or finish()); pending timers have already fired. */
  endOfInput?(out: Collector): void | Promise<void>;
  /** Release resources; called on finish, failure and cancel. */
  close?(): void | Promise<void>;
}

/** A source: pulled by the runtime, which injects barriers between polls. */
export interface SourceFunction {
  open?(): void | Promise<void>;
  /** Emits up to `max` records. */
  poll(out: Collector, max: number): PollResult | Promise<PollResult>;
  /** The state of every assigned split (offsets), by split id. */
  snapshotState(): Record<string, unknown>;
  /** A DLQ record resubmitted into this source step; default: emitted as is. */
  resubmit?(value: unknown, out: Collector): void;
  notifyCheckpointComplete?(checkpointId: number): void | Promise<void>;
  close?(): void | Promise<void>;
}

/** An operator: one input record in, any number out. Throwing rejects the record. */
export interface OperatorFunction extends FunctionLifecycle {
  processRecord(value: unknown, key: unknown, out: Collector): void;
}

/** A sink: consumes records. Throwing (or a rejected promise) rejects the record. */
export interface SinkFunction extends FunctionLifecycle {
  invoke(value: unknown, key: unknown): void | Promise<void>;
}

export interface SourceDefinition {
  operatorType: 'Source';
  typeName: string;
  description?: string;
  /** Every split of the source, independent of parallelism (e.g. files, or maxParallelism ranges). */
  splits(ctx: RuntimeContext): string[] | Promise<string[]>;
  create(ctx: SourceContext): SourceFunction;
}

export interface OperatorFunctionDefinition {
  operatorType: 'Operator';
  typeName: string;
  description?: string;
  create(ctx: RuntimeContext): OperatorFunction;
}

export interface SinkDefinition {
  operatorType: 'Sink';
  typeName: string;
  description?: string;
  create(ctx: RuntimeContext): SinkFunction;
}

/** What a plugin registers: a source, operator or sink by typeName. */
export type OperatorDefinition = SourceDefinition | OperatorFunctionDefinition | SinkDefinition;

export type TimeDomain = 'processing' | 'event';

export interface ValueState<T> {
  get(): T | undefined;
  set(value: T): void;
  clear(): void;
}

export interface MapState<V> {
  get(mapKey: string): V | undefined;
  set(mapKey: string, value: V): void;
  delete(mapKey: string): void;
  has(mapKey: string): boolean;
  entries(): Array<[string, V]>;
  clear(): void;
}

export interface ListState<T> {
  get(): T[];
  add(value: T): void;
  update(values: T[]): void;
  clear(): void;
}

/** Keyed state, scoped by the current key; values must be JSON-serialisable. */
export interface KeyedStateStore {
  value<T>(name: string): ValueState<T>;
  map<V>(name: string): MapState<V>;
  list<T>(name: string): ListState<T>;
}

export interface TimerService {
  currentProcessingTime(): number;
  /** The highest event time the subtask has seen (its watermark); -Infinity before the first record. */
  currentWatermark(): number;
  registerProcessingTimeTimer(timestamp: number): void;
  registerEventTimeTimer(timestamp: number): void;
  deleteProcessingTimeTimer(timestamp: number): void;
  deleteEventTimeTimer(timestamp: number): void;
  /** Raises the watermark (event-time operators call this with record timestamps); fires due event timers after the batch. */
  advanceWatermark(timestamp: number): void;
}
