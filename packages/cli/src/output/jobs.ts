/**
 * @module
 * Human renderings of job DTOs.
 */
import type { JobDetailDto, JobOverviewDto, JobStatusDto } from '@flinknet/contracts';
import { formatDuration, formatTime } from './format';
import { keyValues, table } from './table';

/** A job's status as aligned `label: value` lines. */
export function renderStatus(status: JobStatusDto): string {
  return keyValues([
    ['Job', status.jobId],
    ['Name', status.jobName],
    ['Status', status.status],
    ['Attempt', status.attempt],
    ['Restarts', status.restartCount],
    ['Last checkpoint', status.lastCheckpointId],
    ['Allowed actions', status.allowedActions.join(', ') || '-'],
    ['Error', status.errorMessage],
    ['Created', formatTime(status.createdAt)],
    ['Updated', formatTime(status.updatedAt)],
  ]);
}

/** The job list as a table. */
export function renderJobList(jobs: readonly JobOverviewDto[]): string {
  if (jobs.length === 0) return 'No jobs.\n';
  return table(
    ['JOB ID', 'NAME', 'STATUS', 'PARALLELISM', 'TASKS', 'CREATED', 'DURATION'],
    jobs.map((j) => [
      j.jobId,
      j.jobName,
      j.status,
      j.parallelism,
      j.tasksTotal,
      formatTime(j.createdAt),
      formatDuration(j.durationMs),
    ]),
  );
}

/** Job detail: status, the job graph and the transitions. */
export function renderDetail(job: JobDetailDto): string {
  const vertices = table(
    ['VERTEX', 'TYPE', 'PARALLELISM'],
    job.jobGraph.vertices.map((v) => [v.name, `${v.operatorType} ${v.typeName}`, v.parallelism]),
  );
  const transitions = table(
    ['AT', 'FROM', 'TO', 'REASON'],
    job.transitions.map((t) => [formatTime(t.at), t.from, t.to, t.reason]),
  );
  return `${renderStatus(job)}\nVertices\n${vertices}\nTransitions\n${transitions}`;
}
