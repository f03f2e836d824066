/**
 * @module
 * @flinknet/taskmanager: the worker process, also startable in-process.
 */
export { startTaskManager, TASKMANAGER_VERSION } from './startTaskManager';
export type { RunningTaskManager, StartTaskManagerOptions } from './startTaskManager';
export { parseConfig, UsageError } from './config';
export type { TaskManagerConfig } from './config';
export { createProtocolClient } from './protocolClient';
export type { ProtocolClient, ProtocolClientOptions } from './protocolClient';
export { JobManagerUnreachableError, ProtocolError } from './errors';
export type { ExecutionHooks, JobExecution, OperatorRegistry, TaskRuntime } from './runtimeApi';
