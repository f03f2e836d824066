/**
 * @module
 * Registered TaskManagers: what they offer and when they were last heard from.
 */
import type { TaskManagerState } from '@flinknet/contracts';
import { asc, eq, sql } from 'drizzle-orm';
import { NotFoundError } from '../errors';
import type { RepoContext } from '../internals/db';
import { toStoredTime } from '../internals/time';
import { taskManagers } from '../schema';
import type { TaskManagerRecord } from '../types';

// drizzle accepts a placeholder in SET only wrapped in sql``.
const param = (name: string) => sql`${sql.placeholder(name)}`;

/** TaskManager registrations and heartbeats. */
export class TaskManagersRepository {
  private readonly touch;

  constructor(private readonly ctx: RepoContext) {
    // Every heartbeat touches its TaskManager: prepared once.
    this.touch = ctx.db
      .update(taskManagers)
      .set({ lastHeartbeat: param('at') })
      .where(eq(taskManagers.taskManagerId, sql.placeholder('id')))
      .prepare();
  }

  /** A (re-)registration: the TaskManager is ACTIVE again with a fresh registration time. */
  upsert(
    tm: Omit<TaskManagerRecord, 'registeredAt' | 'lastHeartbeat' | 'state'>,
  ): TaskManagerRecord {
    const at = this.ctx.now().toISOString();
    const fields = {
      address: tm.address,
      version: tm.version,
      slots: tm.slots,
      operators: tm.operators,
    };
    return this.ctx.db
      .insert(taskManagers)
      .values({
        taskManagerId: tm.taskManagerId,
        ...fields,
        state: 'ACTIVE',
        registeredAt: at,
        lastHeartbeat: at,
      })
      .onConflictDoUpdate({
        target: taskManagers.taskManagerId,
        set: { ...fields, state: 'ACTIVE', registeredAt: at, lastHeartbeat: at },
      })
      .returning()
      .get();
  }

  heartbeat(taskManagerId: string, at?: string): void {
    const time = at === undefined ? this.ctx.now().toISOString() : toStoredTime(at, 'at');
    const result = this.touch.run({ id: taskManagerId, at: time });
    if (result.changes === 0) throw new NotFoundError('taskmanager', taskManagerId);
  }

  setState(taskManagerId: string, state: TaskManagerState): void {
    const result = this.ctx.db
      .update(taskManagers)
      .set({ state })
      .where(eq(taskManagers.taskManagerId, taskManagerId))
      .run();
    if (result.changes === 0) throw new NotFoundError('taskmanager', taskManagerId);
  }

  get(taskManagerId: string): TaskManagerRecord | undefined {
    return this.ctx.db
      .select()
      .from(taskManagers)
      .where(eq(taskManagers.taskManagerId, taskManagerId))
      .get();
  }

  list(): TaskManagerRecord[] {
    return this.ctx.db.select().from(taskManagers).orderBy(asc(taskManagers.taskManagerId)).all();
  }
}
