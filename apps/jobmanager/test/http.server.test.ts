/**
 * The HTTP layer over a real socket, at the byte level: headers on every
 * kind of answer, request ids, bodies sent in pieces and the body limit.
 */

import { mkdtempSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningJobManager, startJobManager } from '../src/startJobManager';
import { jobDefinition, removeDir } from '../src/testing/fixtures';

const BODY_LIMIT = 64 * 1024;
let jm: RunningJobManager;
let dataDir: string;
let token: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'flinknet-jm-http-'));
  jm = await startJobManager({
    port: 0,
    dataDir,
    bodyLimitBytes: BODY_LIMIT,
    logger: pino({ level: 'silent' }),
  });
  token = readFileSync(join(dataDir, 'admin.token'), 'utf8').trim();
});

afterAll(async () => {
  await jm.close();
  removeDir(dataDir);
});

const auth = () => ({ authorization: `Bearer ${token}` });

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request written chunk by chunk (no Content-Length: chunked transfer encoding). */
function chunkedPost(path: string, chunks: string[]): Promise<RawAnswer> {
  const url = new URL(path, jm.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    // The server may answer 413 and stop reading before every chunk is sent.
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('responses over a socket', () => {
  it('carry the security headers and a request id, on answers, errors and the docs page', async () => {
    for (const path of ['/api/jobmanager/jobs', '/api/jobmanager/jobs/nope/status', '/nope']) {
      const res = await fetch(`${jm.url}${path}`, { headers: auth() });
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), path).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(res.headers.get('x-request-id'), path).toMatch(/^[0-9a-f-]{36}$/);
    }
    const docs = await fetch(`${jm.url}/api/jobmanager/docs`);
    expect(docs.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(docs.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('send JSON with its length (not chunked) and no-store, and the docs page with the document headers', async () => {
    const res = await fetch(`${jm.url}/api/jobmanager/jobs?limit=1`, { headers: auth() });
    const text = await res.text();
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(res.headers.get('transfer-encoding')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    const docs = await fetch(`${jm.url}/api/jobmanager/docs`);
    expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
    expect(docs.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(docs.headers.get('x-permitted-cross-domain-policies')).toBe('none');
    const head = await fetch(`${jm.url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('{"status":"ok"}'.length));
    expect(await head.text()).toBe('');
  });

  it("keeps a caller's plain X-Request-Id and replaces one that is not", async () => {
    const kept = await fetch(`${jm.url}/healthz`, { headers: { 'x-request-id': 'trace-42' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-42');
    const replaced = await fetch(`${jm.url}/healthz`, {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers problem+json with the request id in the body and the header', async () => {
    const res = await fetch(`${jm.url}/api/jobmanager/jobs`);
    expect(res.status).toBe(401);
    const problem = (await res.json()) as { requestId: string };
    expect(problem.requestId).toBe(res.headers.get('x-request-id'));
  });
});

describe('request bodies over a socket', () => {
  it('accepts a job written in many small chunks', async () => {
    const text = JSON.stringify(jobDefinition({ jobName: 'chunked' }));
    const chunks = text.match(/.{1,7}/gs) ?? [];
    const answer = await chunkedPost('/api/jobmanager/submit', chunks);
    expect(answer.status).toBe(201);
    expect(answer.headers.location).toMatch(/^\/api\/jobmanager\/jobs\/[0-9a-f-]{36}$/);
    expect(JSON.parse(answer.body)).toMatchObject({ jobName: 'chunked', status: 'CREATED' });
  });

  it('refuses a declared Content-Length over the limit with 413 before reading', async () => {
    const res = await fetch(`${jm.url}/api/jobmanager/submit`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: 'x'.repeat(BODY_LIMIT + 1),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a chunked body that grows past the limit with 413, and stores nothing', async () => {
    const before = (await (
      await fetch(`${jm.url}/api/jobmanager/jobs?limit=200`, { headers: auth() })
    ).json()) as unknown[];
    const chunk = 'x'.repeat(16 * 1024);
    const answer = await chunkedPost(
      '/api/jobmanager/submit',
      Array.from({ length: 8 }, () => chunk),
    ).catch((error: Error) => ({ status: -1, headers: {}, body: error.message }));
    // The server answers 413 once the limit is passed; the client may see the socket reset instead.
    if (answer.status !== -1) expect(answer.status).toBe(413);
    const after = (await (
      await fetch(`${jm.url}/api/jobmanager/jobs?limit=200`, { headers: auth() })
    ).json()) as unknown[];
    expect(after.length).toBe(before.length);
    // The server is still healthy after refusing it.
    expect((await fetch(`${jm.url}/healthz`)).status).toBe(200);
  });
});

/** Writes `request` as is on a fresh connection; resolves with what came back before the server closed it. */
function rawExchange(request: string): Promise<string> {
  const { port } = new URL(jm.url);
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(Number(port), '127.0.0.1', () => socket.end(request));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe("requests Node's HTTP parser refuses", () => {
  it('answers headers over 16 KiB with 431 problem+json and the security headers', async () => {
    const answer = await rawExchange(
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Huge: ${'h'.repeat(20_000)}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toContain('content-type: application/problem+json');
    expect(answer).toContain('x-frame-options: DENY');
    const problem = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as {
      status: number;
      code: string;
    };
    expect(problem).toMatchObject({ status: 431, code: 'BAD_REQUEST' });
  });

  it('drops the connection after its error answer even when the client keeps its side open', async () => {
    const { port } = new URL(jm.url);
    const dropped = await new Promise<boolean>((resolve) => {
      const socket = connect({ port: Number(port), host: '127.0.0.1', allowHalfOpen: true });
      socket.on('connect', () => socket.write('NOT HTTP\r\n\r\n'));
      socket.resume();
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(false);
      }, 3000);
      // Once the server has answered, a write reaches a closed socket only if the server dropped it.
      socket.once('end', () => {
        const poke = setInterval(() => socket.write('more\r\n'), 50);
        socket.once('error', () => {
          clearInterval(poke);
          clearTimeout(timer);
          resolve(true);
        });
      });
    });
    expect(dropped).toBe(true);
  });

  it('answers a malformed request with 400 problem+json, and keeps serving', async () => {
    const answer = await rawExchange('NOT HTTP AT ALL\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"code":"BAD_REQUEST"');
    expect((await fetch(`${jm.url}/healthz`)).status).toBe(200);
  });
});

describe('event streams over a socket', () => {
  it('answers HEAD with the head only, and the connection serves the next request', async () => {
    const submitted = await fetch(`${jm.url}/api/jobmanager/submit`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify(jobDefinition({ jobName: 'head-events' })),
    });
    const { jobId } = (await submitted.json()) as { jobId: string };
    const head = await fetch(`${jm.url}/api/jobmanager/jobs/${jobId}/events`, {
      method: 'HEAD',
      headers: auth(),
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/event-stream');
    expect(await head.text()).toBe('');
    // The same connection answers the next request: the stream did not run behind the head.
    const { port } = new URL(jm.url);
    const answered = await new Promise<string>((resolve) => {
      let text = '';
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write(
          `HEAD /api/jobmanager/jobs/${jobId}/events HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth().authorization}\r\n\r\n` +
            'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n',
        ),
      );
      socket.setEncoding('utf8');
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(text);
      }, 3000);
      socket.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes('{"status":"ok"}')) {
          clearTimeout(timer);
          socket.destroy();
          resolve(text);
        }
      });
    });
    expect(answered).toContain('{"status":"ok"}');
  });

  it('lets shutdown finish while a client has stopped reading its stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flinknet-jm-stall-'));
    const other = await startJobManager({
      port: 0,
      dataDir: dir,
      logger: pino({ level: 'silent' }),
    });
    try {
      const secret = readFileSync(join(dir, 'admin.token'), 'utf8').trim();
      const submitted = await fetch(`${other.url}/api/jobmanager/submit`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify(jobDefinition({ jobName: 'stalled-reader' })),
      });
      const { jobId } = (await submitted.json()) as { jobId: string };
      const { port } = new URL(other.url);
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `GET /api/jobmanager/jobs/${jobId}/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${secret}\r\n\r\n`,
      );
      socket.pause(); // never reads: the server's writes back up
      socket.on('error', () => {});
      await new Promise((resolve) => setTimeout(resolve, 200));
      const big = 'x'.repeat(256 * 1024);
      for (let i = 0; i < 100; i++)
        other.jobManager.bus.publish({ jobId, type: 'log', message: big });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const closed = await Promise.race([
        other.close().then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5000)),
      ]);
      expect(closed).toBe(true);
      socket.destroy();
    } finally {
      await other.close();
      removeDir(dir);
    }
  });
});
