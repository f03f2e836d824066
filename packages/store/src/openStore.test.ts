import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from './errors';
import { openStore } from './openStore';
import { createSampleJob, TempStores } from './test-support/fixtures';

const packageMigrations = join(import.meta.dirname, '..', 'drizzle');

describe('openStore', () => {
  let temp: TempStores;
  beforeEach(() => {
    temp = new TempStores();
  });
  afterEach(() => temp.cleanup());

  it('creates the parent directory of the file', () => {
    const file = join(temp.dir, 'a', 'b', 'flinknet.db');
    const store = openStore({ file });
    expect(existsSync(file)).toBe(true);
    expect(store.file).toBe(file);
    store.close();
  });

  it('sets WAL, synchronous NORMAL, foreign keys and a 5 s busy timeout on the connection', () => {
    const store = temp.open();
    expect(store.pragmas()).toEqual({
      journalMode: 'wal',
      synchronous: 1,
      foreignKeys: true,
      busyTimeoutMs: 5000,
    });
    store.close();
    // WAL is a property of the file: another connection sees it too.
    const raw = new Database(join(temp.dir, 'flinknet.db'));
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('applies every committed migration and records it', () => {
    temp.open().close();
    const raw = new Database(join(temp.dir, 'flinknet.db'), { readonly: true });
    const tables = raw
      .prepare("select name from sqlite_master where type = 'table' order by name")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'jobs',
        'job_transitions',
        'tasks',
        'checkpoints',
        'checkpoint_tasks',
        'taskmanagers',
        'job_logs',
        'dlq_messages',
        'idempotency_keys',
        'api_tokens',
        'audit_log',
        '__drizzle_migrations',
      ]),
    );
    const applied = raw.prepare('select count(*) as n from __drizzle_migrations').get() as {
      n: number;
    };
    expect(applied.n).toBeGreaterThanOrEqual(1);
    raw.close();
  });

  it('keeps everything across close and reopen, and migrating again changes nothing', () => {
    const first = temp.open();
    const job = createSampleJob(first, 'survivor', { key: 'key-1', bodyHash: 'hash-1' });
    first.transitionJob(job.jobId, { to: 'RUNNING', reason: 'deployed', patch: { attempt: 1 } });
    first.appendLogs([{ jobId: job.jobId, level: 'WARN', source: 'tm-1', message: 'slow' }]);
    first.close();

    const second = temp.open();
    expect(second.getJob(job.jobId)).toMatchObject({
      jobName: 'survivor',
      status: 'RUNNING',
      attempt: 1,
    });
    expect(second.findIdempotencyKey('key-1')).toEqual({ bodyHash: 'hash-1', jobId: job.jobId });
    expect(second.listTransitions(job.jobId).map((t) => t.to)).toEqual(['CREATED', 'RUNNING']);
    expect(
      second.listLogs(job.jobId, { limit: 10, level: 'WARN' }).items.map((l) => l.message),
    ).toEqual(['slow']);
  });

  it('works in memory', () => {
    const store = openStore({ file: ':memory:' });
    const job = createSampleJob(store);
    expect(store.getJob(job.jobId)?.status).toBe('CREATED');
    expect(store.ping()).toBe(true);
    store.close();
  });

  it('uses the migrationsFolder option when given', () => {
    const copy = mkdtempSync(join(tmpdir(), 'flinknet-migrations-'));
    try {
      cpSync(packageMigrations, copy, { recursive: true });
      const store = openStore({ file: join(temp.dir, 'other.db'), migrationsFolder: copy });
      expect(createSampleJob(store).status).toBe('CREATED');
      store.close();
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('refuses a migrations folder without migrations, naming the option', () => {
    expect(() => openStore({ file: ':memory:', migrationsFolder: temp.dir })).toThrow(
      /migrationsFolder/,
    );
    expect(() => openStore({ file: ':memory:', migrationsFolder: temp.dir })).toThrow(StoreError);
  });

  it('refuses an empty file name', () => {
    expect(() => openStore({ file: '' })).toThrow(/file path/);
  });

  it('reports a file it cannot open as OPEN_FAILED with the driver error as cause', () => {
    // The temp dir itself is a directory, not a database file.
    const error = (() => {
      try {
        openStore({ file: temp.dir });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('OPEN_FAILED');
    expect((error as StoreError).cause).toBeInstanceOf(Error);
  });

  it('answers ping until closed, and close can be called twice', () => {
    const store = temp.open();
    expect(store.ping()).toBe(true);
    store.close();
    store.close();
    expect(store.ping()).toBe(false);
  });
});
