/**
 * @module
 * The TaskManagers this JobManager has heard from since it started. The
 * store keeps their history; only this registry decides who is live, so a
 * JobManager restart treats every stored TaskManager as unknown until it
 * registers again.
 */
import type { RegisterRequest } from '@flinknet/contracts';

export interface LiveTaskManager {
  taskManagerId: string;
  address: string;
  version: string;
  slots: number;
  operators: ReadonlySet<string>;
  lastHeartbeatMs: number;
  /** When its long-poll connection dropped with no new poll since; null while connected. */
  pollDroppedAtMs: number | null;
  /** Counts the long-polls started; identifies the newest one. */
  pollSeq: number;
}

/** Live TaskManagers and their last heartbeat. */
export class TaskManagerRegistry {
  readonly #live = new Map<string, LiveTaskManager>();

  /** Adds or replaces a TaskManager; returns true when it was already live (it restarted). */
  register(request: RegisterRequest, nowMs: number): boolean {
    const known = this.#live.has(request.taskManagerId);
    this.#live.set(request.taskManagerId, {
      taskManagerId: request.taskManagerId,
      address: request.address,
      version: request.version,
      slots: request.slots,
      operators: new Set(request.operators),
      lastHeartbeatMs: nowMs,
      pollDroppedAtMs: null,
      pollSeq: 0,
    });
    return known;
  }

  /** Records a heartbeat; false for a TaskManager that is not live. */
  touch(taskManagerId: string, nowMs: number): boolean {
    const tm = this.#live.get(taskManagerId);
    if (!tm) return false;
    // A heartbeat does not clear a dropped poll: one may be in flight from a
    // process that just died. A live TaskManager polls again within ~100 ms.
    tm.lastHeartbeatMs = nowMs;
    return true;
  }

  /** A long-poll of the TaskManager opened: it is connected. Returns the poll's number. */
  pollStarted(taskManagerId: string): number {
    const tm = this.#live.get(taskManagerId);
    if (!tm) return 0;
    tm.pollDroppedAtMs = null;
    return ++tm.pollSeq;
  }

  /**
   * Poll `seq` ended; `dropped` when its connection closed before the answer.
   * If no newer poll has opened since, the process may be gone (an older poll
   * dropping while a newer one is open says nothing).
   */
  pollEnded(taskManagerId: string, seq: number, dropped: boolean, nowMs: number): void {
    const tm = this.#live.get(taskManagerId);
    if (tm && dropped && seq === tm.pollSeq && tm.pollDroppedAtMs === null)
      tm.pollDroppedAtMs = nowMs;
  }

  get(taskManagerId: string): LiveTaskManager | undefined {
    return this.#live.get(taskManagerId);
  }

  remove(taskManagerId: string): void {
    this.#live.delete(taskManagerId);
  }

  list(): LiveTaskManager[] {
    return [...this.#live.values()];
  }

  /** Every operator some live TaskManager offers. */
  offeredOperators(): Set<string> {
    return new Set(this.list().flatMap((tm) => [...tm.operators]));
  }

  /**
   * TaskManagers silent for longer than `timeoutMs`, or whose long-poll
   * dropped more than `dropGraceMs` ago with no contact since.
   */
  expired(
    nowMs: number,
    timeoutMs: number,
    dropGraceMs = Number.POSITIVE_INFINITY,
  ): LiveTaskManager[] {
    return this.list().filter(
      (tm) =>
        nowMs - tm.lastHeartbeatMs > timeoutMs ||
        (tm.pollDroppedAtMs !== null && nowMs - tm.pollDroppedAtMs > dropGraceMs),
    );
  }
}
