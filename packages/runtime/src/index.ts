/**
 * @module
 * @flinknet/runtime: the dataflow engine a TaskManager runs. Create a registry
 * (built-ins pre-loaded), load plugins into it, and start deployments with
 * startJob; the returned JobExecution takes checkpoint, commit, finish,
 * cancel and DLQ commands and reports through the hooks.
 */

export type {
  AssignedSplit,
  Collector,
  FunctionLifecycle,
  KeyedStateStore,
  ListState,
  MapState,
  OperatorDefinition,
  OperatorFunction,
  OperatorFunctionDefinition,
  PollResult,
  RuntimeContext,
  SinkDefinition,
  SinkFunction,
  SourceContext,
  SourceDefinition,
  SourceFunction,
  TimeDomain,
  TimerService,
  ValueState,
} from './api';
export type { SubtaskSnapshot } from './checkpoint/snapshots';
export {
  type CompiledExpression,
  compileExpression,
  ExpressionError,
  RecordRejectedError,
} from './expressions/compileExpression';
export { compileKeySelector } from './expressions/keySelector';
export {
  DEFAULT_MAX_PARALLELISM,
  keyGroupOf,
  keyGroupRange,
  murmurHash,
  operatorIndexForKeyGroup,
  stringHashCode,
} from './keyGroups';
export { loadPlugin, PluginLoadError } from './loadPlugin';
export { InvalidPropertyError } from './operators/properties';
export { PathEscapeError, resolveUnder } from './paths';
export {
  createRegistry,
  InvalidOperatorDefinitionError,
  type OperatorKind,
  type OperatorRegistry,
} from './registry';
export {
  type ExecutionHooks,
  type JobExecution,
  type ResubmittedRecord,
  StartJobError,
  type StartJobOptions,
  startJob,
} from './startJob';
