/**
 * @module
 * Group commit: writes queued in the same event-loop turn share one
 * transaction, so concurrent requests pay for one commit instead of one
 * each. Every write still runs in a savepoint of its own: one that throws is
 * rolled back and rejected alone, and the others commit.
 */
import type { Database } from 'better-sqlite3';

interface Pending {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Queues writes and commits them together on the next turn of the event loop. */
export class GroupCommit {
  #queue: Pending[] = [];
  #scheduled: NodeJS.Immediate | undefined;
  readonly #commitAll: (writes: Pending[]) => Outcome[];

  constructor(private readonly sqlite: Database) {
    // Nested better-sqlite3 transactions are savepoints.
    const savepoint = sqlite.transaction((write: () => unknown) => write());
    const all = sqlite.transaction((writes: Pending[]) =>
      writes.map((pending): Outcome => {
        try {
          return { ok: true, value: savepoint(pending.write) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
    this.#commitAll = (writes) => all.immediate(writes);
  }

  /** Runs `write` in the next group transaction; resolves once it has committed. */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
      this.#scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Commits what is queued now (also called before the connection closes). */
  flush(): void {
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    const writes = this.#queue;
    if (writes.length === 0) return;
    this.#queue = [];
    let outcomes: Outcome[];
    try {
      if (!this.sqlite.open) throw new Error('the store is closed');
      outcomes = this.#commitAll(writes);
    } catch (error) {
      // The commit itself failed (disk full, closed): nothing of this group is stored.
      for (const pending of writes) pending.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => {
      const pending = writes[i]!;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
  }
}
