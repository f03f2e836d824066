/**
 * @module
 * @flinknet/store: the SQLite JobRepository of the FlinkNet JobManager.
 */

export {
  AlreadyExistsError,
  CheckpointStateError,
  IllegalTransitionError,
  InvalidCursorError,
  InvalidInputError,
  isStoreError,
  NotFoundError,
  StoreError,
} from './errors';
export type { OpenStoreOptions, Store, StorePragmas } from './openStore';
export { openStore } from './openStore';
export { timeOrderedUuid } from './timeOrderedId';
export type {
  AuditRecord,
  CheckpointRecord,
  CheckpointTaskRecord,
  CreateJobInput,
  DlqRecord,
  JobRecord,
  JobRepository,
  LogRecord,
  NewAudit,
  NewDlqMessage,
  NewLog,
  Page,
  PageOptions,
  TaskManagerRecord,
  TaskRecord,
  TaskUpdate,
  TokenRecord,
  TransitionInput,
  TransitionRecord,
} from './types';
