/**
 * @module
 * Job routes: submit, list, detail, status, metrics and the actions
 * (stop, cancel, restart, scale).
 */
import { createHash } from 'node:crypto';
import {
  buildJobGraph,
  JobState,
  type SubtaskMetricsDto,
  type VertexMetricsDto,
} from '@flinknet/contracts';
import { type JobRecord, timeOrderedUuid } from '@flinknet/store';
import { filePathIssues } from '../hardening/filePaths';
import { redactSecrets } from '../hardening/redactSecrets';
import { IdempotencyKeyReusedError, RequestTimeoutError, ValidationError } from '../http/errors';
import { nextLink } from '../http/pagination';
import { json } from '../http/reply';
import { requireJob } from '../http/requireJob';
import type { RouteHandlers } from '../http/types';
import type { RouteDeps } from './deps';
import { toJobOverview, toJobStatus } from './dto';

type JobHandlers = Pick<
  RouteHandlers,
  | 'jobs.submit'
  | 'jobs.list'
  | 'jobs.get'
  | 'jobs.status'
  | 'jobs.metrics'
  | 'jobs.stop'
  | 'jobs.cancel'
  | 'jobs.restart'
  | 'jobs.scale'
>;

/** Handlers of the job routes. */
export function jobRoutes({
  store,
  controller,
  actions,
  now,
  audit,
  settings,
}: RouteDeps): JobHandlers {
  const { requestTimeoutMs } = settings;
  const created = (job: JobRecord) => {
    return json(toJobStatus(job), 201, { location: `/api/jobmanager/jobs/${job.jobId}` });
  };

  return {
    'jobs.submit': async (x, { body, headers, rawBody }) => {
      const unsafePaths = filePathIssues(body);
      if (unsafePaths.length > 0)
        throw new ValidationError(
          unsafePaths,
          'a file path must stay inside the TaskManager data directory (relative, normalised, no "..")',
        );
      const key = headers['idempotency-key'];
      const bodyHash =
        key === undefined
          ? undefined
          : createHash('sha256').update(canonicalJson(rawBody)).digest('hex');
      const jobId = timeOrderedUuid();
      // One group commit with the other submits of this turn; the lookup, the insert and
      // the audit entry are one atomic step (no job without its entry, no entry without its job).
      const outcome = await store.batchWrite(() => {
        // Answered already (504 after a slow body): the caller was told nothing was stored.
        if (x.answered) throw new RequestTimeoutError(requestTimeoutMs);
        const seen = key === undefined ? undefined : store.findIdempotencyKey(key);
        if (seen) {
          if (seen.bodyHash !== bodyHash) throw new IdempotencyKeyReusedError(key!);
          audit?.appendWithin(x, 201, seen.jobId);
          return { job: requireJob(store, seen.jobId), replayed: true };
        }
        controller.checkOperatorsOffered(body);
        const job = store.createJob({
          jobId,
          definition: body,
          jobGraph: buildJobGraph(body),
          idempotency: key === undefined ? undefined : { key, bodyHash: bodyHash! },
        });
        audit?.appendWithin(x, 201, jobId);
        return { job, replayed: false };
      });
      return created(outcome.replayed ? outcome.job : controller.submitted(outcome.job));
    },

    'jobs.list': (x, { query }) => {
      const status = query.status === undefined ? undefined : parseStatuses(query.status);
      const page = store.listJobs({
        status,
        name: query.name,
        limit: query.limit ?? 50,
        cursor: query.cursor,
      });
      const nowMs = now();
      return json(
        page.items.map((job) => toJobOverview(job, nowMs)),
        200,
        nextLink(x, page.nextCursor),
      );
    },

    'jobs.get': (_, { params }) => {
      const job = requireJob(store, params.jobId);
      return json(
        {
          ...toJobStatus(job),
          definition: redactSecrets(job.definition),
          jobGraph: redactSecrets(job.jobGraph),
          startTime: job.startTime,
          endTime: job.endTime,
          transitions: store
            .listTransitions(job.jobId)
            .map(({ from, to, reason, at }) => ({ from, to, reason, at })),
        },
        200,
      );
    },

    'jobs.status': (_, { params }) => json(toJobStatus(requireJob(store, params.jobId)), 200),

    'jobs.metrics': (_, { params }) => {
      const job = requireJob(store, params.jobId);
      const tasks = job.attempt === 0 ? [] : store.listTasks(job.jobId, job.attempt);
      const body = job.jobGraph.vertices.map((vertex): VertexMetricsDto => {
        const subtasks = Array.from({ length: vertex.parallelism }, (_, i): SubtaskMetricsDto => {
          const task = tasks.find((t) => t.vertexId === vertex.id && t.subtaskIndex === i);
          return {
            subtaskIndex: i,
            taskManagerId: task?.taskManagerId ?? null,
            status: task?.state ?? 'CREATED',
            recordsIn: task?.recordsIn ?? 0,
            recordsOut: task?.recordsOut ?? 0,
            recordsInPerSecond: task?.recordsInPerSecond ?? 0,
            recordsOutPerSecond: task?.recordsOutPerSecond ?? 0,
            backpressureRatio: task?.backpressureRatio ?? 0,
            stateSizeBytes: task?.stateSizeBytes ?? 0,
            dlqRecords: task?.dlqRecords ?? 0,
            updatedAt: task?.updatedAt ?? null,
          };
        });
        const sum = (f: (s: SubtaskMetricsDto) => number) =>
          subtasks.reduce((acc, s) => acc + f(s), 0);
        return {
          vertexId: vertex.id,
          vertexName: vertex.name,
          parallelism: vertex.parallelism,
          recordsIn: sum((s) => s.recordsIn),
          recordsOut: sum((s) => s.recordsOut),
          recordsInPerSecond: sum((s) => s.recordsInPerSecond),
          recordsOutPerSecond: sum((s) => s.recordsOutPerSecond),
          backpressureRatio: Math.max(0, ...subtasks.map((s) => s.backpressureRatio)),
          stateSizeBytes: sum((s) => s.stateSizeBytes),
          subtasks,
        };
      });
      return json(body, 200);
    },

    'jobs.stop': (_, { params }) => json(toJobStatus(actions.stop(params.jobId)), 202),
    'jobs.cancel': (_, { params }) => json(toJobStatus(actions.cancel(params.jobId)), 202),
    'jobs.restart': (_, { params, body }) =>
      json(toJobStatus(actions.restart(params.jobId, body?.checkpointId)), 202),
    'jobs.scale': (_, { params, body }) =>
      json(toJobStatus(actions.scale(params.jobId, body)), 202),
  };
}

/** `RUNNING` or `RUNNING,FAILED` -> states; an unknown state is a 422 on query/status. */
function parseStatuses(text: string): JobState[] {
  return text.split(',').map((s) => {
    const parsed = JobState.safeParse(s);
    if (!parsed.success)
      throw new ValidationError([{ path: 'query/status', message: `unknown job state "${s}"` }]);
    return parsed.data;
  });
}

/** JSON with sorted keys, so key order does not change an idempotency hash. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
