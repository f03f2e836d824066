import type { JobDefinitionInput } from '@flinknet/contracts';
import { ROUTES } from '@flinknet/contracts';
import { type RunningJobManager, startJobManager } from '@flinknet/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type FlinkNetClient } from './createClient';
import { FlinkNetError } from './errors/FlinkNetError';
import { TimeoutError } from './errors/TimeoutError';
import { UnexpectedStatusError } from './errors/UnexpectedStatusError';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

function definition(jobName: string): JobDefinitionInput {
  return {
    jobName,
    steps: [
      {
        name: 'numbers',
        operatorType: 'Source',
        typeName: 'sequence',
        operatorProperties: { ratePerSecond: 10 },
      },
      { name: 'sink', operatorType: 'Sink', typeName: 'discard' },
    ],
  };
}

async function rejection(promise: Promise<unknown>): Promise<FlinkNetError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FlinkNetError);
  return error as FlinkNetError;
}

describe('createClient against the real JobManager', () => {
  let server: RunningJobManager;
  let client: FlinkNetClient;

  beforeAll(async () => {
    server = await startJobManager();
    client = createClient({
      baseUrl: server.url,
      token: server.token,
      retry: { limit: 2, backoffLimitMs: 50 },
    });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('has a method for every public route of the table, named after it', () => {
    for (const r of ROUTES) {
      if (r.tag === 'internal') continue;
      const [group = '', method = ''] = r.name.split('.');
      expect(
        typeof (client as unknown as Record<string, Record<string, unknown>>)[group]?.[method],
        r.name,
      ).toBe('function');
    }
  });

  describe('jobs', () => {
    it('submits a job and answers its CREATED status', async () => {
      const status = await client.jobs.submit(definition('submit-me'));
      expect(status).toMatchObject({ jobName: 'submit-me', status: 'CREATED', restartCount: 0 });
      expect(status.allowedActions).toContain('cancel');
    });

    it('answers the first job again for a repeated Idempotency-Key', async () => {
      const first = await client.jobs.submit(definition('idempotent'), {
        idempotencyKey: 'idem-1',
      });
      const again = await client.jobs.submit(definition('idempotent'), {
        idempotencyKey: 'idem-1',
      });
      expect(again.jobId).toBe(first.jobId);
    });

    it('gets the detail, the status and the metrics of a job', async () => {
      const { jobId } = await client.jobs.submit(definition('detail'));
      const detail = await client.jobs.get(jobId);
      expect(detail.definition.jobName).toBe('detail');
      expect(detail.jobGraph.vertices.map((v) => v.name)).toEqual(['numbers', 'sink']);
      expect(detail.transitions.at(-1)?.to).toBe('CREATED');
      expect((await client.jobs.status(jobId)).status).toBe('CREATED');
      expect(Array.isArray(await client.jobs.metrics(jobId))).toBe(true);
    });

    it('pages the job list with cursors and iterates across pages', async () => {
      const ids = [];
      for (let i = 0; i < 5; i++)
        ids.push((await client.jobs.submit(definition(`paged-${i}`))).jobId);
      const first = await client.jobs.list({ name: 'paged-', limit: 2 });
      expect(first.items).toHaveLength(2);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await client.jobs.list({
        name: 'paged-',
        limit: 2,
        cursor: first.nextCursor ?? undefined,
      });
      expect(second.items.map((j) => j.jobId)).not.toContain(first.items[0]?.jobId);
      const all = [];
      for await (const job of client.jobs.iterate({ name: 'paged-', limit: 2 }))
        all.push(job.jobId);
      // Newest first.
      expect(all).toEqual([...ids].reverse());
      const last = await client.jobs.list({ name: 'paged-', limit: 10 });
      expect(last.nextCursor).toBeNull();
    });

    it('filters the job list by status', async () => {
      const { jobId } = await client.jobs.submit(definition('to-cancel-filter'));
      await client.jobs.cancel(jobId);
      await client.jobs.waitForStatus(jobId, 'CANCELED', { timeoutMs: 15_000 });
      const canceled = [];
      for await (const job of client.jobs.iterate({ status: 'CANCELED' })) canceled.push(job.jobId);
      expect(canceled).toContain(jobId);
      const created = await client.jobs.list({ status: 'CREATED', limit: 1000 });
      expect(created.items.map((j) => j.jobId)).not.toContain(jobId);
    });

    it('cancels a CREATED job and waits for CANCELED', async () => {
      const { jobId } = await client.jobs.submit(definition('cancel-me'));
      const accepted = await client.jobs.cancel(jobId);
      expect(['CANCELLING', 'CANCELED']).toContain(accepted.status);
      const done = await client.jobs.waitForStatus(jobId, ['CANCELED'], { timeoutMs: 15_000 });
      expect(done.status).toBe('CANCELED');
    });

    it('lists (empty) checkpoints, the log and the DLQ of a job', async () => {
      const { jobId } = await client.jobs.submit(definition('lists'));
      expect(await client.jobs.checkpoints(jobId)).toEqual({ items: [], nextCursor: null });
      const logs = [];
      for await (const entry of client.jobs.iterateLogs(jobId)) logs.push(entry);
      expect(logs.every((e) => e.jobId === jobId)).toBe(true);
      expect(await client.dlq.list(jobId)).toEqual({ items: [], nextCursor: null });
      const messages = [];
      for await (const m of client.dlq.iterate(jobId)) messages.push(m);
      expect(messages).toEqual([]);
    });
  });

  describe('waitForStatus', () => {
    it('rejects with UnexpectedStatusError when the job ends in another state', async () => {
      const { jobId } = await client.jobs.submit(definition('wait-unexpected'));
      await client.jobs.cancel(jobId);
      const error = await client.jobs
        .waitForStatus(jobId, 'RUNNING', { timeoutMs: 15_000 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnexpectedStatusError);
      expect((error as UnexpectedStatusError).jobStatus.status).toBe('CANCELED');
    });

    it('rejects with TimeoutError when the state is not reached in time', async () => {
      const { jobId } = await client.jobs.submit(definition('wait-timeout'));
      const error = await client.jobs
        .waitForStatus(jobId, 'RUNNING', { timeoutMs: 300, intervalMs: 50 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).message).toContain('(last seen CREATED)');
    });

    it('waits for an extra condition on the status as well', async () => {
      const { jobId } = await client.jobs.submit(definition('wait-where'));
      const seen: string[] = [];
      const error = await client.jobs
        .waitForStatus(jobId, 'CREATED', {
          where: (s) => s.attempt > 99,
          timeoutMs: 300,
          intervalMs: 50,
          onStatus: (s) => seen.push(s.status),
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect(seen.length).toBeGreaterThan(1);
      const now = await client.jobs.waitForStatus(jobId, 'CREATED', {
        where: (s) => s.attempt >= 0,
      });
      expect(now.status).toBe('CREATED');
    });

    it('stops waiting when the signal aborts', async () => {
      const { jobId } = await client.jobs.submit(definition('wait-abort'));
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('no longer needed')), 100);
      await expect(
        client.jobs.waitForStatus(jobId, 'RUNNING', { signal: controller.signal }),
      ).rejects.toThrow('no longer needed');
    });
  });

  describe('errors from problem bodies', () => {
    it('answers 404 NOT_FOUND for an unknown job', async () => {
      const error = await rejection(client.jobs.get(UNKNOWN_ID));
      expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      expect(error.title).toBeTruthy();
    });

    it('answers 400 for a malformed job id', async () => {
      const error = await rejection(client.jobs.status('not-a-uuid'));
      expect(error.status).toBe(400);
      expect(['INVALID_ID', 'BAD_REQUEST', 'VALIDATION_FAILED']).toContain(error.code);
    });

    it('answers 422 with the path of each bad field', async () => {
      const bad = {
        jobName: '',
        steps: [{ name: 'only', operatorType: 'Sink', typeName: 'discard' }],
      } as unknown as JobDefinitionInput;
      const error = await rejection(client.jobs.submit(bad));
      expect(error).toMatchObject({ status: 422, code: 'VALIDATION_FAILED' });
      const paths = error.errors.map((e) => e.path);
      expect(paths.some((p) => p.includes('jobName'))).toBe(true);
      expect(paths.some((p) => p.includes('steps'))).toBe(true);
    });

    it('answers 409 with the current state when stopping a CREATED job', async () => {
      const { jobId } = await client.jobs.submit(definition('conflict'));
      const error = await rejection(client.jobs.stop(jobId));
      expect(error).toMatchObject({ status: 409, state: 'CREATED' });
      expect(['ILLEGAL_STATE', 'CONFLICT']).toContain(error.code);
    });

    it('answers 409 for scale, restart and a checkpoint trigger of a CREATED job', async () => {
      const { jobId } = await client.jobs.submit(definition('conflicts'));
      expect((await rejection(client.jobs.scale(jobId, { desiredParallelism: 2 }))).status).toBe(
        409,
      );
      expect((await rejection(client.jobs.restart(jobId))).status).toBe(409);
      expect((await rejection(client.jobs.triggerCheckpoint(jobId))).status).toBe(409);
    });

    it('answers 404 for an unknown checkpoint and unknown DLQ messages', async () => {
      const { jobId } = await client.jobs.submit(definition('missing-things'));
      expect((await rejection(client.jobs.checkpoint(jobId, 1))).status).toBe(404);
      expect((await rejection(client.dlq.get(jobId, UNKNOWN_ID))).status).toBe(404);
      expect(
        (await rejection(client.dlq.update(jobId, UNKNOWN_ID, { newPayload: 'e30=' }))).status,
      ).toBe(404);
      expect((await rejection(client.dlq.delete(jobId, UNKNOWN_ID))).status).toBe(404);
    });

    it('answers 409 for a DLQ resubmit of a job that is not RUNNING', async () => {
      const { jobId } = await client.jobs.submit(definition('resubmit-created'));
      expect((await rejection(client.dlq.resubmit(jobId))).status).toBe(409);
    });

    it('answers 401 for a wrong token', async () => {
      expect(server.token, 'the JobManager writes admin.token at first start').toBeTruthy();
      const stranger = createClient({ baseUrl: server.url, token: 'wrong' });
      const error = await rejection(stranger.jobs.list());
      expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    });
  });

  describe('events', () => {
    it('replays the events of a job and ends after its terminal status', async () => {
      const { jobId } = await client.jobs.submit(definition('events-replay'));
      await client.jobs.cancel(jobId);
      await client.jobs.waitForStatus(jobId, 'CANCELED', { timeoutMs: 15_000 });
      const events = [];
      for await (const event of client.jobs.events(jobId)) events.push(event);
      expect(events.every((e) => e.jobId === jobId)).toBe(true);
      expect(events.at(-1)).toMatchObject({ type: 'status', status: 'CANCELED' });
      const ids = events.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    });

    it('resumes after a given event id without repeating earlier events', async () => {
      const { jobId } = await client.jobs.submit(definition('events-resume'));
      await client.jobs.cancel(jobId);
      await client.jobs.waitForStatus(jobId, 'CANCELED', { timeoutMs: 15_000 });
      const all = [];
      for await (const event of client.jobs.events(jobId)) all.push(event);
      expect(all.length).toBeGreaterThanOrEqual(2);
      const first = all[0];
      const rest = [];
      for await (const event of client.jobs.events(jobId, { lastEventId: first?.id }))
        rest.push(event);
      expect(rest.map((e) => e.id)).toEqual(all.slice(1).map((e) => e.id));
    });

    it('answers 404 for the events of an unknown job', async () => {
      const iteration = (async () => {
        for await (const _ of client.jobs.events(UNKNOWN_ID)) {
          // none
        }
      })();
      await expect(iteration).rejects.toMatchObject({ status: 404 });
    });
  });

  describe('tokens', () => {
    it('creates a token whose secret is shown once, lists it without the secret, and revokes it', async () => {
      const created = await client.tokens.create({ name: 'ci', role: 'operator' });
      expect(created).toMatchObject({ name: 'ci', role: 'operator', token: expect.any(String) });
      const listed = (await client.tokens.list()).find((t) => t.tokenId === created.tokenId);
      expect(listed).toMatchObject({ name: 'ci', role: 'operator' });
      expect(listed).not.toHaveProperty('token');
      await client.tokens.delete(created.tokenId);
      expect((await client.tokens.list()).map((t) => t.tokenId)).not.toContain(created.tokenId);
      expect((await rejection(client.tokens.delete(created.tokenId))).status).toBe(404);
    });

    it('lets a viewer token read but not act, and rejects it once revoked', async () => {
      expect(server.token, 'the JobManager writes admin.token at first start').toBeTruthy();
      const created = await client.tokens.create({ name: 'dashboard', role: 'viewer' });
      const viewer = createClient({ baseUrl: server.url, token: created.token });
      const { jobId } = await client.jobs.submit(definition('viewer-target'));
      expect((await viewer.jobs.status(jobId)).jobId).toBe(jobId);
      expect((await rejection(viewer.jobs.cancel(jobId))).status).toBe(403);
      await client.tokens.delete(created.tokenId);
      expect((await rejection(viewer.jobs.status(jobId))).status).toBe(401);
    });
  });

  describe('cluster and system', () => {
    it('lists no TaskManagers and counts jobs in the overview', async () => {
      expect(await client.taskManagers.list()).toEqual([]);
      const overview = await client.cluster.overview();
      expect(overview.taskManagers).toBe(0);
      expect(overview.jobsCanceled).toBeGreaterThanOrEqual(0);
    });

    it('answers health, readiness and Prometheus metrics', async () => {
      expect(await client.system.health()).toEqual({ status: 'ok' });
      expect(await client.system.ready()).toMatchObject({ status: 'ready' });
      expect(await client.system.metrics()).toMatch(/^# (HELP|TYPE) /m);
    });

    it('calls any public route by name through request()', async () => {
      expect(await client.request('system.health')).toEqual({ status: 'ok' });
    });
  });
});
