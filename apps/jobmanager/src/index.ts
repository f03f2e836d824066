/**
 * @module
 * The FlinkNet JobManager: `createApp` composes it over a store (no socket),
 * `startJobManager` serves it on a port.
 */

export type { AuthSettings, CreateAppOptions, JobManagerApp } from './app';
export { createApp, DOCS_PATH, JOBMANAGER_VERSION, OPENAPI_PATH } from './app';
export type { AdminBootstrap } from './auth/bootstrapAdmin';
export { ADMIN_TOKEN_FILE, ensureAdminToken } from './auth/bootstrapAdmin';
export type { FailureThrottleOptions } from './auth/failureThrottle';
export { isLoopbackHost } from './auth/loopback';
export type { ClusterSettings, ServerConfig } from './config';
export { DEFAULT_SETTINGS, resolveServerConfig } from './config';
export type { RunningJobManager, StartJobManagerOptions } from './startJobManager';
export { startJobManager } from './startJobManager';
