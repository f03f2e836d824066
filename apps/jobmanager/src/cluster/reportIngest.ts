/**
 * @module
 * Stores what TaskManagers report besides task states: log lines and
 * dead-letter records. Both are kept whatever their attempt, since each
 * describes something that really happened; reports about unknown jobs are
 * dropped.
 */
import { randomUUID } from 'node:crypto';
import type { DlqRecordReport, TaskLogLine } from '@flinknet/contracts';
import type { JobRepository, NewDlqMessage } from '@flinknet/store';
import type { EventBus } from '../events/eventBus';

/** Appends TaskManager log lines to their jobs' logs (source `<tm>/<source>`) and publishes them as events. */
export function ingestLogs(
  store: JobRepository,
  bus: EventBus,
  taskManagerId: string,
  lines: readonly TaskLogLine[],
): void {
  const known = lines.filter((line) => store.getJob(line.jobId) !== undefined);
  if (known.length === 0) return;
  store.appendLogs(
    known.map((line) => ({
      jobId: line.jobId,
      level: line.level,
      source: `${taskManagerId}/${line.source}`,
      message: line.message,
      timestamp: line.timestamp,
    })),
  );
  for (const line of known)
    bus.publish({ jobId: line.jobId, type: 'log', message: `[${line.level}] ${line.message}` });
}

/** New dead letters become PENDING messages; a resubmitted one that failed again (messageId set) is reopened. */
export function ingestDeadLetters(store: JobRepository, records: readonly DlqRecordReport[]): void {
  const fresh: NewDlqMessage[] = [];
  for (const record of records) {
    if (!store.getJob(record.jobId)) continue;
    if (record.messageId !== undefined && store.getDlq(record.jobId, record.messageId)) {
      store.reopenDlq(record.jobId, record.messageId, record.errorMessage);
      continue;
    }
    fresh.push({
      messageId: randomUUID(),
      jobId: record.jobId,
      stepName: record.stepName,
      subtaskIndex: record.subtaskIndex,
      errorMessage: record.errorMessage,
      payload: record.payload,
    });
  }
  if (fresh.length > 0) store.addDlqMessages(fresh);
}
