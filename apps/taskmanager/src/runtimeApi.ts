/**
 * @module
 * The part of @flinknet/runtime the TaskManager drives, written down as
 * interfaces so the command handler can be unit-tested with a stand-in; the
 * real engine is checked against them at compile time.
 */
import type {
  CheckpointAck,
  CheckpointDecline,
  CheckpointKind,
  DeployCommand,
  DlqRecordReport,
  SnapshotResponse,
  TaskLogLine,
  TaskReport,
} from '@flinknet/contracts';
import { createRegistry, loadPlugin, startJob } from '@flinknet/runtime';

/** The operators a TaskManager can run: built-ins plus loaded plugins. */
export interface OperatorRegistry {
  /** `"<OperatorType>:<typeName>"` of every operator, e.g. `"Source:sequence"`. */
  offered(): string[];
}

/** Where a running job reports to; the TaskManager forwards it all in heartbeats. */
export interface ExecutionHooks {
  onTaskState(report: TaskReport): void;
  onCheckpointAck(ack: CheckpointAck): void;
  onCheckpointDecline(decline: CheckpointDecline): void;
  onLog(line: TaskLogLine): void;
  onDlq(record: DlqRecordReport): void;
}

/** A DLQ record sent back into the step that rejected it. */
export interface ResubmittedRecord {
  messageId: string;
  stepName: string;
  payload: string;
}

/** One deployed attempt of a job: the subtasks this TaskManager runs for it. */
export interface JobExecution {
  readonly jobId: string;
  readonly attempt: number;
  triggerCheckpoint(
    checkpointId: number,
    kind: CheckpointKind,
    timestamp: number,
  ): void | Promise<void>;
  notifyCheckpointComplete(checkpointId: number): Promise<void>;
  finish(): void | Promise<void>;
  cancel(): Promise<void>;
  resubmit(records: ResubmittedRecord[]): void | Promise<void>;
  /** Current state and metrics of every subtask. */
  reports(): TaskReport[];
  /** Settles when every subtask reached a final state. */
  readonly done: Promise<void>;
}

export interface StartJobOptions {
  deploy: DeployCommand;
  registry: OperatorRegistry;
  dataDir: string;
  restore: SnapshotResponse | null;
  hooks: ExecutionHooks;
}

/** The runtime entry points the TaskManager uses. */
export interface TaskRuntime {
  createRegistry(): OperatorRegistry;
  loadPlugin(registry: OperatorRegistry, modulePath: string): Promise<string[]>;
  startJob(options: StartJobOptions): JobExecution;
}

/** The real engine, checked against the interfaces above at compile time. */
export const flinknetRuntime: TaskRuntime = { createRegistry, loadPlugin, startJob };
