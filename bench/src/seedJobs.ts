/**
 * @module
 * Seeds a JobManager database with finished jobs. A template of jobs goes
 * through the store itself, so the rows are exactly what the JobManager
 * writes; the rest are copies of those rows with fresh ids and times, written
 * with raw SQL in one transaction, because the store's one-transaction-per-call
 * API needs minutes for 100,000 jobs on a shared machine.
 */
import { openStore, timeOrderedUuid } from '@flinknet/store';
import Database from 'better-sqlite3';
import { seededJob } from './jobDefinitions';

/** Jobs written through the store before the rest are copied. */
const TEMPLATE_JOBS = 200;

/**
 * Adds `count` FINISHED jobs (with their transitions) to the database at
 * `file`, created one millisecond apart and ending before now, so list pages
 * have distinct keys. Finished jobs keep the scheduler idle while the read
 * routes are measured. Returns the ids and the time it took.
 */
export function seedFinishedJobs(file: string, count: number): { jobIds: string[]; ms: number } {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const started = performance.now();
  const origin = Date.now() - count * 4 - 60_000;
  let clock = origin;
  const templateCount = Math.min(count, TEMPLATE_JOBS);
  const store = openStore({ file, now: () => new Date(clock++) });
  const templateIds: string[] = [];
  const { definition, jobGraph } = seededJob(0);
  try {
    for (let i = 0; i < templateCount; i++) {
      const jobId = timeOrderedUuid();
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

/**
 * Copies the template jobs' rows `copies` times in SQL (no per-row JavaScript):
 * fresh v4-shaped ids, names `seeded-<n>`, times 3 ms apart from `from`.
 */
function copyTemplate(
  file: string,
  templateIds: readonly string[],
  copies: number,
  from: number,
): string[] {
  if (copies === 0) return [];
  const db = new Database(file);
  try {
    // Nothing else has the file open yet: a rollback journal without syncs halves the I/O of the copy.
    db.pragma('journal_mode = DELETE');
    db.pragma('synchronous = OFF');
    const jobColumns = (
      db.prepare('SELECT name FROM pragma_table_info(?)').all('jobs') as Array<{ name: string }>
    ).map((c) => c.name);
    const transitionColumns = (
      db.prepare('SELECT name FROM pragma_table_info(?)').all('job_transitions') as Array<{
        name: string;
      }>
    )
      .map((c) => c.name)
      .filter((c) => c !== 'id');
    const overridden: Record<string, string> = {
      job_id: 'c.job_id',
      job_name: 'c.job_name',
      definition: "json_set(t.definition, '$.jobName', c.job_name)",
      created_at: 'c.t0',
      updated_at: 'c.t2',
      start_time: 'c.t1',
      end_time: 'c.t2',
    };
    const iso = (offset: number) =>
      `strftime('%Y-%m-%dT%H:%M:%fZ', (${from} + n * 3 + ${offset}) / 1000.0, 'unixepoch')`;
    const uuid =
      "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || " +
      "substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))";
    db.transaction(() => {
      db.exec('CREATE TEMP TABLE template (position INTEGER PRIMARY KEY, job_id TEXT NOT NULL)');
      const addTemplate = db.prepare('INSERT INTO temp.template (position, job_id) VALUES (?, ?)');
      templateIds.forEach((id, i) => {
        addTemplate.run(i, id);
      });
      db.exec(`CREATE TEMP TABLE copies AS
        WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < ${copies})
        SELECT n, ${uuid} AS job_id, 'seeded-' || (${templateIds.length} + n) AS job_name,
               (SELECT job_id FROM temp.template WHERE position = n % ${templateIds.length}) AS template_id,
               ${iso(0)} AS t0, ${iso(1)} AS t1, ${iso(2)} AS t2
        FROM seq`);
      db.exec(`INSERT INTO jobs (${jobColumns.join(', ')})
        SELECT ${jobColumns.map((c) => overridden[c] ?? `t.${c}`).join(', ')}
        FROM temp.copies c JOIN jobs t ON t.job_id = c.template_id ORDER BY c.n`);
      // The template's three transitions map to the copy's three times in order.
      db.exec(`INSERT INTO job_transitions (${transitionColumns.join(', ')})
        SELECT ${transitionColumns
          .map((col) =>
            col === 'job_id'
              ? 'c.job_id'
              : col === 'at'
                ? "CASE tr.to_state WHEN 'CREATED' THEN c.t0 WHEN 'RUNNING' THEN c.t1 ELSE c.t2 END"
                : `tr.${col}`,
          )
          .join(', ')}
        FROM temp.copies c JOIN job_transitions tr ON tr.job_id = c.template_id ORDER BY c.n, tr.id`);
    }).immediate();
    const ids = (
      db.prepare('SELECT job_id FROM temp.copies ORDER BY n').all() as Array<{ job_id: string }>
    ).map((r) => r.job_id);
    db.exec('DROP TABLE temp.copies; DROP TABLE temp.template');
    db.pragma('journal_mode = WAL');
    return ids;
  } finally {
    db.close();
  }
}
