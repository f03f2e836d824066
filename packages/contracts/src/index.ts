/**
 * @module
 * @flinknet/contracts: the wire contract of FlinkNet, written once as zod
 * schemas. The server validates with them, the SDK is typed by them, the
 * OpenAPI document is generated from them.
 */

export * from './checkpoints';
export * from './common';
export * from './dlq';
export * from './events';
export * from './job-definition';
export * from './job-graph';
export * from './job-state';
export * from './jobs';
export * from './logs';
export * from './metrics';
export * from './problem';
export * from './protocol';
export * from './routes';
export * from './taskmanagers';
export * from './tokens';
