/**
 * @module
 * Pending commands per TaskManager. A heartbeat or a long-poll drains them; a
 * waiting long-poll is woken as soon as a command is queued, which is how
 * commands reach a TaskManager within milliseconds.
 */
import type { TaskManagerCommand } from '@flinknet/contracts';

/** FIFO of commands per TaskManager with wake-ups for long-polls. */
export class CommandQueue {
  readonly #queues = new Map<string, TaskManagerCommand[]>();
  readonly #waiters = new Map<string, Set<() => void>>();

  /** Queues a command and wakes the TaskManager's waiting poll. */
  push(taskManagerId: string, command: TaskManagerCommand): void {
    let queue = this.#queues.get(taskManagerId);
    if (!queue) {
      queue = [];
      this.#queues.set(taskManagerId, queue);
    }
    queue.push(command);
    for (const wake of this.#waiters.get(taskManagerId) ?? []) wake();
  }

  /** Takes every pending command of a TaskManager. */
  drain(taskManagerId: string): TaskManagerCommand[] {
    const queue = this.#queues.get(taskManagerId) ?? [];
    this.#queues.delete(taskManagerId);
    return queue;
  }

  /** Drops the commands of a TaskManager (it was lost or registered afresh). */
  clear(taskManagerId: string): void {
    this.#queues.delete(taskManagerId);
  }

  /**
   * Resolves with the pending commands as soon as there are any, or with none
   * after `waitMs`, when `signal` aborts, or when the queue closes.
   */
  async wait(
    taskManagerId: string,
    waitMs: number,
    signal?: AbortSignal,
  ): Promise<TaskManagerCommand[]> {
    if ((this.#queues.get(taskManagerId)?.length ?? 0) > 0 || waitMs === 0 || this.#closed) {
      return this.drain(taskManagerId);
    }
    await new Promise<void>((resolve) => {
      let set = this.#waiters.get(taskManagerId);
      if (!set) {
        set = new Set();
        this.#waiters.set(taskManagerId, set);
      }
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      set.add(done);
      signal?.addEventListener('abort', done);
    });
    return this.drain(taskManagerId);
  }

  #closed = false;

  /** Releases every waiting poll (shutdown) and answers later polls at once. */
  close(): void {
    this.#closed = true;
    for (const set of this.#waiters.values()) for (const wake of [...set]) wake();
  }
}
