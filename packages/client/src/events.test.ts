import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HttpFixture, sendProblem, startHttpFixture } from '../test/httpFixture';
import { createClient } from './createClient';
import { FlinkNetError } from './errors/FlinkNetError';
import { NetworkError } from './errors/NetworkError';

const JOB_ID = '3f2b8c1e-7a4d-4e2a-9c1b-5d6e7f8a9b0c';

function event(id: number, fields: Record<string, unknown>): string {
  const data = { id, jobId: JOB_ID, at: '2026-01-01T00:00:00.000Z', ...fields };
  return `id: ${id}\nevent: ${String(fields.type)}\ndata: ${JSON.stringify(data)}\n\n`;
}

function openStream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write('retry: 20\n\n');
}

let server: HttpFixture;
beforeEach(async () => {
  server = await startHttpFixture();
});
afterEach(async () => {
  await server.close();
});

describe('jobs.events (scripted server)', () => {
  it('reconnects after a dropped connection with Last-Event-ID and ends after a terminal status', async () => {
    server.handle((_req, res, i) => {
      openStream(res);
      if (i === 0) {
        res.write(event(1, { type: 'status', status: 'RUNNING' }));
        res.write(event(2, { type: 'checkpoint', checkpointId: 1, checkpointStatus: 'COMPLETED' }));
        setTimeout(() => res.destroy(), 30);
      } else {
        res.write(': keep-alive\n\n');
        res.write(event(3, { type: 'status', status: 'FINISHED' }));
      }
    });
    const client = createClient({ baseUrl: server.url, token: 't' });
    const seen = [];
    for await (const e of client.jobs.events(JOB_ID)) seen.push(e);
    expect(seen.map((e) => [e.id, e.type, e.status])).toEqual([
      [1, 'status', 'RUNNING'],
      [2, 'checkpoint', undefined],
      [3, 'status', 'FINISHED'],
    ]);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.headers['last-event-id']).toBeUndefined();
    expect(server.requests[1]?.headers['last-event-id']).toBe('2');
    expect(server.requests[1]?.headers.accept).toBe('text/event-stream');
    expect(server.requests[1]?.headers.authorization).toBe('Bearer t');
  });

  it('resumes from a given lastEventId', async () => {
    server.handle((_req, res) => {
      openStream(res);
      res.write(event(8, { type: 'status', status: 'CANCELED' }));
    });
    const client = createClient({ baseUrl: server.url });
    const seen = [];
    for await (const e of client.jobs.events(JOB_ID, { lastEventId: 7 })) seen.push(e.id);
    expect(seen).toEqual([8]);
    expect(server.requests[0]?.headers['last-event-id']).toBe('7');
  });

  it('closes the connection when the consumer breaks out of the loop', async () => {
    let closed = false;
    server.handle((_req, res) => {
      openStream(res);
      res.write(event(1, { type: 'status', status: 'RUNNING' }));
      res.on('close', () => {
        closed = true;
      });
    });
    const client = createClient({ baseUrl: server.url });
    for await (const e of client.jobs.events(JOB_ID)) {
      expect(e.id).toBe(1);
      break;
    }
    const deadline = Date.now() + 5000;
    while (!closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(true);
  });

  it('throws the FlinkNetError of a 404 without reconnecting', async () => {
    server.handle((_req, res) => sendProblem(res, 404, { title: 'Not found', code: 'NOT_FOUND' }));
    const client = createClient({ baseUrl: server.url });
    const iteration = (async () => {
      for await (const _ of client.jobs.events(JOB_ID)) {
        // no events expected
      }
    })();
    await expect(iteration).rejects.toBeInstanceOf(FlinkNetError);
    expect(server.requests).toHaveLength(1);
  });

  it('gives up with a NetworkError after maxReconnects connections without an event', async () => {
    server.handle((_req, res) => {
      openStream(res);
      res.end();
    });
    const client = createClient({ baseUrl: server.url });
    const iteration = (async () => {
      for await (const _ of client.jobs.events(JOB_ID, {
        maxReconnects: 2,
        reconnectDelayMs: 10,
      })) {
        // no events expected
      }
    })();
    await expect(iteration).rejects.toBeInstanceOf(NetworkError);
    expect(server.requests).toHaveLength(3);
  });

  it('stops with the abort reason when the signal aborts', async () => {
    server.handle((_req, res) => {
      openStream(res);
      res.write(event(1, { type: 'status', status: 'RUNNING' }));
    });
    const client = createClient({ baseUrl: server.url });
    const controller = new AbortController();
    const seen: number[] = [];
    const iteration = (async () => {
      for await (const e of client.jobs.events(JOB_ID, { signal: controller.signal })) {
        seen.push(e.id);
        controller.abort(new Error('enough'));
      }
    })();
    await expect(iteration).rejects.toThrow('enough');
    expect(seen).toEqual([1]);
  });
});
