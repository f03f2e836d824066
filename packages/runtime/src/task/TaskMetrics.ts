/**
 * @module
 * Running counters of one subtask, read by reports() every heartbeat.
 */
import type { TaskMetricsReport } from '@flinknet/contracts';

export class TaskMetrics {
  recordsIn = 0;
  recordsOut = 0;
  dlqRecords = 0;
  stateSizeBytes = 0;
  /** Milliseconds spent waiting on full output channels, in total. */
  backpressuredMs = 0;
  /** When the current wait on a full channel began, if the task is waiting now. */
  blockedSince: number | null = null;
  private lastSample = { at: performance.now(), backpressuredMs: 0 };
  private lastRatio = 0;

  /** The report; the backpressure ratio covers the time since the previous call. */
  report(): TaskMetricsReport {
    const now = performance.now();
    const elapsed = now - this.lastSample.at;
    if (elapsed >= 50) {
      // A wait still in progress counts up to now.
      const blocked =
        this.backpressuredMs + (this.blockedSince === null ? 0 : now - this.blockedSince);
      const ratio = (blocked - this.lastSample.backpressuredMs) / elapsed;
      this.lastRatio = Math.min(1, Math.max(0, ratio));
      this.lastSample = { at: now, backpressuredMs: blocked };
    }
    return {
      recordsIn: this.recordsIn,
      recordsOut: this.recordsOut,
      backpressureRatio: Math.round(this.lastRatio * 1000) / 1000,
      stateSizeBytes: Math.max(0, Math.round(this.stateSizeBytes)),
      dlqRecords: this.dlqRecords,
    };
  }
}
