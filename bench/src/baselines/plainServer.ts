/**
 * @module
 * The baseline of the read routes: a plain node:http server, no framework,
 * no validation, no middleware, running the same SQL as the store's
 * `listJobs` (unfiltered first page) and `getJob` on better-sqlite3, and
 * answering the same JSON bodies. Run as its own process, like the
 * JobManager: `node --import tsx plainServer.ts --db FILE`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { allowedActions, type JobState } from '@flinknet/contracts';
import Database from 'better-sqlite3';

interface JobRow {
  job_id: string;
  job_name: string;
  status: JobState;
  job_graph: string;
  attempt: number;
  restart_count: number;
  error_message: string | null;
  last_checkpoint_id: number | null;
  created_at: string;
  updated_at: string;
  start_time: string | null;
  end_time: string | null;
}

const { values } = parseArgs({ options: { db: { type: 'string' } } });
if (!values.db) {
  console.error('usage: plainServer.ts --db <sqlite file>');
  process.exit(2);
}
const db = new Database(values.db, { fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 5000');
// The statements the store prepares for the same reads.
const firstPage = db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, job_id DESC LIMIT ?');
const byId = db.prepare('SELECT * FROM jobs WHERE job_id = ?');

function overview(row: JobRow, nowMs: number) {
  const graph = JSON.parse(row.job_graph) as { vertices: Array<{ parallelism: number }> };
  const start = row.start_time === null ? null : Date.parse(row.start_time);
  const end = row.end_time === null ? nowMs : Date.parse(row.end_time);
  return {
    jobId: row.job_id,
    jobName: row.job_name,
    status: row.status,
    parallelism: Math.max(1, ...graph.vertices.map((v) => v.parallelism)),
    tasksTotal: graph.vertices.reduce((sum, v) => sum + v.parallelism, 0),
    createdAt: row.created_at,
    startTime: row.start_time,
    endTime: row.end_time,
    durationMs: start === null ? null : Math.max(0, end - start),
  };
}

function status(row: JobRow) {
  return {
    jobId: row.job_id,
    jobName: row.job_name,
    status: row.status,
    attempt: row.attempt,
    restartCount: row.restart_count,
    errorMessage: row.error_message,
    lastCheckpointId: row.last_checkpoint_id,
    allowedActions: allowedActions(row.status),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const STATUS_PATH = /^\/api\/jobmanager\/jobs\/([^/]+)\/status$/;

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const send = (code: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  if (req.method === 'GET' && url.pathname === '/api/jobmanager/jobs') {
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const rows = firstPage.all(limit + 1) as JobRow[];
    const served = rows.slice(0, limit);
    const last = served.at(-1);
    const headers: Record<string, string> = {};
    if (rows.length > limit && last) {
      const cursor = Buffer.from(JSON.stringify(['jobs', last.created_at, last.job_id])).toString(
        'base64url',
      );
      headers.link = `</api/jobmanager/jobs?limit=${limit}&cursor=${cursor}>; rel="next"`;
    }
    const nowMs = Date.now();
    return send(
      200,
      served.map((row) => overview(row, nowMs)),
      headers,
    );
  }
  const match = req.method === 'GET' ? STATUS_PATH.exec(url.pathname) : null;
  if (match) {
    const row = byId.get(match[1]) as JobRow | undefined;
    return row ? send(200, status(row)) : send(404, { status: 404, title: 'Not Found' });
  }
  send(404, { status: 404, title: 'Not Found' });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`baseline listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
