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
    });
    return known;
  }

  /** Records a heartbeat; false for a TaskManager that is not live. */
  touch(taskManagerId: string, nowMs: number): boolean {
    const tm = this.#live.get(taskManagerId);
    if (!tm) return false;
    tm.lastHeartbeatMs = nowMs;
    return true;
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

  /** TaskManagers silent for longer than `timeoutMs`. */
  expired(nowMs: number, timeoutMs: number): LiveTaskManager[] {
    return this.list().filter((tm) => nowMs - tm.lastHeartbeatMs > timeoutMs);
  }
}
