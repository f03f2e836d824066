/**
 * @module
 * Seeds a JobManager database with finished jobs. A template of jobs goes
 * through the store itself, so the rows are exactly what the JobManager
 * writes; the rest are copies of those rows with fresh ids and times, written
 * with raw SQL in one transaction, because the store's one-transaction-per-call
 * API needs minutes for 100,000 jobs on a shared machine.
 */
import { randomUUID } from 'node:crypto';
import { openStore } from '@flinknet/store';
import Database from 'better-sqlite3';
import { seededJob } from './jobDefinitions';

/** Jobs written through the store before the rest are copied. */
const TEMPLATE_JOBS = 200;

interface JobRow {
  job_id: string;
  definition: string;
  created_at: string;
  [column: string]: unknown;
}

/**
 * Adds `count` FINISHED jobs (with their transitions) to the database at
 * `file`, created one millisecond apart and ending before now, so list pages
 * have distinct keys. Finished jobs keep the scheduler idle while the read
 * routes are measured. Returns the ids and the time it took.
 */
export function seedFinishedJobs(file: string, count: number): { jobIds: string[]; ms: number } {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const started = performance.now();
  const origin = Date.now() - count * 4 - 60_000;
  let clock = origin;
  const templateCount = Math.min(count, TEMPLATE_JOBS);
  const store = openStore({ file, now: () => new Date(clock++) });
  const templateIds: string[] = [];
  const { definition, jobGraph } = seededJob(0);
  try {
    for (let i = 0; i < templateCount; i++) {
      const jobId = randomUUID();
      store.createJob({ jobId, definition: { ...definition, jobName: `seeded-${i}` }, jobGraph });
      store.transitionJob(jobId, { to: 'RUNNING', reason: 'seeded', patch: { attempt: 1 } });
      store.transitionJob(jobId, { to: 'FINISHED', reason: 'seeded' });
      templateIds.push(jobId);
    }
  } finally {
    store.close();
  }
  const copied = copyTemplate(file, templateIds, count - templateCount, clock);
  return { jobIds: [...templateIds, ...copied], ms: performance.now() - started };
}

/** Copies the template jobs' rows `copies` times with fresh ids, names and times (3 ms apart from `from`). */
function copyTemplate(file: string, templateIds: readonly string[], copies: number, from: number): string[] {
  if (copies === 0) return [];
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    const jobs = templateIds.map((id) => db.prepare('SELECT * FROM jobs WHERE job_id = ?').get(id) as JobRow);
    const transitions = templateIds.map(
      (id) => db.prepare('SELECT * FROM job_transitions WHERE job_id = ? ORDER BY id').all(id) as Array<Record<string, unknown>>,
    );
    const jobColumns = Object.keys(jobs[0]!);
    const transitionColumns = Object.keys(transitions[0]![0]!).filter((c) => c !== 'id');
    const insertJob = db.prepare(
      `INSERT INTO jobs (${jobColumns.join(', ')}) VALUES (${jobColumns.map((c) => `@${c}`).join(', ')})`,
    );
    const insertTransition = db.prepare(
      `INSERT INTO job_transitions (${transitionColumns.join(', ')}) VALUES (${transitionColumns.map((c) => `@${c}`).join(', ')})`,
    );
    const ids: string[] = [];
    db.transaction(() => {
      for (let i = 0; i < copies; i++) {
        const template = jobs[i % jobs.length]!;
        const jobId = randomUUID();
        const jobName = `seeded-${templateIds.length + i}`;
        const definition = { ...(JSON.parse(template.definition) as object), jobName };
        const createdAt = from + i * 3;
        const times = [createdAt, createdAt + 1, createdAt + 2].map((t) => new Date(t).toISOString());
        insertJob.run({
          ...template,
          job_id: jobId,
          job_name: jobName,
          definition: JSON.stringify(definition),
          created_at: times[0],
          updated_at: times[2],
          start_time: times[1],
          end_time: times[2],
        });
        transitions[i % jobs.length]!.forEach((row, n) => {
          const { id: _id, ...values } = row;
          insertTransition.run({ ...values, job_id: jobId, at: times[Math.min(n, 2)] });
        });
        ids.push(jobId);
      }
    }).immediate();
    return ids;
  } finally {
    db.close();
  }
}
