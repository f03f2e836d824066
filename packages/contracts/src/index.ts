/**
 * @module
 * @flinknet/contracts: the wire contract of FlinkNet, written once as zod
 * schemas. The server validates with them, the SDK is typed by them, the
 * OpenAPI document is generated from them.
 */
export * from './common';
export * from './job-definition';
export * from './job-state';
export * from './job-graph';
export * from './jobs';
export * from './metrics';
export * from './checkpoints';
export * from './taskmanagers';
export * from './logs';
export * from './dlq';
export * from './events';
export * from './problem';
export * from './tokens';
export * from './protocol';
export * from './routes';
