/**
 * @module
 * @flinknet/taskmanager: the worker process, also startable in-process.
 */

export type { TaskManagerConfig } from './config';
export { parseConfig, UsageError } from './config';
export { JobManagerUnreachableError, ProtocolError } from './errors';
export type { ProtocolClient, ProtocolClientOptions } from './protocolClient';
export { createProtocolClient } from './protocolClient';
export type { ExecutionHooks, JobExecution, OperatorRegistry, TaskRuntime } from './runtimeApi';
export type { RunningTaskManager, StartTaskManagerOptions } from './startTaskManager';
export { startTaskManager, TASKMANAGER_VERSION } from './startTaskManager';
