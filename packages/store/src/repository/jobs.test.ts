import { buildJobGraph, JOB_STATES } from '@flinknet/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  IllegalTransitionError,
  InvalidCursorError,
  InvalidInputError,
  NotFoundError,
} from '../errors';
import type { Store } from '../openStore';
import {
  allPages,
  createSampleJob,
  FakeClock,
  sampleDefinition,
  TempStores,
} from '../test-support/fixtures';

describe('jobs', () => {
  let temp: TempStores;
  let clock: FakeClock;
  let store: Store;
  beforeEach(() => {
    temp = new TempStores();
    clock = new FakeClock();
    store = temp.open('jobs.db', { now: clock.now });
  });
  afterEach(() => temp.cleanup());

  describe('createJob', () => {
    it('stores a CREATED job with its definition, graph and a first transition', () => {
      const definition = sampleDefinition('orders');
      const jobGraph = buildJobGraph(definition);
      const jobId = crypto.randomUUID();
      const job = store.createJob({ jobId, definition, jobGraph });
      expect(job).toEqual({
        jobId,
        jobName: 'orders',
        status: 'CREATED',
        definition,
        jobGraph,
        attempt: 0,
        restartCount: 0,
        errorMessage: null,
        lastCheckpointId: null,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        startTime: null,
        endTime: null,
      });
      expect(store.getJob(jobId)).toEqual(job);
      expect(store.listTransitions(jobId)).toEqual([
        { jobId, from: null, to: 'CREATED', reason: 'submitted', at: '2026-01-01T00:00:00.000Z' },
      ]);
    });

    it('stores the idempotency key with the job', () => {
      const job = createSampleJob(store, 'once', { key: 'abc', bodyHash: 'sha-1' });
      expect(store.findIdempotencyKey('abc')).toEqual({ bodyHash: 'sha-1', jobId: job.jobId });
      expect(store.findIdempotencyKey('other')).toBeUndefined();
    });

    it('refuses a second job with the same idempotency key and stores neither row', () => {
      createSampleJob(store, 'once', { key: 'abc', bodyHash: 'sha-1' });
      const definition = sampleDefinition('twice');
      const jobId = crypto.randomUUID();
      expect(() =>
        store.createJob({
          jobId,
          definition,
          jobGraph: buildJobGraph(definition),
          idempotency: { key: 'abc', bodyHash: 'sha-2' },
        }),
      ).toThrow(AlreadyExistsError);
      expect(store.getJob(jobId)).toBeUndefined();
    });

    it('refuses a duplicate job id', () => {
      const job = createSampleJob(store);
      expect(() =>
        store.createJob({ jobId: job.jobId, definition: job.definition, jobGraph: job.jobGraph }),
      ).toThrow(AlreadyExistsError);
    });

    it('answers undefined for an unknown job', () => {
      expect(store.getJob(crypto.randomUUID())).toBeUndefined();
    });
  });

  describe('transitionJob', () => {
    it('moves the job, records the transition and a log line, and applies the patch in one step', () => {
      const job = createSampleJob(store);
      clock.advance(1000);
      const running = store.transitionJob(job.jobId, {
        to: 'RUNNING',
        reason: 'deployed to tm-1',
        patch: { attempt: 1 },
      });
      expect(running).toMatchObject({
        status: 'RUNNING',
        attempt: 1,
        updatedAt: '2026-01-01T00:00:01.000Z',
        startTime: '2026-01-01T00:00:01.000Z',
        endTime: null,
      });
      expect(store.listTransitions(job.jobId).at(-1)).toEqual({
        jobId: job.jobId,
        from: 'CREATED',
        to: 'RUNNING',
        reason: 'deployed to tm-1',
        at: '2026-01-01T00:00:01.000Z',
      });
      const logs = store.listLogs(job.jobId, { limit: 10 }).items;
      expect(logs.at(-1)).toMatchObject({
        level: 'INFO',
        source: 'jobmanager',
        message: 'CREATED -> RUNNING: deployed to tm-1',
      });
    });

    it('keeps the first startTime across restarts and sets endTime on a terminal state', () => {
      const job = createSampleJob(store);
      clock.advance(1000);
      store.transitionJob(job.jobId, { to: 'RUNNING', reason: 'deployed' });
      clock.advance(1000);
      store.transitionJob(job.jobId, { to: 'FAILING', reason: 'task failed' });
      store.transitionJob(job.jobId, {
        to: 'RESTARTING',
        reason: 'attempt 2',
        patch: { restartCount: 1 },
      });
      clock.advance(1000);
      store.transitionJob(job.jobId, {
        to: 'RUNNING',
        reason: 'redeployed',
        patch: { attempt: 2 },
      });
      clock.advance(1000);
      const finished = store.transitionJob(job.jobId, {
        to: 'FINISHED',
        reason: 'source exhausted',
      });
      expect(finished).toMatchObject({
        status: 'FINISHED',
        restartCount: 1,
        attempt: 2,
        startTime: '2026-01-01T00:00:01.000Z',
        endTime: '2026-01-01T00:00:04.000Z',
      });
    });

    it('writes the log line at the requested level and the error message from the patch', () => {
      const job = createSampleJob(store);
      store.transitionJob(job.jobId, { to: 'RUNNING', reason: 'deployed' });
      store.transitionJob(job.jobId, {
        to: 'FAILING',
        reason: 'boom',
        level: 'ERROR',
        patch: { errorMessage: 'boom' },
      });
      const failed = store.transitionJob(job.jobId, {
        to: 'FAILED',
        reason: 'restarts exhausted',
        level: 'ERROR',
      });
      expect(failed.errorMessage).toBe('boom');
      const errors = store
        .listLogs(job.jobId, { limit: 10, level: 'ERROR' })
        .items.map((l) => l.message);
      expect(errors).toEqual(['RUNNING -> FAILING: boom', 'FAILING -> FAILED: restarts exhausted']);
    });

    it('throws IllegalTransitionError for a move the state machine forbids, and changes nothing', () => {
      const job = createSampleJob(store);
      store.transitionJob(job.jobId, { to: 'RUNNING', reason: 'deployed' });
      store.transitionJob(job.jobId, { to: 'FINISHED', reason: 'done' });
      const before = store.listTransitions(job.jobId).length;
      const error = (() => {
        try {
          store.transitionJob(job.jobId, { to: 'RUNNING', reason: 'again' });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(IllegalTransitionError);
      expect(error).toMatchObject({
        code: 'ILLEGAL_STATE',
        state: 'FINISHED',
        to: 'RUNNING',
        jobId: job.jobId,
      });
      expect(store.getJob(job.jobId)?.status).toBe('FINISHED');
      expect(store.listTransitions(job.jobId)).toHaveLength(before);
    });

    it('throws IllegalTransitionError when the job is not in one of the expected `from` states', () => {
      const job = createSampleJob(store);
      store.transitionJob(job.jobId, { to: 'RUNNING', reason: 'deployed' });
      // RUNNING -> CANCELLING is legal, but the caller only expected a CREATED job.
      expect(() =>
        store.transitionJob(job.jobId, { to: 'CANCELLING', reason: 'cancel', from: ['CREATED'] }),
      ).toThrow(IllegalTransitionError);
      expect(
        store.transitionJob(job.jobId, {
          to: 'CANCELLING',
          reason: 'cancel',
          from: ['CREATED', 'RUNNING'],
        }).status,
      ).toBe('CANCELLING');
    });

    it('throws NotFoundError for an unknown job', () => {
      expect(() =>
        store.transitionJob(crypto.randomUUID(), { to: 'RUNNING', reason: 'x' }),
      ).toThrow(NotFoundError);
    });
  });

  describe('updateJob', () => {
    it('changes the patched fields only, without a transition', () => {
      const job = createSampleJob(store);
      clock.advance(5);
      const graph = buildJobGraph(job.definition, { clicks: 4 });
      const updated = store.updateJob(job.jobId, { jobGraph: graph, lastCheckpointId: 3 });
      expect(updated).toMatchObject({
        status: 'CREATED',
        jobGraph: graph,
        lastCheckpointId: 3,
        attempt: 0,
      });
      expect(updated.updatedAt).toBe('2026-01-01T00:00:00.005Z');
      expect(store.listTransitions(job.jobId)).toHaveLength(1);
    });

    it('can clear the error message with null', () => {
      const job = createSampleJob(store);
      store.updateJob(job.jobId, { errorMessage: 'bad' });
      expect(store.updateJob(job.jobId, { errorMessage: null }).errorMessage).toBeNull();
    });

    it('throws NotFoundError for an unknown job', () => {
      expect(() => store.updateJob(crypto.randomUUID(), { attempt: 1 })).toThrow(NotFoundError);
    });
  });

  describe('countJobsByState and jobsInStates', () => {
    it('counts every state, zero included', () => {
      const a = createSampleJob(store);
      createSampleJob(store);
      store.transitionJob(a.jobId, { to: 'RUNNING', reason: 'deployed' });
      const counts = store.countJobsByState();
      expect(Object.keys(counts).sort()).toEqual([...JOB_STATES].sort());
      expect(counts).toMatchObject({ CREATED: 1, RUNNING: 1, FAILED: 0 });
    });

    it('finds the jobs in the given states, oldest first', () => {
      const a = createSampleJob(store, 'a');
      clock.advance(1);
      const b = createSampleJob(store, 'b');
      clock.advance(1);
      const c = createSampleJob(store, 'c');
      store.transitionJob(b.jobId, { to: 'RUNNING', reason: 'deployed' });
      store.transitionJob(c.jobId, { to: 'CANCELED', reason: 'user' });
      expect(store.jobsInStates(['CREATED', 'RUNNING']).map((j) => j.jobName)).toEqual(['a', 'b']);
      expect(store.jobsInStates([])).toEqual([]);
      expect(a.status).toBe('CREATED');
    });
  });

  describe('listJobs', () => {
    function createJobs(n: number, name = (i: number) => `job-${i}`): string[] {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        ids.push(createSampleJob(store, name(i)).jobId);
        clock.advance(1);
      }
      return ids;
    }

    it('pages newest first and ends with a null cursor', () => {
      const ids = createJobs(7);
      const first = store.listJobs({ limit: 3 });
      expect(first.items.map((j) => j.jobId)).toEqual(ids.slice(4).reverse());
      expect(first.nextCursor).toEqual(expect.any(String));
      const all = allPages((cursor) => store.listJobs({ limit: 3, cursor }));
      expect(all.map((j) => j.jobId)).toEqual([...ids].reverse());
      expect(store.listJobs({ limit: 7 }).nextCursor).toBeNull();
    });

    it('orders jobs created in the same millisecond by id, without duplicates or gaps', () => {
      const ids: string[] = [];
      for (let i = 0; i < 9; i++) ids.push(createSampleJob(store, `same-${i}`).jobId);
      const all = allPages((cursor) => store.listJobs({ limit: 2, cursor }));
      expect(all.map((j) => j.jobId)).toEqual([...ids].sort().reverse());
    });

    it('keeps pages stable while jobs are submitted between page fetches', () => {
      const original = createJobs(10);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = store.listJobs({ limit: 3, cursor });
        seen.push(...page.items.map((j) => j.jobId));
        cursor = page.nextCursor ?? undefined;
        createJobs(2, (i) => `late-${i}`);
      } while (cursor !== undefined);
      expect(seen).toEqual([...original].reverse());
    });

    it('filters by a list of states', () => {
      const [a, b, c] = createJobs(3);
      store.transitionJob(a!, { to: 'RUNNING', reason: 'deployed' });
      store.transitionJob(c!, { to: 'FAILED', reason: 'no slots' });
      const page = store.listJobs({ limit: 10, status: ['RUNNING', 'FAILED'] });
      expect(page.items.map((j) => j.jobId)).toEqual([c, a]);
      expect(store.listJobs({ limit: 10, status: ['CREATED'] }).items.map((j) => j.jobId)).toEqual([
        b,
      ]);
    });

    it('filters by a case-insensitive name substring, taking % and _ literally', () => {
      createJobs(1, () => 'Orders-EU');
      createJobs(1, () => 'orders_us');
      createJobs(1, () => 'clicks');
      createJobs(1, () => 'ordersXus');
      const names = (name: string) =>
        store.listJobs({ limit: 10, name }).items.map((j) => j.jobName);
      expect(names('orders')).toEqual(['ordersXus', 'orders_us', 'Orders-EU']);
      expect(names('s_u')).toEqual(['orders_us']);
      expect(names('%')).toEqual([]);
    });

    it('pages a filtered list with the same cursor rules', () => {
      createJobs(9, (i) => (i % 2 === 0 ? `even-${i}` : `odd-${i}`));
      const evens = allPages((cursor) => store.listJobs({ limit: 2, name: 'even', cursor }));
      expect(evens.map((j) => j.jobName)).toEqual([
        'even-8',
        'even-6',
        'even-4',
        'even-2',
        'even-0',
      ]);
    });

    it('throws InvalidCursorError for a cursor it did not issue', () => {
      createJobs(3);
      const otherList = store.listLogs(crypto.randomUUID(), { limit: 1 }).nextCursor;
      expect(otherList).toBeNull();
      for (const cursor of [
        'nope',
        'e30',
        Buffer.from('["logs",5]').toString('base64url'),
        '!!!',
      ]) {
        expect(() => store.listJobs({ limit: 2, cursor })).toThrow(InvalidCursorError);
      }
    });

    it('refuses a limit outside 1..1000 and unknown states', () => {
      expect(() => store.listJobs({ limit: 0 })).toThrow(InvalidInputError);
      expect(() => store.listJobs({ limit: 1001 })).toThrow(InvalidInputError);
      expect(() => store.listJobs({ limit: 1.5 })).toThrow(InvalidInputError);
      expect(() => store.listJobs({ limit: 5, status: ['DONE' as never] })).toThrow(
        /unknown job state/,
      );
    });
  });
});
