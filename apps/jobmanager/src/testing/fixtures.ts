/**
 * @module
 * Test fixtures: a job definition, an app over a real SQLite file in a temp
 * dir served on 127.0.0.1, JSON requests to it, and polling with a deadline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobDefinitionInput, Role } from '@flinknet/contracts';
import { openStore, type Store } from '@flinknet/store';
import pino from 'pino';
import { type CreateAppOptions, createApp, type JobManagerApp } from '../app';
import { generateTokenId, generateTokenSecret, hashTokenSecret } from '../auth/tokenSecrets';
import { createHttpServer } from '../http/httpServer';
import type { Fetcher } from './scriptedTaskManager';

/** A three-step job: sequence -> map -> discard, parallelism 2 at the source. */
export function jobDefinition(overrides: Partial<JobDefinitionInput> = {}): JobDefinitionInput {
  return {
    jobName: 'clicks',
    steps: [
      {
        name: 'source',
        operatorType: 'Source',
        typeName: 'sequence',
        parallelism: 2,
        operatorProperties: { count: 100 },
      },
      {
        name: 'double',
        operatorType: 'Operator',
        typeName: 'map',
        operatorProperties: { expression: 'value.seq * 2' },
      },
      { name: 'out', operatorType: 'Sink', typeName: 'discard' },
    ],
    ...overrides,
  };
}

export interface TestApp extends JobManagerApp {
  store: Store;
  dataDir: string;
  /** Secret of an admin token created in the store (sent by `fetch` and `call` unless they get an Authorization header). */
  adminToken: string;
  /** The server's base URL (`http://127.0.0.1:<port>`), once it listens. */
  url: Promise<string>;
  /** A request to the app's server as it is (no token added); a path or a `Request` whose URL's path is used. */
  request(input: string | Request, init?: RequestInit): Promise<Response>;
  /** `request` with the admin token. */
  fetch: Fetcher;
  /** JSON request helper: body is serialised with a JSON content type. */
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  dispose(): void;
}

/** An app over a fresh SQLite file (or the given data dir, to simulate a restart). */
export function createTestApp(options: Partial<Omit<CreateAppOptions, 'store'>> = {}): TestApp {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'flinknet-jm-'));
  const store = openStore({ file: join(dataDir, 'flinknet.db') });
  const jm = createApp({ logger: pino({ level: 'silent' }), ...options, store, dataDir });
  const adminToken = createToken(store, 'admin');
  const server = createHttpServer(jm.listener);
  const listening = new Promise<string>((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
  const request = async (input: string | Request, init?: RequestInit) => {
    const base = await listening;
    if (typeof input === 'string') return globalThis.fetch(base + input, init);
    const url = new URL(input.url);
    return globalThis.fetch(new Request(base + url.pathname + url.search, input), init);
  };
  const fetch = withToken(request, adminToken);
  return {
    ...jm,
    store,
    dataDir,
    adminToken,
    url: listening,
    request,
    fetch,
    call: async (method, path, body, headers = {}) =>
      fetch(path, {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    dispose() {
      jm.close();
      server.closeAllConnections();
      server.close();
      store.close();
    },
  };
}

/** Creates a token of `role` directly in the store and returns its secret. */
export function createToken(
  store: Store,
  role: Role,
  expiresAt: string | null = null,
  name = `test ${role}`,
): string {
  const secret = generateTokenSecret();
  store.createToken({
    tokenId: generateTokenId(),
    name,
    role,
    hash: hashTokenSecret(secret),
    expiresAt,
  });
  return secret;
}

/** Wraps a fetcher to send `Authorization: Bearer <token>` unless the request sets its own. */
export function withToken(fetcher: Fetcher, token: string): Fetcher {
  return (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
    return fetcher(path, { ...init, headers });
  };
}

/** Removes a temp data dir. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Polls `probe` every 20 ms until it returns a truthy value, or throws after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  what: string,
  timeoutMs = 5000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
