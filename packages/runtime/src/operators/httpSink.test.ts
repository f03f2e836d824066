import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPipeline, tempDir } from '../test-support/jobFixture';

let dir: { path: string; remove: () => Promise<void> };
let server: Server;
let url: string;
let bodies: unknown[][];
let failFirst: number;

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeEach(async () => {
  dir = await tempDir();
  bodies = [];
  failFirst = 0;
  server = createServer(async (request, response) => {
    const text = await body(request);
    if (request.headers['x-token'] !== 'secret') {
      response.writeHead(401).end();
      return;
    }
    if (failFirst > 0) {
      failFirst--;
      response.writeHead(503).end();
      return;
    }
    bodies.push(JSON.parse(text) as unknown[]);
    response.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ingest`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await dir.remove();
});

const records = Array.from({ length: 7 }, (_, i) => ({ i }));
const sink = (properties: Record<string, unknown>) =>
  ({
    name: 'post',
    operatorType: 'Sink',
    typeName: 'http',
    operatorProperties: properties,
  }) as const;

describe('http sink', () => {
  it('POSTs JSON arrays of at most batchSize records with the headers', async () => {
    await runPipeline(dir.path, records, [], {
      sink: sink({ url, batchSize: 3, headers: { 'x-token': 'secret' } }),
    });
    expect(bodies.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(bodies.flat()).toEqual(records);
  });

  it('retries a failing POST with backoff and delivers once the server recovers', async () => {
    failFirst = 2;
    const { hooks } = await runPipeline(dir.path, records, [], {
      sink: sink({
        url,
        batchSize: 10,
        retries: 3,
        retryDelayMs: 10,
        headers: { 'x-token': 'secret' },
      }),
    });
    expect(bodies).toEqual([records]);
    expect(hooks.dlq).toEqual([]);
  });

  it('sends the records of a batch that keeps failing to the DLQ', async () => {
    const { hooks } = await runPipeline(dir.path, records.slice(0, 2), [], {
      sink: sink({ url, batchSize: 10, retries: 1, retryDelayMs: 10 }),
      errorTolerance: 'all',
    });
    expect(bodies).toEqual([]);
    expect(hooks.dlq.map((d) => d.stepName)).toEqual(['post', 'post']);
    expect(hooks.dlq[0]!.errorMessage).toMatch(/answered 401/);
  });

  it('refuses a URL that is not http(s)', async () => {
    await expect(
      runPipeline(dir.path, records, [], { sink: sink({ url: 'file:///etc/passwd' }) }),
    ).rejects.toThrow(/http or https/);
  });
});
