/**
 * @module
 * A step's `chainedOperators`: operators fused after the step's own function
 * in the same subtask (Flink's operator chaining, as Flink.NET's DTO has it).
 * Each chained operator gets its own context (name, properties), rejects
 * records under its own name, and can take resubmitted DLQ records directly.
 */
import type {
  Collector,
  OperatorFunction,
  OperatorFunctionDefinition,
  RuntimeContext,
  SourceDefinition,
  SourceFunction,
} from '../api';

/** One operator chained after the step's own function. */
export interface ChainedStage {
  readonly name: string;
  readonly definition: OperatorFunctionDefinition;
  /** Creates the context the stage's function receives. */
  readonly context: () => RuntimeContext;
}

/** What a function with chained operators adds: entering the chain at a chained operator. */
export interface ChainEntry {
  /** Processes `value` as the input of chained operator `position` (1 = the first chained one). */
  processFrom(position: number, value: unknown, key: unknown, out: Collector): void;
}

interface Stages {
  fns: OperatorFunction[];
  contexts: RuntimeContext[];
  feeds: Collector[];
  setDownstream(out: Collector, key: unknown): void;
}

function buildStages(stages: readonly ChainedStage[]): Stages {
  const contexts = stages.map((stage) => stage.context());
  const fns = stages.map((stage, i) => stage.definition.create(contexts[i]!));
  let downstream: Collector = { emit() {} };
  let key: unknown;
  // feeds[i] hands a record to stage i; feeds[n] is the subtask's output.
  const feeds: Collector[] = [];
  for (let i = 0; i <= fns.length; i++) {
    feeds.push(
      i === fns.length
        ? { emit: (value) => downstream.emit(value) }
        : {
            emit: (value) => {
              try {
                fns[i]!.processRecord(value, key, feeds[i + 1]!);
              } catch (error) {
                contexts[i]!.rejectRecord(value, error);
              }
            },
          },
    );
  }
  return {
    fns,
    contexts,
    feeds,
    setDownstream(out, k) {
      downstream = out;
      key = k;
    },
  };
}

interface ChainState {
  main?: unknown;
  chained?: unknown[];
}

/** An operator definition whose function runs `stages` after the main one. */
export function chainOperator(
  main: OperatorFunctionDefinition,
  stages: readonly ChainedStage[],
): OperatorFunctionDefinition {
  return {
    operatorType: 'Operator',
    typeName: main.typeName,
    create(ctx) {
      const head = main.create(ctx);
      const chain = buildStages(stages);
      const all = [head, ...chain.fns];
      const fn: OperatorFunction & ChainEntry = {
        processRecord(value, key, out) {
          chain.setDownstream(out, key);
          head.processRecord(value, key, chain.feeds[0]!);
        },
        processFrom(position, value, key, out) {
          chain.setDownstream(out, key);
          chain.feeds[position - 1]!.emit(value);
        },
        async restoreState(states) {
          const parts = states as ChainState[];
          await head.restoreState?.(parts.map((s) => s?.main).filter((s) => s !== undefined));
          for (const [i, stage] of chain.fns.entries()) {
            await stage.restoreState?.(
              parts.map((s) => s?.chained?.[i]).filter((s) => s !== undefined),
            );
          }
        },
        async open() {
          for (const f of all) await f.open?.();
        },
        async snapshotState(checkpointId) {
          const state: ChainState = { main: await head.snapshotState?.(checkpointId), chained: [] };
          for (const stage of chain.fns)
            state.chained!.push(await stage.snapshotState?.(checkpointId));
          return state;
        },
        async notifyCheckpointComplete(checkpointId) {
          for (const f of all) await f.notifyCheckpointComplete?.(checkpointId);
        },
        onTimer(timestamp, domain, key, out) {
          // Timers belong to the step's own function; chained operators do not register any.
          chain.setDownstream(out, key);
          head.onTimer?.(timestamp, domain, key, chain.feeds[0]!);
        },
        async endOfInput(out) {
          chain.setDownstream(out, undefined);
          await head.endOfInput?.(chain.feeds[0]!);
          for (const [i, stage] of chain.fns.entries())
            await stage.endOfInput?.(chain.feeds[i + 1]!);
        },
        async close() {
          for (const f of all) await f.close?.();
        },
      };
      return fn;
    },
  };
}

/** A source definition whose records pass through `stages` before they leave the subtask. */
export function chainSource(
  main: SourceDefinition,
  stages: readonly ChainedStage[],
): SourceDefinition {
  return {
    operatorType: 'Source',
    typeName: main.typeName,
    splits: (ctx) => main.splits(ctx),
    create(ctx) {
      const head = main.create(ctx);
      const chain = buildStages(stages);
      const fn: SourceFunction & ChainEntry = {
        async open() {
          await head.open?.();
          for (const stage of chain.fns) await stage.open?.();
        },
        poll(out, max) {
          chain.setDownstream(out, undefined);
          return head.poll(chain.feeds[0]!, max);
        },
        snapshotState: () => head.snapshotState(),
        resubmit(value, out) {
          chain.setDownstream(out, undefined);
          if (head.resubmit) head.resubmit(value, chain.feeds[0]!);
          else chain.feeds[0]!.emit(value);
        },
        processFrom(position, value, _key, out) {
          chain.setDownstream(out, undefined);
          chain.feeds[position - 1]!.emit(value);
        },
        async notifyCheckpointComplete(checkpointId) {
          await head.notifyCheckpointComplete?.(checkpointId);
        },
        async close() {
          await head.close?.();
          for (const stage of chain.fns) await stage.close?.();
        },
      };
      return fn;
    },
  };
}
