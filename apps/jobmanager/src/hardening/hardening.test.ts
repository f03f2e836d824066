/**
 * HTTP hardening: secure headers, CORS only for allowed origins, the request
 * timeout, the JSON nesting limit and strict bodies.
 */

import { connect } from 'node:net';
import type { ProblemDetails } from '@flinknet/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, jobDefinition, removeDir, type TestApp } from '../testing/fixtures';
import { jsonDepth, valueDepth } from './jsonDepth';

let t: TestApp;
afterEach(() => {
  t.dispose();
  removeDir(t.dataDir);
});

describe('secure headers', () => {
  it('sends them on answers, errors and the docs page, with a CSP fit for each', async () => {
    t = createTestApp();
    for (const path of ['/healthz', '/api/jobmanager/jobs', '/nope']) {
      const res = await t.request(path);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('content-security-policy'), path).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
    }
    const docs = await t.request('/api/jobmanager/docs');
    expect(docs.headers.get('content-security-policy')).toContain("connect-src 'self'");
  });
});

describe('CORS', () => {
  it('is off by default: no CORS header even for a cross-origin request', async () => {
    t = createTestApp();
    const res = await t.request('/healthz', { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows only the configured origins, preflight included', async () => {
    t = createTestApp({ corsOrigins: ['https://dash.example'] });
    const allowed = await t.request('/healthz', {
      headers: { origin: 'https://dash.example' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dash.example');
    const other = await t.request('/healthz', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await t.request('/api/jobmanager/submit', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://dash.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    // Once: a repeated header reaches the browser as "a, a", which fails the preflight.
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://dash.example');
    expect(preflight.headers.get('vary')).toBe('Origin');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    );
  });
});

describe('request timeout', () => {
  it('answers 504 TIMEOUT when a public route takes longer than requestTimeoutMs', async () => {
    t = createTestApp({
      requestTimeoutMs: 50,
      // A route that is slow for this test only.
      routeHooks: [
        async (x) => {
          if (x.path === '/api/jobmanager/overview') await new Promise((r) => setTimeout(r, 300));
        },
      ],
    });
    const res = await t.call('GET', '/api/jobmanager/overview');
    expect(res.status).toBe(504);
    expect(((await res.json()) as ProblemDetails).code).toBe('TIMEOUT');
    expect((await t.call('GET', '/api/jobmanager/jobs')).status).toBe(200);
  });
});

describe('a submit that times out', () => {
  it('stores nothing once it was answered 504, and is audited once', async () => {
    t = createTestApp({ requestTimeoutMs: 200 });
    const text = JSON.stringify(jobDefinition({ jobName: 'too-slow' }));
    const { port } = new URL(await t.url);
    // A raw client that keeps sending its body after the answer came back.
    const answer = await new Promise<string>((resolve, reject) => {
      let received = '';
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /api/jobmanager/submit HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.adminToken}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text.slice(0, 10)}`,
        );
      });
      socket.setEncoding('utf8');
      socket.on('error', reject);
      socket.on('data', (chunk: string) => {
        received += chunk;
        if (received.includes('\r\n\r\n')) {
          socket.end(text.slice(10));
          resolve(received);
        }
      });
    });
    expect(answer).toMatch(/^HTTP\/1\.1 504 /);
    // The rest of the body arrives after the answer; the handler must not store the job then.
    await new Promise((r) => setTimeout(r, 800));
    expect(t.store.listJobs({ limit: 10 }).items).toEqual([]);
    const audit = (await (await t.call('GET', '/api/jobmanager/audit')).json()) as Array<{
      status: number;
    }>;
    expect(audit.map((e) => e.status)).toEqual([504]);
  });
});

describe('JSON nesting limit', () => {
  const nested = (depth: number) => `${'['.repeat(depth - 1)}{}${']'.repeat(depth - 1)}`;

  it('measures depth on text without counting brackets inside strings', () => {
    expect(jsonDepth('{"a":[1,{"b":"[[[["}]}')).toBe(3);
    expect(jsonDepth(nested(100), 64)).toBe(65);
    expect(valueDepth({ a: [1, { b: '[[' }] })).toBe(3);
  });

  it('answers 400 for a body nested deeper than 64 levels, before parsing it', async () => {
    t = createTestApp();
    const deep = await t.fetch('/api/jobmanager/submit', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"jobName":${nested(10_000)}}`,
    });
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as ProblemDetails).detail).toMatch(/deeper than 64 levels/);
  });

  it('answers 422 when operatorPropertiesJson hides the deep nesting in a string', async () => {
    t = createTestApp();
    const definition = jobDefinition();
    const deepJson = `{"x":${nested(200)}}`;
    const steps = definition.steps.map((s, i) =>
      i === 1 ? { ...s, operatorProperties: undefined, operatorPropertiesJson: deepJson } : s,
    );
    const res = await t.call('POST', '/api/jobmanager/submit', { ...definition, steps });
    expect(res.status).toBe(422);
    expect(t.store.listJobs({ limit: 5 }).items).toEqual([]);
  });
});

describe('unknown fields', () => {
  it('are rejected with 422 at every level of a request body', async () => {
    t = createTestApp();
    const top = await t.call('POST', '/api/jobmanager/submit', { ...jobDefinition(), extra: 1 });
    expect(top.status).toBe(422);
    const definition = jobDefinition();
    const nestedUnknown = {
      ...definition,
      steps: definition.steps.map((s, i) => (i === 0 ? { ...s, sneaky: true } : s)),
    };
    const nested = await t.call('POST', '/api/jobmanager/submit', nestedUnknown);
    expect(nested.status).toBe(422);
    expect(((await nested.json()) as ProblemDetails).errors?.[0]?.path).toBe('steps/0');
    const token = await t.call('POST', '/api/jobmanager/tokens', {
      name: 'x',
      role: 'viewer',
      admin: true,
    });
    expect(token.status).toBe(422);
  });
});
