/**
 * @module
 * The baseline of the submit measure: raw better-sqlite3 inserting the rows
 * the JobManager writes for a submitted job (the job, its first transition,
 * its log line and its audit entry, which commits with the job; a
 * time-ordered id as the JobManager gives) in one immediate transaction per
 * job, as fast as it can.
 */
import { buildJobGraph, type JobDefinitionDto } from '@flinknet/contracts';
import { openStore, timeOrderedUuid } from '@flinknet/store';
import Database from 'better-sqlite3';

/** Creates (and migrates, through the store) the database at `file`. */
export function createEmptyDatabase(file: string): void {
  openStore({ file }).close();
}

/**
 * Inserts jobs into `file` for `seconds`, one durable transaction each, with
 * the pragmas the store uses; returns how many it committed and the time.
 */
export function rawInsertJobs(
  file: string,
  definition: JobDefinitionDto,
  seconds: number,
): { jobs: number; ms: number } {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const insertJob = db.prepare(
      `INSERT INTO jobs (job_id, job_name, status, definition, job_graph, created_at, updated_at)
       VALUES (?, ?, 'CREATED', ?, ?, ?, ?)`,
    );
    const insertTransition = db.prepare(
      `INSERT INTO job_transitions (job_id, from_state, to_state, reason, at) VALUES (?, NULL, 'CREATED', 'submitted', ?)`,
    );
    const insertLog = db.prepare(
      `INSERT INTO job_logs (job_id, timestamp, level, source, message) VALUES (?, ?, 'INFO', 'jobmanager', ?)`,
    );
    const insertAudit = db.prepare(
      `INSERT INTO audit_log (at, token_id, role, method, route, job_id, status, request_id)
       VALUES (?, ?, 'admin', 'POST', '/api/jobmanager/submit', ?, 201, ?)`,
    );
    // Values the size of the JobManager's (a token id, a request id); making them is not the insert's cost.
    const tokenId = 'tok_0123456789ab';
    const requestId = '00000000-0000-4000-8000-000000000000';
    const graph = buildJobGraph(definition);
    const submit = db.transaction((jobId: string, at: string) => {
      insertJob.run(
        jobId,
        definition.jobName,
        JSON.stringify(definition),
        JSON.stringify(graph),
        at,
        at,
      );
      insertTransition.run(jobId, at);
      insertLog.run(jobId, at, `submitted as CREATED: ${definition.jobName}`);
      insertAudit.run(at, tokenId, jobId, requestId);
    });
    let jobs = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    while (performance.now() < deadline) {
      submit.immediate(timeOrderedUuid(), new Date().toISOString());
      jobs++;
    }
    return { jobs, ms: performance.now() - started };
  } finally {
    db.close();
  }
}
