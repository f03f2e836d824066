/**
 * @module
 * The read routes under load: GET /api/jobmanager/jobs?limit=50 and
 * GET /api/jobmanager/jobs/{id}/status with 10,000 jobs stored, 64
 * connections, against a plain node:http server running the same SQL on the
 * same database file.
 */
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { type LoadResult, runLoad } from '../http/load';
import { authHeaders, type Server } from '../http/server';
import { type ManagedProcess, profileArgs, ROOT, spawnNode, startJobManager } from '../processes';
import { fmt } from '../report';
import { seededDataDir } from '../seededDataDir';
import { median, pairedRatio } from '../stats';
import type { BenchContext, Measure, MeasureRow } from '../types';

const JOBS = 10_000;
const CONNECTIONS = 64;
const LIST_PATH = '/api/jobmanager/jobs?limit=50';
const LIST =
  'GET /api/jobmanager/jobs?limit=50 with 10,000 jobs stored, req/s and p99 at 64 connections';
const STATUS =
  'GET /api/jobmanager/jobs/{id}/status with 10,000 jobs stored, req/s and p99 at 64 connections';

/** Starts the baseline server on `dbFile`; resolves with its URL once it listens. */
export async function startBaselineServer(
  dbFile: string,
  logDir: string,
  nodeArgs: readonly string[] = [],
): Promise<ManagedProcess & { url: string }> {
  const server = spawnNode(
    'baseline',
    join(ROOT, 'bench/src/baselines/plainServer.ts'),
    ['--db', dbFile],
    { logDir, nodeArgs },
  );
  const match = await server.waitForLine(/baseline listening on (http:\/\/\S+)/, 30_000);
  return Object.assign(server, { url: match[1]! });
}

interface Compared {
  subject: LoadResult[];
  baseline: LoadResult[];
}

/** Alternating rounds of the same load on both servers, after a short warm-up of each. */
async function compare(
  ctx: BenchContext,
  label: string,
  urls: { subject: Server; baseline: Server },
  path: string | (() => string),
): Promise<Compared> {
  const { rounds, loadSeconds } = ctx.settings;
  const results: Compared = { subject: [], baseline: [] };
  for (const server of [urls.baseline, urls.subject]) {
    await runLoad({
      server,
      path,
      connections: CONNECTIONS,
      durationSec: ctx.settings.warmupSeconds,
    });
  }
  for (let r = 0; r < rounds; r++) {
    const order =
      r % 2 === 0 ? (['baseline', 'subject'] as const) : (['subject', 'baseline'] as const);
    for (const which of order) {
      results[which].push(
        await runLoad({
          server: urls[which],
          path,
          connections: CONNECTIONS,
          durationSec: loadSeconds,
        }),
      );
    }
    ctx.log(
      `${label} round ${r + 1}/${rounds}: JobManager ${fmt(results.subject.at(-1)!.okPerSec)} req/s, baseline ${fmt(results.baseline.at(-1)!.okPerSec)} req/s`,
    );
  }
  return results;
}

function row(id: string, measure: string, compared: Compared): MeasureRow {
  const subjectRate = median(compared.subject.map((r) => r.okPerSec));
  const baselineRate = median(compared.baseline.map((r) => r.okPerSec));
  const subjectP99 = median(compared.subject.map((r) => r.p99Ms));
  const baselineP99 = median(compared.baseline.map((r) => r.p99Ms));
  const speed = pairedRatio(
    compared.subject.map((r) => r.okPerSec),
    compared.baseline.map((r) => r.okPerSec),
  );
  const failed = compared.subject.reduce((n, r) => n + r.non2xx + r.errors, 0);
  const cpu = (results: LoadResult[]) => median(results.map((r) => r.cpuUsPerOk ?? Number.NaN));
  const subjectCpu = cpu(compared.subject);
  const baselineCpu = cpu(compared.baseline);
  const cpuNote = `server CPU per request ${fmt(subjectCpu)} µs, baseline ${fmt(baselineCpu)} µs`;
  return {
    id,
    measure,
    value: `${fmt(subjectRate)} req/s, p99 ${fmt(subjectP99)} ms`,
    baseline: `${fmt(baselineRate)} req/s, p99 ${fmt(baselineP99)} ms`,
    ratio: speed,
    target: '>= 0.8x baseline req/s',
    met: speed >= 0.8 && failed === 0,
    figures: {
      reqPerSec: subjectRate,
      p99Ms: subjectP99,
      baselineReqPerSec: baselineRate,
      baselineP99Ms: baselineP99,
      cpuUsPerRequest: subjectCpu,
      baselineCpuUsPerRequest: baselineCpu,
      connections: CONNECTIONS,
      rounds: compared,
    },
    note:
      failed > 0
        ? `${failed} requests to the JobManager failed or were not 2xx; ${cpuNote}`
        : cpuNote,
  };
}

/** The JobManager and the baseline must answer the same body, or the comparison means nothing. */
async function checkSameBody(
  urls: { subject: Server; baseline: Server },
  path: string,
): Promise<void> {
  const [subject, baseline] = await Promise.all(
    [urls.subject, urls.baseline].map(async (server) => {
      const res = await fetch(`${server.url}${path}`, { headers: authHeaders(server) });
      if (!res.ok) throw new Error(`GET ${server.url}${path} answered ${res.status}`);
      return res.json();
    }),
  );
  if (!isDeepStrictEqual(subject, baseline)) {
    throw new Error(
      `the baseline answers another body than the JobManager for ${path}:\n${JSON.stringify(subject).slice(0, 400)}\n${JSON.stringify(baseline).slice(0, 400)}`,
    );
  }
}

export const readRoutesMeasure: Measure = {
  id: 'read-routes',
  rows: [
    { id: 'list-jobs', measure: LIST, target: '>= 0.8x baseline req/s' },
    { id: 'job-status', measure: STATUS, target: '>= 0.8x baseline req/s' },
  ],
  async run(ctx: BenchContext): Promise<MeasureRow[]> {
    const { dataDir, jobIds } = seededDataDir(ctx, 'read-routes', JOBS);
    const [jm, baseline] = await Promise.all([
      startJobManager(dataDir, profileArgs(ctx.settings.profileDir, 'read-routes')),
      startBaselineServer(
        join(dataDir, 'flinknet.db'),
        join(dataDir, 'logs'),
        profileArgs(ctx.settings.profileDir, 'read-routes-baseline'),
      ),
    ]);
    const urls = { subject: jm, baseline: { url: baseline.url, pid: baseline.pid } };
    await checkSameBody(urls, LIST_PATH);
    await checkSameBody(urls, `/api/jobmanager/jobs/${jobIds[0]}/status`);
    const list = await compare(ctx, 'list', urls, LIST_PATH);
    let next = 0;
    // A different job every request, spread over the whole table.
    const statusPath = () => {
      next = (next + 7919) % jobIds.length;
      return `/api/jobmanager/jobs/${jobIds[next]}/status`;
    };
    const status = await compare(ctx, 'status', urls, statusPath);
    await Promise.all([jm.stop(), baseline.stop()]);
    return [row('list-jobs', LIST, list), row('job-status', STATUS, status)];
  },
};
