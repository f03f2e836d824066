import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlreadyExistsError } from '../errors';
import type { Store } from '../openStore';
import { createSampleJob, TempStores } from '../test-support/fixtures';

describe('batchWrite (group commit)', () => {
  let temp: TempStores;
  let store: Store;
  beforeEach(() => {
    temp = new TempStores();
    store = temp.open('batch.db');
  });
  afterEach(() => temp.cleanup());

  /** What another connection sees: only committed rows. */
  const committedJobNames = (): string[] => {
    const reader = new Database(join(temp.dir, 'batch.db'), { readonly: true });
    try {
      return (
        reader.prepare('SELECT job_name FROM jobs ORDER BY job_name').all() as {
          job_name: string;
        }[]
      ).map((r) => r.job_name);
    } finally {
      reader.close();
    }
  };

  it('runs the writes of one turn in one transaction and resolves once it has committed', async () => {
    const inTransaction: boolean[] = [];
    const sqlite = (store as unknown as { sqlite: Database.Database }).sqlite;
    const writes = ['a', 'b', 'c'].map((name) =>
      store.batchWrite(() => {
        inTransaction.push(sqlite.inTransaction);
        return createSampleJob(store, name).jobName;
      }),
    );
    // Queued, not yet run: nothing is visible before the turn ends.
    expect(committedJobNames()).toEqual([]);
    const first = await writes[0];
    expect(first).toBe('a');
    // By the time the first resolves, the whole group is visible to another connection.
    expect(committedJobNames()).toEqual(['a', 'b', 'c']);
    expect(await Promise.all(writes)).toEqual(['a', 'b', 'c']);
    expect(inTransaction).toEqual([true, true, true]);
  });

  it('rolls back and rejects only the write that throws; the others commit', async () => {
    const ok1 = store.batchWrite(() => createSampleJob(store, 'kept-1'));
    const failed = store.batchWrite(() => {
      createSampleJob(store, 'rolled-back');
      throw new Error('refused after writing');
    });
    const duplicate = store.batchWrite(() => {
      createSampleJob(store, 'dup-1', { key: 'k', bodyHash: 'h' });
      return createSampleJob(store, 'dup-2', { key: 'k', bodyHash: 'h' });
    });
    const ok2 = store.batchWrite(() => createSampleJob(store, 'kept-2'));
    await expect(failed).rejects.toThrow('refused after writing');
    await expect(duplicate).rejects.toBeInstanceOf(AlreadyExistsError);
    await expect(ok1).resolves.toMatchObject({ jobName: 'kept-1' });
    await expect(ok2).resolves.toMatchObject({ jobName: 'kept-2' });
    expect(committedJobNames()).toEqual(['kept-1', 'kept-2']);
    expect(store.findIdempotencyKey('k')).toBeUndefined();
  });

  it('commits what is queued when the store closes', async () => {
    const pending = store.batchWrite(() => createSampleJob(store, 'last'));
    store.close();
    await expect(pending).resolves.toMatchObject({ jobName: 'last' });
    expect(committedJobNames()).toEqual(['last']);
  });

  it('rejects writes queued after the store closed', async () => {
    store.close();
    await expect(store.batchWrite(() => createSampleJob(store, 'late'))).rejects.toThrow(/closed/);
  });
});
