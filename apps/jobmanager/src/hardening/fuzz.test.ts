/**
 * Property-based fuzzing of every route of the table (fast-check): random
 * params, query strings, headers and bodies, against the real app over a
 * real SQLite file, over a real socket. Never a 5xx, never a stack trace or a server path, the
 * server stays healthy, and a rejected request changes nothing in the store
 * but its own audit entry.
 */
import { join } from 'node:path';
import { PROBLEM_CONTENT_TYPE } from '@flinknet/contracts';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  createToken,
  jobDefinition,
  removeDir,
  type TestApp,
} from '../testing/fixtures';
import { type FuzzRequest, fuzzRequest } from '../testing/fuzzRequests';

let t: TestApp;
let db: Database.Database;
let sent = 0;
const statuses = new Map<number, number>();
let tables: string[] = [];

beforeAll(async () => {
  t = createTestApp({
    // Nothing may change the store in the background between two snapshots.
    heartbeatTimeoutMs: 3_600_000,
    schedulePeriodMs: 3_600_000,
    auth: { throttle: { freeFailures: Number.MAX_SAFE_INTEGER } },
  });
  const submitted = await t.call('POST', '/api/jobmanager/submit', jobDefinition());
  expect(submitted.status).toBe(201);
  db = new Database(join(t.dataDir, 'flinknet.db'), { readonly: true, fileMustExist: true });
  tables = (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'",
      )
      .all() as Array<{ name: string }>
  ).map((r) => r.name);
});
afterAll(() => {
  db?.close();
  t.dispose();
  removeDir(t.dataDir);
});

/** Row count of every table: what a rejected request must leave as it was (but the audit log). */
function snapshot(): Record<string, number> {
  return Object.fromEntries(
    tables.map((name) => [
      name,
      (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n,
    ]),
  );
}

const LEAKS = /\n\s+at\s|\.ts:\d+|node_modules|\/work\/|file:\/\/|\/tmp\/flinknet/;

async function send(request: FuzzRequest): Promise<void> {
  let req: Request;
  try {
    const headers = new Headers();
    for (const [name, value] of request.headers) headers.append(name, value);
    req = new Request(`http://localhost${request.path}`, {
      method: request.method,
      headers,
      body: request.body,
    });
  } catch {
    return; // a request the client library itself cannot build never reaches any server
  }
  const before = snapshot();
  let res: Response;
  try {
    res = await t.request(req);
  } catch (error) {
    // Framing headers the HTTP client owns (transfer-encoding, connection, ...) are refused before sending.
    if ((error as { cause?: { code?: string } }).cause?.code === 'UND_ERR_INVALID_ARG') return;
    throw error;
  }
  sent++;
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  expect(res.status, `${request.method} ${request.path.slice(0, 200)}`).toBeLessThan(500);
  if (res.status < 400) {
    await res.body?.cancel(); // event streams never end on their own
    return;
  }
  const text = await res.text();
  if (request.method !== 'HEAD') {
    expect(res.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE);
    const problem = JSON.parse(text) as { status: number; code: string };
    expect(problem.status).toBe(res.status);
    expect(problem.code).toMatch(/^[A-Z_]+$/);
  }
  expect(text).not.toMatch(LEAKS);
  const after = snapshot();
  const { audit_log: auditAfter = 0, ...restAfter } = after;
  const { audit_log: auditBefore = 0, ...restBefore } = before;
  expect(restAfter, `${request.method} ${request.path.slice(0, 200)} changed the store`).toEqual(
    restBefore,
  );
  expect(auditAfter - auditBefore).toBeLessThanOrEqual(1);
}

const SAMPLES = () => ({
  jobId: t.store.listJobs({ limit: 1 }).items[0]?.jobId ?? '00000000-0000-4000-8000-000000000001',
  messageId: '00000000-0000-4000-8000-000000000002',
  checkpointId: '1',
  tokenId: 'tok_unknown', // never a real one: deleting the admin token would end the run's reach
  taskManagerId: 'tm-unknown',
});

describe('fuzzing every route (fast-check)', () => {
  it('never answers 5xx or a stack trace, and rejected requests leave the store unchanged', {
    timeout: 120_000,
  }, async () => {
    const tokens = {
      admin: t.adminToken,
      viewer: createToken(t.store, 'viewer'),
      taskmanager: createToken(t.store, 'taskmanager'),
    };
    await fc.assert(
      fc.asyncProperty(fuzzRequest(tokens, SAMPLES()), async (request) => {
        await send(request);
      }),
      { numRuns: 12_000, endOnFailure: true },
    );
    expect((await t.request('/healthz')).status).toBe(200);
    expect((await t.call('GET', '/api/jobmanager/jobs')).status).toBe(200);
    expect(sent).toBeGreaterThanOrEqual(10_000);
    // The requests reached every layer: auth, body limit, media type, parsing, validation, handlers.
    for (const status of [200, 201, 400, 401, 403, 404, 413, 415, 422])
      expect(statuses.get(status) ?? 0, `answers with ${status}`).toBeGreaterThan(0);
  });
});
