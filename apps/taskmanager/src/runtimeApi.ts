/**
 * @module
 * The part of @flinknet/runtime the TaskManager drives. The registry is
 * narrowed to what the TaskManager calls so the command handler can be
 * unit-tested with a stand-in; the real engine is checked against it at
 * compile time. Hooks and executions are the runtime's own types.
 */
import {
  createRegistry,
  type ExecutionHooks,
  type JobExecution,
  loadPlugin,
  type StartJobOptions as RuntimeStartJobOptions,
  startJob,
} from '@flinknet/runtime';

export type { ExecutionHooks, JobExecution };

/** The operators a TaskManager can run: built-ins plus loaded plugins. */
export interface OperatorRegistry {
  /** `"<OperatorType>:<typeName>"` of every operator, e.g. `"Source:sequence"`. */
  offered(): string[];
}

/** The runtime's start options, with the narrowed registry. */
export type StartJobOptions = Omit<RuntimeStartJobOptions, 'registry'> & {
  registry: OperatorRegistry;
};

/** The runtime entry points the TaskManager uses. */
export interface TaskRuntime {
  createRegistry(): OperatorRegistry;
  loadPlugin(registry: OperatorRegistry, modulePath: string): Promise<string[]>;
  startJob(options: StartJobOptions): JobExecution;
}

/** The real engine, checked against the interfaces above at compile time. */
export const flinknetRuntime: TaskRuntime = { createRegistry, loadPlugin, startJob };
