/**
 * @module
 * What the TaskManager still has to tell the JobManager: checkpoint acks and
 * declines, log lines, DLQ records and task-state changes. A heartbeat takes a
 * batch; when the heartbeat fails the batch goes back to the front, so
 * nothing is lost while the JobManager is away.
 */
import type {
  CheckpointAck,
  CheckpointDecline,
  DlqRecordReport,
  TaskLogLine,
  TaskReport,
} from '@flinknet/contracts';

/** One heartbeat's worth of reports (tasks excluded: those come from the executions). */
export interface ReportBatch {
  taskChanges: TaskReport[];
  checkpointAcks: CheckpointAck[];
  checkpointDeclines: CheckpointDecline[];
  logs: TaskLogLine[];
  dlq: DlqRecordReport[];
}

export interface ReportOutboxOptions {
  /** Most items of each kind in one batch, so a heartbeat body stays small. Default 500. */
  batchSize?: number;
  /** Log lines kept while the JobManager is away; older lines are dropped first. Default 5000. */
  maxLogs?: number;
}

/** Keys a task report by job, attempt, vertex and subtask. */
export function taskKeyOf(
  report: Pick<TaskReport, 'jobId' | 'attempt' | 'vertexId' | 'subtaskIndex'>,
): string {
  return `${report.jobId}/${report.attempt}/${report.vertexId}/${report.subtaskIndex}`;
}

/** A queue of unsent reports with take/return-on-failure semantics. */
export class ReportOutbox {
  private taskChanges = new Map<string, TaskReport>();
  private acks: CheckpointAck[] = [];
  private declines: CheckpointDecline[] = [];
  private logs: TaskLogLine[] = [];
  private dlq: DlqRecordReport[] = [];
  private readonly batchSize: number;
  private readonly maxLogs: number;
  /** Log lines dropped because the JobManager was away too long. */
  droppedLogs = 0;

  constructor(options: ReportOutboxOptions = {}) {
    this.batchSize = options.batchSize ?? 500;
    this.maxLogs = options.maxLogs ?? 5000;
  }

  /** Records the latest state of a task; a later change of the same task replaces it. */
  addTaskChange(report: TaskReport): void {
    const key = taskKeyOf(report);
    this.taskChanges.delete(key);
    this.taskChanges.set(key, report);
  }

  addAck(ack: CheckpointAck): void {
    this.acks.push(ack);
  }

  addDecline(decline: CheckpointDecline): void {
    this.declines.push(decline);
  }

  addLog(line: TaskLogLine): void {
    this.logs.push(line);
    const excess = this.logs.length - this.maxLogs;
    if (excess > 0) {
      this.logs.splice(0, excess);
      this.droppedLogs += excess;
    }
  }

  addDlq(record: DlqRecordReport): void {
    this.dlq.push(record);
  }

  /** True when something is waiting to be sent. */
  get pending(): boolean {
    return (
      this.taskChanges.size +
        this.acks.length +
        this.declines.length +
        this.logs.length +
        this.dlq.length >
      0
    );
  }

  /** Takes the next batch out of the outbox; give it back with `restore` if sending fails. */
  take(): ReportBatch {
    const n = this.batchSize;
    const batch: ReportBatch = {
      taskChanges: [...this.taskChanges.values()],
      checkpointAcks: this.acks.splice(0, n),
      checkpointDeclines: this.declines.splice(0, n),
      logs: this.logs.splice(0, n),
      dlq: this.dlq.splice(0, n),
    };
    this.taskChanges.clear();
    return batch;
  }

  /** Puts an unsent batch back in front of what arrived since, keeping order. */
  restore(batch: ReportBatch): void {
    const newer = this.taskChanges;
    this.taskChanges = new Map(batch.taskChanges.map((r) => [taskKeyOf(r), r]));
    for (const [key, report] of newer) {
      this.taskChanges.delete(key);
      this.taskChanges.set(key, report);
    }
    this.acks = [...batch.checkpointAcks, ...this.acks];
    this.declines = [...batch.checkpointDeclines, ...this.declines];
    this.dlq = [...batch.dlq, ...this.dlq];
    this.logs = [...batch.logs, ...this.logs];
    const excess = this.logs.length - this.maxLogs;
    if (excess > 0) {
      this.logs.splice(0, excess);
      this.droppedLogs += excess;
    }
  }
}
