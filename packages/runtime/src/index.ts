/**
 * @module
 * @flinknet/runtime: the dataflow engine a TaskManager runs. Create a registry
 * (built-ins pre-loaded), load plugins into it, and start deployments with
 * startJob; the returned JobExecution takes checkpoint, commit, finish,
 * cancel and DLQ commands and reports through the hooks.
 */
export { createRegistry, InvalidOperatorDefinitionError, type OperatorKind, type OperatorRegistry } from './registry';
export { loadPlugin, PluginLoadError } from './loadPlugin';
export {
  startJob,
  StartJobError,
  type ExecutionHooks,
  type JobExecution,
  type ResubmittedRecord,
  type StartJobOptions,
} from './startJob';
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
export { compileExpression, ExpressionError, RecordRejectedError, type CompiledExpression } from './expressions/compileExpression';
export { compileKeySelector } from './expressions/keySelector';
export {
  DEFAULT_MAX_PARALLELISM,
  keyGroupOf,
  keyGroupRange,
  murmurHash,
  operatorIndexForKeyGroup,
  stringHashCode,
} from './keyGroups';
export { PathEscapeError, resolveUnder } from './paths';
export { InvalidPropertyError } from './operators/properties';
export type { SubtaskSnapshot } from './checkpoint/snapshots';
