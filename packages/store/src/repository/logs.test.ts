import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidCursorError, InvalidInputError, NotFoundError } from '../errors';
import type { Store } from '../openStore';
import { allPages, createSampleJob, FakeClock, TempStores } from '../test-support/fixtures';
import type { JobRecord } from '../types';
import { levelsFrom } from './logs';

describe('job logs', () => {
  let temp: TempStores;
  let clock: FakeClock;
  let store: Store;
  let job: JobRecord;
  beforeEach(() => {
    temp = new TempStores();
    clock = new FakeClock();
    store = temp.open('logs.db', { now: clock.now });
    job = createSampleJob(store);
  });
  afterEach(() => temp.cleanup());

  /** Messages of the job's TaskManager lines (the submit line of createJob left out). */
  const messages = (filter: Parameters<Store['listLogs']>[1]) =>
    store
      .listLogs(job.jobId, filter)
      .items.filter((l) => l.source !== 'jobmanager')
      .map((l) => l.message);

  it('appends lines with the given time, or the store clock, and serves them oldest first', () => {
    store.appendLogs([
      {
        jobId: job.jobId,
        level: 'INFO',
        source: 'tm-1/clicks#0',
        message: 'started',
        timestamp: '2026-01-01T00:00:00.100Z',
      },
      { jobId: job.jobId, level: 'DEBUG', source: 'tm-1/clicks#0', message: 'offset 10' },
    ]);
    const items = store.listLogs(job.jobId, { limit: 10 }).items;
    expect(items.map((l) => l.message)).toEqual([
      'submitted as CREATED: clicks-per-user',
      'started',
      'offset 10',
    ]);
    expect(items[1]).toEqual({
      id: expect.any(Number),
      jobId: job.jobId,
      timestamp: '2026-01-01T00:00:00.100Z',
      level: 'INFO',
      source: 'tm-1/clicks#0',
      message: 'started',
    });
    expect(items[2]?.timestamp).toBe('2026-01-01T00:00:00.000Z');
  });

  it('filters by level: the level and above', () => {
    store.appendLogs(
      (['DEBUG', 'INFO', 'WARN', 'ERROR'] as const).map((level) => ({
        jobId: job.jobId,
        level,
        source: 'tm',
        message: level,
      })),
    );
    expect(messages({ limit: 10, level: 'DEBUG' })).toEqual(['DEBUG', 'INFO', 'WARN', 'ERROR']);
    expect(messages({ limit: 10, level: 'WARN' })).toEqual(['WARN', 'ERROR']);
    expect(messages({ limit: 10, level: 'ERROR' })).toEqual(['ERROR']);
    expect(levelsFrom('INFO')).toEqual(['INFO', 'WARN', 'ERROR']);
    expect(() => messages({ limit: 10, level: 'TRACE' as never })).toThrow(InvalidInputError);
  });

  it('filters by since: entries at or after the time, in any offset', () => {
    for (const second of [1, 2, 3]) {
      store.appendLogs([
        {
          jobId: job.jobId,
          level: 'INFO',
          source: 'tm',
          message: `s${second}`,
          timestamp: `2026-01-01T00:00:0${second}Z`,
        },
      ]);
    }
    expect(messages({ limit: 10, since: '2026-01-01T00:00:02.000Z' })).toEqual(['s2', 's3']);
    expect(messages({ limit: 10, since: '2026-01-01T01:00:03+01:00' })).toEqual(['s3']);
    expect(() => messages({ limit: 10, since: 'last tuesday' })).toThrow(/since/);
  });

  it('keeps pages stable while lines arrive between fetches: no duplicates, no gaps', () => {
    const write = (prefix: string, n: number) =>
      store.appendLogs(
        Array.from({ length: n }, (_, i) => ({
          jobId: job.jobId,
          level: 'INFO' as const,
          source: 'tm',
          message: `${prefix}${i}`,
        })),
      );
    write('a', 7);
    const seen: string[] = [];
    let cursor: string | undefined;
    let round = 0;
    do {
      const page = store.listLogs(job.jobId, { limit: 3, cursor, level: 'INFO' });
      seen.push(...page.items.map((l) => l.message));
      cursor = page.nextCursor ?? undefined;
      if (round++ < 2) write(`late${round}-`, 2);
    } while (cursor !== undefined);
    expect(seen).toEqual([
      'submitted as CREATED: clicks-per-user',
      ...['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6'],
      ...['late1-0', 'late1-1', 'late2-0', 'late2-1'],
    ]);
  });

  it('combines level and since filters with paging', () => {
    for (let i = 0; i < 6; i++) {
      clock.advance(1000);
      store.appendLogs([
        { jobId: job.jobId, level: i % 2 === 0 ? 'WARN' : 'DEBUG', source: 'tm', message: `m${i}` },
      ]);
    }
    const lines = allPages((cursor) =>
      store.listLogs(job.jobId, { limit: 1, level: 'WARN', since: '2026-01-01T00:00:02Z', cursor }),
    );
    expect(lines.map((l) => l.message)).toEqual(['m2', 'm4']);
  });

  it('refuses the whole batch when one line names an unknown job', () => {
    expect(() =>
      store.appendLogs([
        { jobId: job.jobId, level: 'INFO', source: 'tm', message: 'fine' },
        { jobId: crypto.randomUUID(), level: 'INFO', source: 'tm', message: 'orphan' },
      ]),
    ).toThrow(NotFoundError);
    expect(messages({ limit: 10 })).toEqual([]);
  });

  it('refuses a bad level, a bad timestamp and a foreign cursor', () => {
    expect(() =>
      store.appendLogs([{ jobId: job.jobId, level: 'LOUD' as never, source: 'tm', message: 'x' }]),
    ).toThrow(/level/);
    expect(() =>
      store.appendLogs([
        { jobId: job.jobId, level: 'INFO', source: 'tm', message: 'x', timestamp: 'soon' },
      ]),
    ).toThrow(/entries\[0\]\.timestamp/);
    createSampleJob(store, 'second');
    const jobsCursor = store.listJobs({ limit: 1 }).nextCursor;
    expect(jobsCursor).not.toBeNull();
    expect(() => store.listLogs(job.jobId, { limit: 1, cursor: jobsCursor ?? undefined })).toThrow(
      InvalidCursorError,
    );
  });

  it('stores a large heartbeat batch in one call', () => {
    const lines = Array.from({ length: 1500 }, (_, i) => ({
      jobId: job.jobId,
      level: 'INFO' as const,
      source: 'tm',
      message: `l${i}`,
    }));
    store.appendLogs(lines);
    expect(allPages((cursor) => store.listLogs(job.jobId, { limit: 1000, cursor }))).toHaveLength(
      1501,
    );
  });
});
