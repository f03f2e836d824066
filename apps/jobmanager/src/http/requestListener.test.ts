import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics';
import { createHttpServer } from './httpServer';
import { createRequestListener, type RouteEntry } from './requestListener';
import { RouteTree } from './router';

const routes = new RouteTree<RouteEntry>();
const entry = (path: string, run: RouteEntry['run']): RouteEntry => ({ def: undefined, path, run });
routes.add(
  'GET',
  '/ok',
  entry('/ok', () => ({ status: 200, body: '{"ok":true}' })),
);
routes.add(
  'GET',
  '/bad-header',
  entry('/bad-header', () => ({ status: 200, body: '{}', headers: { 'x-bad': 'a\nb' } })),
);
routes.add(
  'GET',
  '/throws',
  entry('/throws', () => {
    throw new Error('secret detail at /srv/app/file.ts:12');
  }),
);
const metrics = createMetrics({
  jobsByState: () => ({}) as never,
  taskManagers: () => ({ live: 0, slotsTotal: 0, slotsFree: 0 }),
});
const { listener, inFlight } = createRequestListener({
  routes,
  metrics,
  logger: pino({ level: 'silent' }),
  cors: undefined,
});
const server = createHttpServer(listener);
let base: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('the request listener', () => {
  it('turns a thrown error into a 500 problem without its message, and keeps serving', async () => {
    const res = await fetch(`${base}/throws`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret');
    expect(JSON.parse(text)).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect((await fetch(`${base}/ok`)).status).toBe(200);
  });

  it('closes the connection on an answer Node cannot write, instead of crashing', async () => {
    await expect(fetch(`${base}/bad-header`)).rejects.toThrow();
    expect((await fetch(`${base}/ok`)).status).toBe(200);
    expect(inFlight()).toBe(0);
  });
});
