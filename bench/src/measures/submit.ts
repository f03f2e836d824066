/**
 * @module
 * POST /api/jobmanager/submit under load: durable jobs per second (a 201 is
 * a committed job), against raw better-sqlite3 inserting the same rows.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createEmptyDatabase, rawInsertJobs } from '../baselines/rawInsert';
import { type LoadResult, runLoad } from '../http/load';
import { submitBody } from '../jobDefinitions';
import { profileArgs, startJobManager } from '../processes';
import { fmt } from '../report';
import { median, pairedRatio } from '../stats';
import type { BenchContext, Measure, MeasureRow } from '../types';

const CONNECTIONS = 16;
const SUBMIT = `POST /api/jobmanager/submit, durable jobs/s (201 = committed) at ${CONNECTIONS} connections`;
const TARGET = '>= 0.5x and >= 2,000/s';

export const submitMeasure: Measure = {
  id: 'submit',
  rows: [{ id: 'submit', measure: SUBMIT, target: TARGET }],
  async run(ctx: BenchContext): Promise<MeasureRow[]> {
    const { rounds, loadSeconds } = ctx.settings;
    const dataDir = join(ctx.workDir, 'submit');
    const baselineFile = join(ctx.workDir, 'submit-baseline', 'flinknet.db');
    mkdirSync(dataDir, { recursive: true });
    createEmptyDatabase(baselineFile);
    // No TaskManager: the jobs wait for slots, so only the submit path is measured.
    const jm = await startJobManager(dataDir, profileArgs(ctx.settings.profileDir, 'submit'));
    const definition = submitBody('bench-submit');
    const body = JSON.stringify(definition);
    const load = (durationSec: number) =>
      runLoad({
        server: jm,
        path: '/api/jobmanager/submit',
        method: 'POST',
        body,
        connections: CONNECTIONS,
        durationSec,
      });
    await load(ctx.settings.warmupSeconds);
    rawInsertJobs(baselineFile, definition, ctx.settings.warmupSeconds);
    const subject: LoadResult[] = [];
    const baseline: Array<{ jobs: number; ms: number; perSec: number; cpuUsPerJob: number }> = [];
    for (let r = 0; r < rounds; r++) {
      const runBaseline = () => {
        const before = process.cpuUsage();
        const result = rawInsertJobs(baselineFile, definition, loadSeconds);
        const used = process.cpuUsage(before);
        baseline.push({
          ...result,
          perSec: (result.jobs / result.ms) * 1000,
          cpuUsPerJob: (used.user + used.system) / result.jobs,
        });
      };
      if (r % 2 === 0) runBaseline();
      subject.push(await load(loadSeconds));
      if (r % 2 === 1) runBaseline();
      ctx.log(
        `submit round ${r + 1}/${rounds}: JobManager ${fmt(subject.at(-1)!.okPerSec)} jobs/s, raw insert ${fmt(baseline.at(-1)!.perSec)} jobs/s`,
      );
    }
    await jm.stop();
    // Every 201 must be a stored job: count them in the database the JobManager wrote.
    const answered = subject.reduce((n, r) => n + r.ok, 0);
    const db = new Database(join(dataDir, 'flinknet.db'), { readonly: true });
    const stored = (db.prepare('SELECT count(*) AS n FROM jobs').get() as { n: number }).n;
    db.close();
    const rate = median(subject.map((r) => r.okPerSec));
    const baseRate = median(baseline.map((b) => b.perSec));
    const speed = pairedRatio(
      subject.map((r) => r.okPerSec),
      baseline.map((b) => b.perSec),
    );
    const failed = subject.reduce((n, r) => n + r.non2xx + r.errors, 0);
    const subjectCpu = median(subject.map((r) => r.cpuUsPerOk ?? Number.NaN));
    const baselineCpu = median(baseline.map((b) => b.cpuUsPerJob));
    const cpuNote = `JobManager CPU per submit ${fmt(subjectCpu)} µs, raw insert ${fmt(baselineCpu)} µs per job`;
    return [
      {
        id: 'submit',
        measure: SUBMIT,
        value: `${fmt(rate)} jobs/s, p99 ${fmt(median(subject.map((r) => r.p99Ms)))} ms`,
        baseline: `${fmt(baseRate)} jobs/s`,
        ratio: speed,
        target: TARGET,
        met: speed >= 0.5 && rate >= 2000 && failed === 0 && stored >= answered,
        figures: {
          jobsPerSec: rate,
          baselineJobsPerSec: baseRate,
          cpuUsPerSubmit: subjectCpu,
          baselineCpuUsPerJob: baselineCpu,
          connections: CONNECTIONS,
          answered201: answered,
          storedJobs: stored,
          rounds: { subject, baseline },
        },
        note:
          stored < answered
            ? `only ${stored} of ${answered} acknowledged jobs are in the database; ${cpuNote}`
            : failed > 0
              ? `${failed} submits failed or were not 201; ${cpuNote}`
              : cpuNote,
      },
    ];
  },
};
