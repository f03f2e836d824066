import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HttpFixture, sendJson, sendProblem, startHttpFixture } from '../test/httpFixture';
import { createClient } from './createClient';
import { isFlinkNetClientError } from './errors/FlinkNetClientError';
import { FlinkNetError, isFlinkNetError } from './errors/FlinkNetError';
import { NetworkError } from './errors/NetworkError';
import { TimeoutError } from './errors/TimeoutError';

const JOB_ID = '3f2b8c1e-7a4d-4e2a-9c1b-5d6e7f8a9b0c';
const status = {
  jobId: JOB_ID,
  jobName: 'demo',
  status: 'CREATED',
  attempt: 0,
  restartCount: 0,
  errorMessage: null,
  lastCheckpointId: null,
  allowedActions: ['cancel'],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const definition = {
  jobName: 'demo',
  steps: [
    { name: 'src', operatorType: 'Source' as const, typeName: 'sequence' },
    { name: 'out', operatorType: 'Sink' as const, typeName: 'discard' },
  ],
};

let server: HttpFixture;
beforeEach(async () => {
  server = await startHttpFixture();
});
afterEach(async () => {
  await server.close();
});

describe('retries', () => {
  it('repeats a GET that failed with 503 and returns the answer of the attempt that worked', async () => {
    server.handle((_req, res, i) =>
      i < 2
        ? sendProblem(res, 503, { title: 'Unavailable', code: 'UNAVAILABLE' })
        : sendJson(res, 200, status),
    );
    const client = createClient({ baseUrl: server.url, retry: { limit: 2, backoffLimitMs: 5 } });
    await expect(client.jobs.status(JOB_ID)).resolves.toEqual(status);
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after the retry limit with the last error', async () => {
    server.handle((_req, res) =>
      sendProblem(res, 503, { title: 'Unavailable', code: 'UNAVAILABLE' }),
    );
    const client = createClient({ baseUrl: server.url, retry: { limit: 1, backoffLimitMs: 5 } });
    await expect(client.jobs.status(JOB_ID)).rejects.toMatchObject({
      status: 503,
      code: 'UNAVAILABLE',
    });
    expect(server.requests).toHaveLength(2);
  });

  it('never repeats a POST without an Idempotency-Key (cancel)', async () => {
    server.handle((_req, res) =>
      sendProblem(res, 503, { title: 'Unavailable', code: 'UNAVAILABLE' }),
    );
    const client = createClient({ baseUrl: server.url, retry: { limit: 3, backoffLimitMs: 5 } });
    await expect(client.jobs.cancel(JOB_ID)).rejects.toBeInstanceOf(FlinkNetError);
    expect(server.requests).toHaveLength(1);
  });

  it('repeats a submit with the same generated Idempotency-Key', async () => {
    server.handle((_req, res, i) =>
      i === 0
        ? sendProblem(res, 502, { title: 'Bad gateway', code: 'UNAVAILABLE' })
        : sendJson(res, 201, status),
    );
    const client = createClient({ baseUrl: server.url, retry: { limit: 2, backoffLimitMs: 5 } });
    await expect(client.jobs.submit(definition)).resolves.toEqual(status);
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(JSON.parse(server.requests[1]?.body ?? '')).toEqual(definition);
  });

  it('sends a given Idempotency-Key as is', async () => {
    server.handle((_req, res) => sendJson(res, 201, status));
    const client = createClient({ baseUrl: server.url });
    await client.jobs.submit(definition, { idempotencyKey: 'nightly-2026-01-01' });
    expect(server.requests[0]?.headers['idempotency-key']).toBe('nightly-2026-01-01');
  });

  it('does not repeat a submit when generated keys are turned off', async () => {
    server.handle((_req, res) =>
      sendProblem(res, 503, { title: 'Unavailable', code: 'UNAVAILABLE' }),
    );
    const client = createClient({
      baseUrl: server.url,
      idempotencyKeys: 'off',
      retry: { limit: 3, backoffLimitMs: 5 },
    });
    await expect(client.jobs.submit(definition)).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('does not repeat a GET answered with 404', async () => {
    server.handle((_req, res) =>
      sendProblem(res, 404, { title: 'Not found', code: 'NOT_FOUND', detail: `no job ${JOB_ID}` }),
    );
    const client = createClient({ baseUrl: server.url, retry: { limit: 3, backoffLimitMs: 5 } });
    await expect(client.jobs.get(JOB_ID)).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(server.requests).toHaveLength(1);
  });
});

describe('failures without a problem body', () => {
  it('throws a TimeoutError when the server does not answer within timeoutMs', async () => {
    server.handle(() => {
      // never answers
    });
    const client = createClient({ baseUrl: server.url, timeoutMs: 150, retry: 0 });
    const error = await client.jobs.status(JOB_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(isFlinkNetClientError(error)).toBe(true);
    expect((error as TimeoutError).timeoutMs).toBe(150);
  });

  it('counts the timeout over all attempts, retries included', async () => {
    server.handle((_req, res) =>
      sendProblem(res, 503, { title: 'Unavailable', code: 'UNAVAILABLE' }),
    );
    const client = createClient({
      baseUrl: server.url,
      timeoutMs: 300,
      retry: { limit: 1000, backoffLimitMs: 20 },
    });
    const started = Date.now();
    await expect(client.jobs.status(JOB_ID)).rejects.toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(server.requests.length).toBeGreaterThan(1);
  });

  it('throws a NetworkError with the fetch error as cause when nothing listens', async () => {
    const url = server.url;
    await server.close();
    const client = createClient({ baseUrl: url, retry: 0 });
    const error = await client.jobs.status(JOB_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).cause).toBeInstanceOf(Error);
    expect((error as NetworkError).message).toContain(
      `GET ${url}/api/jobmanager/jobs/${JOB_ID}/status failed`,
    );
    server = await startHttpFixture();
  });

  it('builds a FlinkNetError from a plain-text 502 of a proxy', async () => {
    server.handle((_req, res) => {
      res.writeHead(502, 'Bad Gateway', { 'content-type': 'text/plain', 'x-request-id': 'req-7' });
      res.end('upstream down');
    });
    const client = createClient({ baseUrl: server.url, retry: 0 });
    const error = await client.jobs.status(JOB_ID).catch((e: unknown) => e);
    expect(isFlinkNetError(error)).toBe(true);
    expect(error).toMatchObject({
      status: 502,
      code: 'UNAVAILABLE',
      title: 'Bad Gateway',
      detail: 'upstream down',
      requestId: 'req-7',
    });
  });

  it('rejects with the reason of an aborted signal, without retrying', async () => {
    server.handle(() => {
      // never answers
    });
    const client = createClient({ baseUrl: server.url });
    const controller = new AbortController();
    const pending = client.jobs.status(JOB_ID, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user left')), 50);
    await expect(pending).rejects.toThrow('user left');
  });
});

describe('requests', () => {
  it('sends the token as a bearer token, also from a function', async () => {
    server.handle((_req, res) => sendJson(res, 200, status));
    await createClient({ baseUrl: server.url, token: 'abc' }).jobs.status(JOB_ID);
    await createClient({ baseUrl: server.url, token: async () => 'def' }).jobs.status(JOB_ID);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer abc',
      'Bearer def',
    ]);
  });

  it('sends every request through a given fetch (e.g. an in-process app)', async () => {
    const seen: string[] = [];
    const client = createClient({
      baseUrl: 'http://in-process.invalid',
      fetch: async (request) => {
        seen.push(
          `${request.method} ${new URL(request.url).pathname} ${request.headers.get('x-tenant')}`,
        );
        return new Response(JSON.stringify(status), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      },
      headers: { 'x-tenant': 'blue' },
    });
    await expect(client.jobs.status(JOB_ID)).resolves.toEqual(status);
    expect(seen).toEqual([`GET /api/jobmanager/jobs/${JOB_ID}/status blue`]);
  });

  it('keeps a path prefix of the base URL and sends query values as strings', async () => {
    server.handle((_req, res) => sendJson(res, 200, []));
    const client = createClient({ baseUrl: `${server.url}/flink/` });
    await client.jobs.list({ status: 'RUNNING', limit: 5, name: undefined });
    expect(server.requests[0]?.url).toBe('/flink/api/jobmanager/jobs?status=RUNNING&limit=5');
  });

  it('rejects a base URL that is not an absolute http URL', () => {
    expect(() => createClient({ baseUrl: 'localhost:8081' })).toThrow(/baseUrl must/);
    expect(() => createClient({ baseUrl: 'ftp://host' })).toThrow(
      'baseUrl must use http or https, got ftp:',
    );
  });

  it('rejects a missing path parameter before sending anything', async () => {
    const client = createClient({ baseUrl: server.url });
    // @ts-expect-error jobId is required
    await expect(client.jobs.get()).rejects.toThrow(
      'jobs.get: jobId must be a non-empty string, got undefined',
    );
    await expect(client.jobs.scale(JOB_ID, 3 as never)).rejects.toThrow(
      'jobs.scale: body must be an object, got 3',
    );
    expect(server.requests).toHaveLength(0);
  });
});
